package app.deko.android.calls

import android.app.NotificationManager
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import app.deko.android.core.Deko
import app.deko.core.CallInput
import app.deko.core.Direction
import app.deko.ffi.DekoException
import app.deko.ffi.InternalException
import app.deko.ui.data.CallDirection
import app.deko.ui.data.CallOutcome

/**
 * An outcome action of the call notification: logs the call with that
 * outcome (the core's log-a-call: number matched to the person, stored,
 * indexed, durable when it returns; a few ms, so done here) and removes the
 * notification. Not exported: only the app's own PendingIntents reach it.
 */
class CallActionReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        if (intent.action != ACTION) return
        val start = intent.getLongExtra(EXTRA_START, -1).takeIf { it >= 0 } ?: return
        val number = intent.getStringExtra(EXTRA_NUMBER).orEmpty()
        val outcome = CallOutcome.entries.find { it.key == intent.getStringExtra(EXTRA_OUTCOME) }
        val direction = when (intent.getStringExtra(EXTRA_DIRECTION)) {
            CallDirection.IN.name -> Direction.IN
            CallDirection.MISSED.name -> Direction.MISSED
            else -> Direction.OUT
        }
        try {
            Deko.core(context).db.logCall(CallInput(number, start, intent.getLongExtra(EXTRA_DURATION, 0), direction, null, outcome?.key))
        } catch (e: DekoException) {
            // the number cannot be read or the database is unusable: the notification's tap still opens the sheet
            return
        } catch (e: InternalException) {
            // the library failed inside (it logged where): as above
            return
        }
        context.getSystemService(NotificationManager::class.java)?.cancel(intent.getIntExtra(EXTRA_NOTIFICATION, 0))
    }

    companion object {
        const val ACTION = "app.deko.action.LOG_CALL_OUTCOME"
        private const val EXTRA_NUMBER = "number"
        private const val EXTRA_START = "start"
        private const val EXTRA_DURATION = "duration_s"
        private const val EXTRA_DIRECTION = "direction"
        private const val EXTRA_OUTCOME = "outcome"
        private const val EXTRA_NOTIFICATION = "notification"

        fun intent(context: Context, call: EndedCall, outcome: CallOutcome, notification: Int): Intent =
            Intent(ACTION).setClass(context, CallActionReceiver::class.java)
                .putExtra(EXTRA_NUMBER, call.number)
                .putExtra(EXTRA_START, call.start)
                .putExtra(EXTRA_DURATION, call.durationS)
                .putExtra(EXTRA_DIRECTION, call.direction.name)
                .putExtra(EXTRA_OUTCOME, outcome.key)
                .putExtra(EXTRA_NOTIFICATION, notification)
    }
}
