package app.deko.android.sync

import android.content.Context
import app.deko.ui.data.CoreException
import app.deko.ui.data.DekoGateway
import app.deko.ui.data.SyncProgress
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.onEach

/**
 * The ui's gateway with joining moved into [FirstSyncService]: a long first
 * sync goes on in a foreground service (with its progress notification) when
 * the screen turns off or the activity goes away, while the join screen shows
 * the same progress and, on failure, the core's error as before. Everything
 * else is [inner]'s; where the system refuses the service, [inner] joins.
 */
class ForegroundJoin(private val context: Context, private val inner: DekoGateway) : DekoGateway by inner {
    override suspend fun join(ticket: String, yourName: String, progress: (SyncProgress) -> Unit) = coroutineScope {
        // follow the events before the service can send any (UNDISPATCHED: subscribed on return)
        val end = async(start = CoroutineStart.UNDISPATCHED) {
            FirstSync.events.onEach { if (it is FirstSyncEvent.Progress) progress(it.progress) }.first { it !is FirstSyncEvent.Progress }
        }
        if (!FirstSync.running && !FirstSyncService.start(context, ticket, yourName)) {
            end.cancel()
            return@coroutineScope inner.join(ticket, yourName, progress)
        }
        val last = end.await()
        if (last is FirstSyncEvent.Failed) throw CoreException(last.problem.kind, last.problem.detail, last.problem.reason)
    }
}
