package app.deko.android.calls

import android.app.Activity
import android.content.pm.PackageManager
import app.deko.ui.vm.CallLogging

/**
 * The ui's [CallLogging] on Android: after the rationale screen's
 * "Continue", the system's dialogs for the permissions
 * ([CallLoggingSettings.permissions]) and then the call-screening role;
 * the feature is on when the permissions were granted (without the role,
 * incoming calls end without their number). The activity hands its
 * results to [onPermissionsResult] and [onActivityResult].
 */
class CallLoggingRequest(private val activity: Activity) : CallLogging {
    private var pending: ((Boolean) -> Unit)? = null

    override fun isOn(): Boolean = CallLoggingSettings.isOn(activity) && CallLoggingSettings.missing(activity).isEmpty()

    override fun request(done: (granted: Boolean) -> Unit) {
        pending = done
        val missing = CallLoggingSettings.missing(activity)
        if (missing.isEmpty()) askRole() else activity.requestPermissions(missing.toTypedArray(), PERMISSIONS)
    }

    override fun turnOff() = CallLoggingSettings.setOn(activity, false)

    /** The permission dialog's answer; false when [requestCode] is not ours. */
    fun onPermissionsResult(requestCode: Int, results: IntArray): Boolean {
        if (requestCode != PERMISSIONS) return false
        if (results.isNotEmpty() && results.all { it == PackageManager.PERMISSION_GRANTED }) askRole() else finish(false)
        return true
    }

    /** The role dialog's answer (either way the feature is on: the permissions were granted); false when not ours. */
    fun onActivityResult(requestCode: Int): Boolean {
        if (requestCode != ROLE) return false
        finish(true)
        return true
    }

    private fun askRole() {
        val role = CallLoggingSettings.screeningRoleRequest(activity)
        if (role == null) finish(true) else activity.startActivityForResult(role, ROLE)
    }

    private fun finish(granted: Boolean) {
        CallLoggingSettings.setOn(activity, granted)
        pending?.invoke(granted)
        pending = null
    }

    companion object {
        const val PERMISSIONS = 1401
        const val ROLE = 1402
    }
}
