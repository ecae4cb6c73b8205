package app.deko.android.sync

import app.deko.android.core.AppCore
import app.deko.ffi.DekoException
import app.deko.ffi.InternalException
import app.deko.ffi.SyncReport
import app.deko.ffi.SyncTarget

/**
 * One background sync: every known teammate (their remembered addresses,
 * then the relay: the core's plan). Nothing before the phone belongs to a
 * team; a failure is the next run's to retry.
 */
suspend fun AppCore.backgroundSync(): SyncReport? {
    if (db.team() == null) return null
    return try {
        ensureSync()
        db.sync(SyncTarget.AllKnown)
    } catch (e: DekoException) {
        null
    } catch (e: InternalException) {
        null
    }
}
