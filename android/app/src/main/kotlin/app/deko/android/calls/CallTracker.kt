package app.deko.android.calls

import app.deko.ui.data.CallDirection

/** The phone's call state, as the platform reports it (TelephonyManager's CALL_STATE_*). */
enum class PhoneState { IDLE, RINGING, OFFHOOK }

/** A call that just ended: what the notification offers to log. [number] is null when the platform did not tell it. */
data class EndedCall(val number: String?, val start: Long, val durationS: Long, val direction: CallDirection) {
    /** Whole minutes, rounded, at least 1 for a call that connected ("· 4 min"). */
    val minutes: Long get() = if (durationS <= 0) 0 else maxOf(1, (durationS + 30) / 60)
}

/**
 * Follows the phone's call state to tell when a call ended, with its number
 * (from call screening for incoming calls, from the app for calls it
 * placed), start and duration. Pure: the times come with the events, and the
 * state is a [Snapshot] the caller persists, so a call survives the process
 * being stopped in the middle of it.
 *
 * Ringing then off-hook is an incoming call (from off-hook); off-hook without
 * ringing an outgoing one; ringing then idle a missed call. A state repeated
 * is ignored.
 */
class CallTracker(private var snapshot: Snapshot = Snapshot()) {
    /** Everything the tracker knows between events. */
    data class Snapshot(
        val state: PhoneState = PhoneState.IDLE,
        val number: String? = null,
        val direction: CallDirection? = null,
        val ringingAt: Long? = null,
        val offhookAt: Long? = null,
        /** The number call screening gave for the call now ringing. */
        val screened: String? = null,
        /** The number the app dialled, and when (an outgoing call must start soon after). */
        val dialled: String? = null,
        val dialledAt: Long? = null,
    )

    val state: Snapshot get() = snapshot

    /** Call screening saw an incoming call from [number]. */
    fun screened(number: String) {
        snapshot = snapshot.copy(screened = number, number = if (snapshot.state == PhoneState.RINGING) number else snapshot.number)
    }

    /** The app placed a call to [number] (it opened the dialler) at [at]. */
    fun dialled(number: String, at: Long) {
        snapshot = snapshot.copy(dialled = number, dialledAt = at)
    }

    /** The phone's state became [state] at [at]; returns the call that ended, if this ended one. */
    fun onState(state: PhoneState, at: Long): EndedCall? {
        val s = snapshot
        if (state == s.state) return null
        return when (state) {
            PhoneState.RINGING -> {
                snapshot = s.copy(state = state, number = s.screened, direction = CallDirection.IN, ringingAt = at, offhookAt = null)
                null
            }
            PhoneState.OFFHOOK -> {
                snapshot = if (s.state == PhoneState.RINGING) {
                    s.copy(state = state, offhookAt = at)
                } else {
                    val dialled = s.dialled?.takeIf { s.dialledAt != null && at - s.dialledAt in 0..DIAL_WINDOW_MS }
                    s.copy(state = state, number = dialled, direction = CallDirection.OUT, ringingAt = null, offhookAt = at)
                }
                null
            }
            PhoneState.IDLE -> {
                snapshot = Snapshot()
                val offhook = s.offhookAt
                when {
                    offhook != null -> EndedCall(s.number, offhook, maxOf(0, (at - offhook) / 1000), s.direction ?: CallDirection.OUT)
                    s.ringingAt != null -> EndedCall(s.number, s.ringingAt, 0, CallDirection.MISSED)
                    else -> null
                }
            }
        }
    }

    companion object {
        /** How long after the app opened the dialler a call going off-hook is taken as that call. */
        const val DIAL_WINDOW_MS = 5 * 60 * 1000L
    }
}
