package app.deko.android.qr

import android.Manifest
import android.app.Activity
import android.content.pm.PackageManager
import android.hardware.camera2.CameraManager
import app.deko.ui.vm.ScanResult
import app.deko.ui.vm.TicketScanner
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlin.coroutines.resume

/**
 * The ui's [TicketScanner] on Android: asks for the camera permission
 * (the activity hands the answer to [onPermissionsResult]), then the
 * [ScanDialog] scans with the back camera until a ticket or Cancel.
 * [scan] is called on the main thread (the screens' scope) and resumes there.
 */
class CameraTicketScanner(private val activity: Activity) : TicketScanner {
    private var asking: ((Boolean) -> Unit)? = null
    /** The open scanning dialog, if any. */
    var dialog: ScanDialog? = null
        private set

    override suspend fun scan(): ScanResult {
        if (CameraScanner.missingPermission(activity) && !askPermission()) return ScanResult.CameraRefused
        val cameras = activity.getSystemService(CameraManager::class.java)
        if (cameras == null || runCatching { CameraScanner.backCamera(cameras) }.getOrNull() == null) return ScanResult.NoCamera
        val ticket = suspendCancellableCoroutine { cont ->
            val d = ScanDialog(activity) { ticket ->
                dialog = null
                if (cont.isActive) cont.resume(ticket)
            }
            dialog = d
            cont.invokeOnCancellation { activity.runOnUiThread { d.cancel() } }
            d.show()
        }
        return ticket?.let { ScanResult.Ticket(it) } ?: ScanResult.Cancelled
    }

    private suspend fun askPermission(): Boolean = suspendCancellableCoroutine { cont ->
        asking = { granted -> if (cont.isActive) cont.resume(granted) }
        cont.invokeOnCancellation { asking = null }
        activity.requestPermissions(arrayOf(Manifest.permission.CAMERA), PERMISSION)
    }

    /** The permission dialog's answer; false when [requestCode] is not ours. */
    fun onPermissionsResult(requestCode: Int, results: IntArray): Boolean {
        if (requestCode != PERMISSION) return false
        val answer = asking ?: return true
        asking = null
        answer(results.isNotEmpty() && results.all { it == PackageManager.PERMISSION_GRANTED })
        return true
    }

    /** Closes an open scanner (the activity leaving the screen: the camera goes too). */
    fun close() {
        dialog?.cancel()
    }

    companion object {
        const val PERMISSION = 1403
    }
}
