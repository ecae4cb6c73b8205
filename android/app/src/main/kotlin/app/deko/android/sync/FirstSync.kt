package app.deko.android.sync

import app.deko.ui.data.Problem
import app.deko.ui.data.SyncProgress
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.asSharedFlow

/** What the first sync (a join) tells whoever follows it: progress, then one end. */
sealed interface FirstSyncEvent {
    data class Progress(val progress: SyncProgress) : FirstSyncEvent
    data object Joined : FirstSyncEvent
    data class Failed(val problem: Problem) : FirstSyncEvent
}

/**
 * The process's one first sync, as [FirstSyncService] runs it and the join
 * screen follows it ([ForegroundJoin]). In order; the oldest progress is
 * dropped if nobody keeps up, never an end.
 */
object FirstSync {
    private val _events = MutableSharedFlow<FirstSyncEvent>(extraBufferCapacity = 64, onBufferOverflow = BufferOverflow.DROP_OLDEST)
    val events: SharedFlow<FirstSyncEvent> = _events.asSharedFlow()

    /** Whether a join is under way (a second request then follows it instead of starting another). */
    @Volatile var running: Boolean = false
        internal set

    internal fun emit(event: FirstSyncEvent) {
        _events.tryEmit(event)
    }
}
