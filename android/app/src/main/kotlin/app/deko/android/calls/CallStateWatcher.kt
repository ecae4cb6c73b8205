package app.deko.android.calls

import android.Manifest
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.os.Build
import android.telephony.TelephonyCallback
import android.telephony.TelephonyManager

/**
 * The end of a call, from TelephonyCallback (Android 12+) while the process
 * runs. Registered when call logging is on and the phone-state permission
 * is granted; the PHONE_STATE broadcast ([PhoneStateReceiver]) covers
 * Android 8–11 and starts the process when it was not running.
 */
class CallStateWatcher(private val context: Context) : TelephonyCallback(), TelephonyCallback.CallStateListener {
    override fun onCallStateChanged(state: Int) = CallMonitor.onState(context, CallMonitor.phoneState(state))

    companion object {
        @Volatile private var registered: CallStateWatcher? = null

        fun start(context: Context) {
            if (Build.VERSION.SDK_INT < 31 || registered != null) return
            if (context.checkSelfPermission(Manifest.permission.READ_PHONE_STATE) != PackageManager.PERMISSION_GRANTED) return
            val telephony = context.getSystemService(TelephonyManager::class.java) ?: return
            val watcher = CallStateWatcher(context.applicationContext)
            telephony.registerTelephonyCallback(context.mainExecutor, watcher)
            registered = watcher
        }

        fun stop(context: Context) {
            val watcher = registered ?: return
            if (Build.VERSION.SDK_INT >= 31) context.getSystemService(TelephonyManager::class.java)?.unregisterTelephonyCallback(watcher)
            registered = null
        }
    }
}

/** The PHONE_STATE broadcast (allowed to manifest receivers): the call state when the process was not running. */
class PhoneStateReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        if (intent.action != TelephonyManager.ACTION_PHONE_STATE_CHANGED) return
        CallMonitor.onState(context, CallMonitor.phoneState(intent.getStringExtra(TelephonyManager.EXTRA_STATE)))
        CallStateWatcher.start(context)
    }
}
