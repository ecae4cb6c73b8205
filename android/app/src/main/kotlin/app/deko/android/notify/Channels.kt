package app.deko.android.notify

import android.app.NotificationChannel
import android.app.NotificationManager
import android.content.Context
import app.deko.android.core.text
import app.deko.ui.i18n.S

/** The app's notification channels, named in the app's language (re-created when it changes: same ids, new names). */
object Channels {
    const val CALLS = "calls"
    const val SYNC = "sync"

    fun ensure(context: Context) {
        val nm = context.getSystemService(NotificationManager::class.java) ?: return
        nm.createNotificationChannel(NotificationChannel(CALLS, context.text(S.ChannelCalls), NotificationManager.IMPORTANCE_HIGH))
        nm.createNotificationChannel(NotificationChannel(SYNC, context.text(S.ChannelSync), NotificationManager.IMPORTANCE_LOW))
    }
}
