package app.deko.android.calls

import android.Manifest
import android.app.role.RoleManager
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.os.Build

/**
 * Whether the user turned on "log calls right after hanging up", and what
 * that needs from the system: the phone state (to know a call ended), the
 * notification permission (Android 13+) and the call-screening role
 * (Android 10+: the number of incoming calls without reading the call log).
 * Asked for only when the user turns the feature on, after the rationale
 * screen; whatever is refused, calls can still be logged by hand.
 */
object CallLoggingSettings {
    private const val PREFS = "deko-calls-settings"
    private const val KEY = "on"

    fun isOn(context: Context): Boolean = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE).getBoolean(KEY, false)

    fun setOn(context: Context, on: Boolean) {
        context.getSharedPreferences(PREFS, Context.MODE_PRIVATE).edit().putBoolean(KEY, on).apply()
        if (on) CallStateWatcher.start(context) else CallStateWatcher.stop(context)
    }

    /** The runtime permissions the feature asks for on this Android version. */
    fun permissions(): List<String> = buildList {
        add(Manifest.permission.READ_PHONE_STATE)
        if (Build.VERSION.SDK_INT >= 33) add(Manifest.permission.POST_NOTIFICATIONS)
    }

    fun missing(context: Context): List<String> =
        permissions().filter { context.checkSelfPermission(it) != PackageManager.PERMISSION_GRANTED }

    /** The system's dialog for the call-screening role, or null where there is none (before Android 10) or it is held. */
    fun screeningRoleRequest(context: Context): Intent? {
        if (Build.VERSION.SDK_INT < 29) return null
        val roles = context.getSystemService(RoleManager::class.java) ?: return null
        if (!roles.isRoleAvailable(RoleManager.ROLE_CALL_SCREENING) || roles.isRoleHeld(RoleManager.ROLE_CALL_SCREENING)) return null
        return roles.createRequestRoleIntent(RoleManager.ROLE_CALL_SCREENING)
    }
}
