package app.deko.android.core

import android.content.Context
import app.deko.ffi.Database
import app.deko.ffi.SyncSettings
import app.deko.ui.jvm.FfiGateway
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import java.io.File

/**
 * The process's one open database and what hangs off it: the UI's gateway
 * over the same [db] (one object per database file), the ticket the NFC card
 * shares, and a scope for the glue's background work (syncs started by a
 * tap, a job or discovery). Services, receivers and the activity all reach
 * it through [Deko].
 */
class AppCore(
    val db: Database,
    /** Where sync listens once started (`0.0.0.0:0` on a phone; loopback in tests). */
    val listen: String = "0.0.0.0:0",
) : AutoCloseable {
    val gateway = FfiGateway(db, listen)
    val shelf = TicketShelf(this)
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)

    /** Starts sync if it is not running (the database must belong to a team); returns the bound address. */
    suspend fun ensureSync(): String = if (db.syncRunning()) db.localAddr() else db.startSync(SyncSettings(listen, null))

    override fun close() {
        scope.cancel()
        // the gateway stops sync and discovery, drops its listener and frees the database
        gateway.close()
    }

    companion object {
        /** The app's database file: `deko.db` in the app's private files. */
        fun databaseFile(context: Context): File = File(context.filesDir, "deko.db")

        /** Opens the app's database, its core's log lines going to Logcat from then on. */
        fun open(context: Context): AppCore {
            LogcatSink.install()
            return AppCore(Database.open(databaseFile(context).path, null))
        }
    }
}
