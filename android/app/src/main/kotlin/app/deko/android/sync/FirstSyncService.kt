package app.deko.android.sync

import android.app.Notification
import android.app.NotificationManager
import android.app.Service
import android.content.Context
import android.content.Intent
import android.content.pm.ServiceInfo
import android.os.Build
import android.os.IBinder
import app.deko.android.core.Deko
import app.deko.android.core.text
import app.deko.android.nfc.useTicket
import app.deko.android.notify.Channels
import app.deko.core.SyncStats
import app.deko.core.SyncVia
import app.deko.ffi.SyncListener
import app.deko.ui.i18n.S
import kotlinx.coroutines.launch

/**
 * A long first sync (joining a team: the whole database arrives) in a
 * foreground service, so it goes on with the screen off or the app in the
 * background, with a progress notification ("1,200 of 40,000 records").
 * Started with a ticket and the name to join with; stops itself when the
 * join ends. The work is the core's join; this only keeps the process in
 * the foreground and shows progress.
 */
class FirstSyncService : Service() {
    override fun onBind(intent: Intent?): IBinder? = null

    override fun onStartCommand(intent: Intent?, flags: Int, startId: Int): Int {
        val ticket = intent?.getStringExtra(EXTRA_TICKET)
        val name = intent?.getStringExtra(EXTRA_NAME)
        Channels.ensure(this)
        val first = progress(0, 0)
        if (Build.VERSION.SDK_INT >= 29) startForeground(NOTIFICATION, first, ServiceInfo.FOREGROUND_SERVICE_TYPE_DATA_SYNC) else startForeground(NOTIFICATION, first)
        if (ticket == null) {
            stopSelf(startId)
            return START_NOT_STICKY
        }
        val core = Deko.core(this)
        val nm = getSystemService(NotificationManager::class.java)
        val listener = object : SyncListener {
            override fun onStarted(peer: String, via: SyncVia, initiator: Boolean) {}
            override fun onProgress(peer: String, stats: SyncStats) {
                nm?.notify(NOTIFICATION, progress(stats.received.toLong(), stats.toReceive.toLong()))
            }
            override fun onDone(peer: String, stats: SyncStats) {}
            override fun onError(peer: String?, message: String) {}
        }
        core.db.addSyncListener(listener)
        core.scope.launch {
            try {
                core.useTicket(ticket, name)
            } finally {
                stopSelf(startId)
            }
        }
        return START_NOT_STICKY
    }

    /** The progress notification: indeterminate until the peer says how many records come. */
    fun progress(received: Long, total: Long): Notification = Notification.Builder(this, Channels.SYNC)
        .setSmallIcon(android.R.drawable.stat_notify_sync)
        .setContentTitle(text(S.NotifSyncingTeam))
        .setContentText(if (total > 0) text(S.NotifSyncProgress, received, total) else text(S.Syncing))
        .setProgress(total.coerceAtMost(Int.MAX_VALUE.toLong()).toInt(), received.coerceAtMost(total).toInt(), total <= 0)
        .setOngoing(true)
        .setOnlyAlertOnce(true)
        .build()

    companion object {
        const val NOTIFICATION = 1403
        private const val EXTRA_TICKET = "ticket"
        private const val EXTRA_NAME = "name"

        fun intent(context: Context, ticket: String, yourName: String?): Intent =
            Intent(context, FirstSyncService::class.java).putExtra(EXTRA_TICKET, ticket).putExtra(EXTRA_NAME, yourName)

        fun start(context: Context, ticket: String, yourName: String?) {
            context.startForegroundService(intent(context, ticket, yourName))
        }
    }
}
