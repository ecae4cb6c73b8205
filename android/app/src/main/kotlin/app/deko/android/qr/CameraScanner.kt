package app.deko.android.qr

import android.Manifest
import android.annotation.SuppressLint
import android.content.Context
import android.content.pm.PackageManager
import android.graphics.ImageFormat
import android.hardware.camera2.CameraCaptureSession
import android.hardware.camera2.CameraCharacteristics
import android.hardware.camera2.CameraDevice
import android.hardware.camera2.CameraManager
import android.hardware.camera2.CaptureRequest
import android.media.ImageReader
import android.os.Handler
import android.os.HandlerThread
import android.util.Size
import android.view.Surface
import app.deko.ui.jvm.TicketScan

/**
 * Scans a ticket's QR code with the back camera (camera2, framework API
 * only): frames of about [FRAME] pixels go to the ui's [TicketScan] on a
 * background thread; the first ticket found goes to [onTicket] (on that
 * thread) and scanning stops. [start] needs the CAMERA permission
 * ([missingPermission]: the activity asks for it); a [preview] surface, if
 * given, shows what the camera sees. All the reading is [TicketScan]'s.
 */
class CameraScanner(private val context: Context, private val onTicket: (String) -> Unit) {
    private var thread: HandlerThread? = null
    private var reader: ImageReader? = null
    private var device: CameraDevice? = null
    private var session: CameraCaptureSession? = null
    @Volatile private var stopped = false

    /** False when there is no back camera or the permission is missing. */
    @SuppressLint("MissingPermission")
    fun start(preview: Surface? = null): Boolean {
        if (missingPermission(context)) return false
        val cameras = context.getSystemService(CameraManager::class.java) ?: return false
        val id = backCamera(cameras) ?: return false
        val size = frameSize(cameras, id)
        val handler = Handler(HandlerThread("deko-qr").also { it.start(); thread = it }.looper)
        val frames = ImageReader.newInstance(size.width, size.height, ImageFormat.YUV_420_888, 2).also { reader = it }
        frames.setOnImageAvailableListener({ r ->
            val image = r.acquireLatestImage() ?: return@setOnImageAvailableListener
            try {
                val y = image.planes[0]
                frame(y.buffer, image.width, image.height, y.rowStride, y.pixelStride)
            } finally {
                image.close()
            }
        }, handler)
        stopped = false
        cameras.openCamera(id, object : CameraDevice.StateCallback() {
            override fun onOpened(camera: CameraDevice) {
                if (stopped) return camera.close()
                device = camera
                open(camera, listOfNotNull(frames.surface, preview), handler)
            }

            override fun onDisconnected(camera: CameraDevice) = camera.close()
            override fun onError(camera: CameraDevice, error: Int) = camera.close()
        }, handler)
        return true
    }

    /**
     * One frame's Y plane (what the camera's frames come through): a ticket
     * found stops scanning and goes to onTicket; true when it did.
     */
    fun frame(y: java.nio.ByteBuffer, width: Int, height: Int, rowStride: Int, pixelStride: Int = 1): Boolean {
        if (stopped) return false
        val ticket = TicketScan.plane(y, width, height, rowStride, pixelStride) ?: return false
        if (stopped) return false
        stop()
        onTicket(ticket)
        return true
    }

    @Suppress("DEPRECATION") // SessionConfiguration is API 28+; the app starts at 26
    private fun open(camera: CameraDevice, targets: List<Surface>, handler: Handler) {
        camera.createCaptureSession(targets, object : CameraCaptureSession.StateCallback() {
            override fun onConfigured(s: CameraCaptureSession) {
                if (stopped) return s.close()
                session = s
                val request = camera.createCaptureRequest(CameraDevice.TEMPLATE_PREVIEW).apply {
                    targets.forEach(::addTarget)
                    set(CaptureRequest.CONTROL_AF_MODE, CaptureRequest.CONTROL_AF_MODE_CONTINUOUS_PICTURE)
                }.build()
                s.setRepeatingRequest(request, null, handler)
            }

            override fun onConfigureFailed(s: CameraCaptureSession) = s.close()
        }, handler)
    }

    /** Lets the camera go (also after a ticket was found); safe to call twice. */
    fun stop() {
        stopped = true
        runCatching { session?.close() }
        runCatching { device?.close() }
        runCatching { reader?.close() }
        thread?.quitSafely()
        session = null; device = null; reader = null; thread = null
    }

    companion object {
        /** About 1280×720: enough pixels a module for a long ticket held at arm's length, few enough to read every frame. */
        val FRAME = Size(1280, 720)

        fun missingPermission(context: Context): Boolean =
            context.checkSelfPermission(Manifest.permission.CAMERA) != PackageManager.PERMISSION_GRANTED

        /** The first camera facing away from the user, else any. */
        fun backCamera(cameras: CameraManager): String? {
            val ids = cameras.cameraIdList
            return ids.firstOrNull { cameras.getCameraCharacteristics(it).get(CameraCharacteristics.LENS_FACING) == CameraCharacteristics.LENS_FACING_BACK }
                ?: ids.firstOrNull()
        }

        /** The YUV size closest to [FRAME] in pixels the camera offers. */
        fun frameSize(cameras: CameraManager, id: String): Size {
            val map = cameras.getCameraCharacteristics(id).get(CameraCharacteristics.SCALER_STREAM_CONFIGURATION_MAP)
            val sizes = map?.getOutputSizes(ImageFormat.YUV_420_888).orEmpty()
            val want = FRAME.width.toLong() * FRAME.height
            return sizes.minByOrNull { kotlin.math.abs(it.width.toLong() * it.height - want) } ?: FRAME
        }
    }
}
