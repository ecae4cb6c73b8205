package app.deko.android.calls

import android.app.NotificationManager
import android.content.Context
import app.deko.android.core.Deko
import app.deko.android.notify.Channels
import app.deko.ffi.DekoException
import app.deko.ffi.InternalException

/**
 * A call ended: ask the core who the number belongs to (caller lookup, the
 * core's rules) and post the call notification. Local work of a few ms, so
 * it runs where the event arrived.
 */
object CallEndNotifier {
    fun onCallEnded(context: Context, call: EndedCall) {
        val caller = call.number?.let { lookup(context, it) } ?: Caller(null, null)
        Channels.ensure(context)
        val nm = context.getSystemService(NotificationManager::class.java) ?: return
        nm.notify(CallNotification.id(call), CallNotification.build(context, call, caller))
    }

    private fun lookup(context: Context, number: String): Caller = try {
        val match = Deko.core(context).db.lookupNumber(number)
        val person = match.people.firstOrNull()
        val company = match.companies.firstOrNull()
        when {
            person != null -> Caller(person.displayName, person.id)
            company != null -> Caller(company.name, null)
            else -> Caller(null, null)
        }
    } catch (e: DekoException) {
        // an unreadable number (a withheld or service number): offer it as unknown
        Caller(null, null)
    } catch (e: InternalException) {
        // the library failed inside (it logged where): the note can still be written
        Caller(null, null)
    }
}
