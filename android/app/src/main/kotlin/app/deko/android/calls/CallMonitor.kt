package app.deko.android.calls

import android.content.Context
import android.content.SharedPreferences
import android.telephony.TelephonyManager
import app.deko.ui.data.CallDirection

/**
 * The process's view of calls: call screening, the app's own dialling and
 * the call state (TelephonyCallback while the process lives, the PHONE_STATE
 * broadcast which starts it) all feed one [CallTracker], kept in
 * SharedPreferences between events; a call that ended goes to
 * [CallEndNotifier]. Does nothing while call logging is off
 * ([CallLoggingSettings]).
 */
object CallMonitor {
    private const val PREFS = "deko-calls"

    /** The time events are stamped with (tests give their own). */
    @Volatile var clock: () -> Long = System::currentTimeMillis

    fun screened(context: Context, number: String) = update(context) { it.screened(number); null }

    fun dialled(context: Context, number: String) = update(context) { it.dialled(number, clock()); null }

    fun onState(context: Context, state: PhoneState) = update(context) { it.onState(state, clock()) }

    /** TelephonyManager's CALL_STATE_* or EXTRA_STATE_* as a [PhoneState]. */
    fun phoneState(callState: Int): PhoneState = when (callState) {
        TelephonyManager.CALL_STATE_RINGING -> PhoneState.RINGING
        TelephonyManager.CALL_STATE_OFFHOOK -> PhoneState.OFFHOOK
        else -> PhoneState.IDLE
    }

    fun phoneState(extraState: String?): PhoneState = when (extraState) {
        TelephonyManager.EXTRA_STATE_RINGING -> PhoneState.RINGING
        TelephonyManager.EXTRA_STATE_OFFHOOK -> PhoneState.OFFHOOK
        else -> PhoneState.IDLE
    }

    private fun update(context: Context, step: (CallTracker) -> EndedCall?) {
        if (!CallLoggingSettings.isOn(context)) return
        val ended = synchronized(this) {
            val prefs = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE)
            val tracker = CallTracker(prefs.snapshot())
            step(tracker).also { prefs.save(tracker.state) }
        }
        if (ended != null) CallEndNotifier.onCallEnded(context, ended)
    }

    private fun SharedPreferences.snapshot() = CallTracker.Snapshot(
        state = getString("state", null)?.let { s -> PhoneState.entries.find { it.name == s } } ?: PhoneState.IDLE,
        number = getString("number", null),
        direction = getString("direction", null)?.let { d -> CallDirection.entries.find { it.name == d } },
        ringingAt = long("ringingAt"),
        offhookAt = long("offhookAt"),
        screened = getString("screened", null),
        dialled = getString("dialled", null),
        dialledAt = long("dialledAt"),
    )

    private fun SharedPreferences.long(key: String): Long? = if (contains(key)) getLong(key, 0) else null

    private fun SharedPreferences.save(s: CallTracker.Snapshot) {
        val e = edit().clear().putString("state", s.state.name)
        s.number?.let { e.putString("number", it) }
        s.direction?.let { e.putString("direction", it.name) }
        s.ringingAt?.let { e.putLong("ringingAt", it) }
        s.offhookAt?.let { e.putLong("offhookAt", it) }
        s.screened?.let { e.putString("screened", it) }
        s.dialled?.let { e.putString("dialled", it) }
        s.dialledAt?.let { e.putLong("dialledAt", it) }
        e.commit()
    }
}
