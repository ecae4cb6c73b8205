package app.deko.android.sync

import android.app.Notification
import android.app.NotificationManager
import android.app.Service
import android.content.Context
import android.content.Intent
import android.content.pm.ServiceInfo
import android.os.Build
import android.os.Handler
import android.os.IBinder
import android.os.Looper
import app.deko.android.core.AppLanguage
import app.deko.android.core.Deko
import app.deko.android.core.text
import app.deko.android.notify.Channels
import app.deko.ui.data.CoreException
import app.deko.ui.data.Problem
import app.deko.ui.data.SyncProgress
import app.deko.ui.i18n.S
import app.deko.ui.i18n.Strings
import app.deko.ui.i18n.explain
import kotlinx.coroutines.launch

/**
 * A long first sync (joining a team: the whole database arrives) in a
 * foreground service, so it goes on with the screen off or the app in the
 * background, with a progress notification ("1,200 of 40,000 records")
 * updated from the core's sync progress events. Started with a ticket and
 * the name to join with (by [ForegroundJoin]); tells [FirstSync] how it
 * goes; stops itself when the join ends, leaving a notification only when
 * it failed (the core's error in the app's language). The work is the
 * core's join through the ui's gateway.
 */
class FirstSyncService : Service() {
    private val main = Handler(Looper.getMainLooper())

    override fun onBind(intent: Intent?): IBinder? = null

    override fun onStartCommand(intent: Intent?, flags: Int, startId: Int): Int {
        Channels.ensure(this)
        val first = progress(null)
        if (Build.VERSION.SDK_INT >= 29) startForeground(NOTIFICATION, first, ServiceInfo.FOREGROUND_SERVICE_TYPE_DATA_SYNC) else startForeground(NOTIFICATION, first)
        val ticket = intent?.getStringExtra(EXTRA_TICKET)
        val name = intent?.getStringExtra(EXTRA_NAME)
        // a join already under way goes on (its service is this one); nothing to do without a ticket
        if (ticket == null || name == null || !claim()) {
            if (!FirstSync.running) stop(startId)
            return START_NOT_STICKY
        }
        val core = Deko.core(this)
        val nm = getSystemService(NotificationManager::class.java)
        core.scope.launch {
            val end = try {
                core.gateway.join(ticket, name) { p ->
                    nm?.notify(NOTIFICATION, progress(p))
                    FirstSync.emit(FirstSyncEvent.Progress(p))
                }
                FirstSyncEvent.Joined
            } catch (e: CoreException) {
                nm?.notify(FAILED, failed(e.problem))
                FirstSyncEvent.Failed(e.problem)
            }
            FirstSync.running = false
            FirstSync.emit(end)
            main.post { stop(null) }
        }
        return START_NOT_STICKY
    }

    private fun claim(): Boolean = synchronized(FirstSync) {
        if (FirstSync.running) false else true.also { FirstSync.running = true }
    }

    /** Out of the foreground, its progress notification gone; [startId] null: whatever was asked since. */
    private fun stop(startId: Int?) {
        stopForeground(STOP_FOREGROUND_REMOVE)
        if (startId == null) stopSelf() else stopSelf(startId)
    }

    /**
     * The progress notification: indeterminate until the peer says how many records come; then
     * records received, then the lists and search catching up with them.
     */
    fun progress(p: SyncProgress?): Notification {
        val total = p?.toReceive ?: 0
        val received = (p?.received ?: 0).coerceIn(0, total.coerceAtLeast(0))
        return Notification.Builder(this, Channels.SYNC)
            .setSmallIcon(android.R.drawable.stat_notify_sync)
            .setContentTitle(text(S.NotifSyncingTeam))
            .setContentText(
                when {
                    total <= 0 -> text(S.Syncing)
                    p?.views == true -> text(S.PreparingListsProgress, received, total)
                    else -> text(S.NotifSyncProgress, received, total)
                },
            )
            .setProgress(total.coerceIn(0, Int.MAX_VALUE.toLong()).toInt(), received.coerceAtMost(Int.MAX_VALUE.toLong()).toInt(), total <= 0)
            .setOngoing(true)
            .setOnlyAlertOnce(true)
            .build()
    }

    /** Why the join failed, in the app's language (the screen says the same when it is open). */
    private fun failed(problem: Problem): Notification = Notification.Builder(this, Channels.SYNC)
        .setSmallIcon(android.R.drawable.stat_notify_error)
        .setContentTitle(text(S.NotifJoinFailed))
        .setContentText(Strings.explain(AppLanguage.of(this), problem))
        .setStyle(Notification.BigTextStyle().bigText(Strings.explain(AppLanguage.of(this), problem)))
        .setAutoCancel(true)
        .build()

    companion object {
        const val NOTIFICATION = 1403
        const val FAILED = 1404
        private const val EXTRA_TICKET = "ticket"
        private const val EXTRA_NAME = "name"

        fun intent(context: Context, ticket: String, yourName: String): Intent =
            Intent(context, FirstSyncService::class.java).putExtra(EXTRA_TICKET, ticket).putExtra(EXTRA_NAME, yourName)

        /** Asks for the service; false when the system refuses to start a foreground service now. */
        fun start(context: Context, ticket: String, yourName: String): Boolean = try {
            context.startForegroundService(intent(context, ticket, yourName)) != null
        } catch (e: IllegalStateException) {
            false
        } catch (e: SecurityException) {
            false
        }
    }
}
