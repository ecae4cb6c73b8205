package app.deko.android.calls

import android.telecom.Call
import android.telecom.CallScreeningService

/**
 * Holds the call-screening role only to learn the number of an incoming
 * call (no call-log permission needed): every call is let through
 * untouched. The number stays on the phone: it is only looked up in the
 * local database when the call ends.
 */
class CallScreening : CallScreeningService() {
    override fun onScreenCall(callDetails: Call.Details) {
        val number = callDetails.handle?.schemeSpecificPart
        val incoming = android.os.Build.VERSION.SDK_INT < 29 || callDetails.callDirection == Call.Details.DIRECTION_INCOMING
        if (incoming && !number.isNullOrBlank()) CallMonitor.screened(this, number)
        respondToCall(callDetails, CallResponse.Builder().build())
    }
}
