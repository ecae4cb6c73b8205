package app.deko.android.calls

import android.app.Notification
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import app.deko.android.core.text
import app.deko.android.notify.Channels
import app.deko.ui.data.CallOutcome
import app.deko.ui.i18n.S

/** Who a call was with, as the core matched its number: a person (with id), a company line, or nobody. */
data class Caller(val name: String?, val personId: String?)

/**
 * The notification after a call: "Log call with Jana Nováková · 4 min" with
 * an action per outcome (connected, no answer, left a message) that logs it
 * at once, and a tap that opens the log-a-call sheet prefilled (Add note).
 * An unknown number offers "New person" and "Attach to…" instead (both open
 * the app), and still "Connected" to log it as an unknown number; a call
 * whose number the platform did not tell only opens the sheet. Texts in
 * the app's language from the strings source.
 */
object CallNotification {
    /** One notification per call: its id from the call's start. */
    fun id(call: EndedCall): Int = (call.start / 1000).toInt()

    fun build(context: Context, call: EndedCall, caller: Caller): Notification {
        val who = caller.name ?: call.number ?: context.text(S.UnknownNumber)
        val known = caller.name != null
        val title = when {
            call.durationS <= 0 -> context.text(S.NotifMissedFrom, who)
            known -> context.text(S.NotifLogCallWith, who, call.minutes)
            else -> context.text(S.NotifCallWith, who, call.minutes)
        }
        val sheet = LogCallRequest(call.number, call.start, call.durationS, call.direction, caller.personId)
        val b = Notification.Builder(context, Channels.CALLS)
            .setSmallIcon(android.R.drawable.sym_call_outgoing)
            .setContentTitle(title)
            .setContentText(context.text(if (known || call.number == null) S.NotifTapToAddNote else S.NotifUnknownText))
            .setCategory(Notification.CATEGORY_CALL)
            .setAutoCancel(true)
            .setShowWhen(true)
            .setWhen(call.start)
            .setContentIntent(activity(context, call, 0, sheet))
        if (call.number == null) {
            // nothing to log by itself without a number: the tap opens the sheet
        } else if (known) {
            for ((i, outcome) in listOf(CallOutcome.CONNECTED, CallOutcome.NO_ANSWER, CallOutcome.LEFT_MESSAGE).withIndex()) {
                b.addAction(action(context, outcomeLabel(context, outcome), log(context, call, outcome, 1 + i)))
            }
        } else {
            b.addAction(action(context, context.text(S.OutConnected), log(context, call, CallOutcome.CONNECTED, 1)))
            b.addAction(action(context, context.text(S.NewPerson), activity(context, call, 4, sheet.copy(newPerson = true))))
            b.addAction(action(context, context.text(S.AttachTo), activity(context, call, 5, sheet)))
        }
        return b.build()
    }

    fun outcomeLabel(context: Context, outcome: CallOutcome): String = context.text(
        when (outcome) {
            CallOutcome.CONNECTED -> S.OutConnected
            CallOutcome.NO_ANSWER -> S.OutNoAnswer
            CallOutcome.LEFT_MESSAGE -> S.OutLeftMessage
            CallOutcome.BUSY -> S.OutBusy
            CallOutcome.WRONG_NUMBER -> S.OutWrongNumber
        },
    )

    private fun action(context: Context, label: String, intent: PendingIntent) =
        Notification.Action.Builder(null, label, intent).build()

    private fun requestCode(call: EndedCall, slot: Int) = id(call) * 8 + slot

    private fun log(context: Context, call: EndedCall, outcome: CallOutcome, slot: Int): PendingIntent {
        val intent = CallActionReceiver.intent(context, call, outcome, id(call))
        return PendingIntent.getBroadcast(context, requestCode(call, slot), intent, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT)
    }

    private fun activity(context: Context, call: EndedCall, slot: Int, request: LogCallRequest): PendingIntent =
        PendingIntent.getActivity(context, requestCode(call, slot), request.intent(context), PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT)
}
