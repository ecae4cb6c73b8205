package app.deko.android.qr

import android.app.Activity
import android.app.Dialog
import android.graphics.Matrix
import android.graphics.RectF
import android.graphics.SurfaceTexture
import android.hardware.camera2.CameraManager
import android.view.Gravity
import android.view.Surface
import android.view.TextureView
import android.widget.Button
import android.widget.LinearLayout
import android.widget.TextView
import app.deko.android.core.text
import app.deko.ui.i18n.S

/**
 * The scanning screen (framework views only): what to do, the camera's
 * picture in a square, and Cancel. The camera starts when the preview can
 * show it and stops when the dialog closes; [done] gets the ticket, or null
 * when cancelled (Cancel, back, or a touch outside), once, on the main thread.
 */
class ScanDialog(private val activity: Activity, private val done: (String?) -> Unit) : Dialog(activity) {
    private var answered = false
    private val camera = CameraScanner(activity) { ticket -> activity.runOnUiThread { finish(ticket) } }
    /** The camera scanning for this dialog (its frames come through [CameraScanner.frame]). */
    val scanner: CameraScanner get() = camera
    val preview = TextureView(activity)

    init {
        val side = (minOf(activity.resources.displayMetrics.widthPixels, activity.resources.displayMetrics.heightPixels) * 0.75f).toInt()
        val pad = (16 * activity.resources.displayMetrics.density).toInt()
        setContentView(LinearLayout(activity).apply {
            orientation = LinearLayout.VERTICAL
            gravity = Gravity.CENTER_HORIZONTAL
            setPadding(pad, pad, pad, pad)
            addView(TextView(activity).apply { text = activity.text(S.ScanPointCamera); setPadding(0, 0, 0, pad) })
            addView(preview, LinearLayout.LayoutParams(side, side))
            addView(Button(activity).apply {
                text = activity.text(S.Cancel)
                tag = "scan-cancel"
                setOnClickListener { finish(null) }
            })
        })
        setOnCancelListener { finish(null) }
        preview.surfaceTextureListener = object : TextureView.SurfaceTextureListener {
            override fun onSurfaceTextureAvailable(texture: SurfaceTexture, width: Int, height: Int) = startCamera(texture, width, height)
            override fun onSurfaceTextureSizeChanged(texture: SurfaceTexture, width: Int, height: Int) {}
            override fun onSurfaceTextureDestroyed(texture: SurfaceTexture): Boolean { camera.stop(); return true }
            override fun onSurfaceTextureUpdated(texture: SurfaceTexture) {}
        }
    }

    private fun startCamera(texture: SurfaceTexture, width: Int, height: Int) {
        val cameras = activity.getSystemService(CameraManager::class.java)
        val id = cameras?.let { CameraScanner.backCamera(it) }
        val size = if (cameras != null && id != null) CameraScanner.frameSize(cameras, id) else CameraScanner.FRAME
        texture.setDefaultBufferSize(size.width, size.height)
        preview.setTransform(crop(width, height, size.width, size.height))
        camera.start(Surface(texture))
    }

    /** Fills the square preview with the middle of the camera's picture, upright at the screen's rotation (camera2's TextureView recipe). */
    @Suppress("DEPRECATION") // Display.getRotation through the window manager: the app starts at API 26
    private fun crop(viewW: Int, viewH: Int, bufW: Int, bufH: Int): Matrix {
        val m = Matrix()
        val cx = viewW / 2f
        val cy = viewH / 2f
        val long = maxOf(bufW, bufH).toFloat()
        val short = minOf(bufW, bufH).toFloat()
        when (val rotation = activity.windowManager.defaultDisplay.rotation) {
            Surface.ROTATION_90, Surface.ROTATION_270 -> {
                val buffer = RectF(0f, 0f, short, long).apply { offset(cx - centerX(), cy - centerY()) }
                m.setRectToRect(RectF(0f, 0f, viewW.toFloat(), viewH.toFloat()), buffer, Matrix.ScaleToFit.FILL)
                val scale = maxOf(viewH / short, viewW / long)
                m.postScale(scale, scale, cx, cy)
                m.postRotate(90f * (rotation - 2), cx, cy)
            }
            // upright: the tall picture arrives squeezed into the square; give it its height back
            else -> {
                m.setScale(1f, long / short, cx, cy)
                if (rotation == Surface.ROTATION_180) m.postRotate(180f, cx, cy)
            }
        }
        return m
    }

    private fun finish(ticket: String?) {
        if (answered) return
        answered = true
        camera.stop()
        if (isShowing) dismiss()
        done(ticket)
    }
}
