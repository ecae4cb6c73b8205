package app.deko.android

import android.app.Notification
import android.app.NotificationManager
import android.content.Context
import android.content.Intent
import android.os.Looper
import app.deko.android.core.AppCore
import app.deko.android.core.AppLanguage
import app.deko.android.notify.Channels
import app.deko.android.sync.FirstSync
import app.deko.android.sync.FirstSyncService
import app.deko.android.sync.ForegroundJoin
import app.deko.core.Role
import app.deko.core.SortBy
import app.deko.ffi.InviteOptions
import app.deko.ui.data.CoreException
import app.deko.ui.data.ErrorKind
import app.deko.ui.data.SyncProgress
import app.deko.ui.i18n.Lang
import app.deko.ui.i18n.S
import app.deko.ui.i18n.Strings
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.GlobalScope
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.android.controller.ServiceController

/**
 * Joining a team from the join screen, over the real library: the join runs
 * in [FirstSyncService], in the foreground with a progress notification fed
 * by the core's sync progress events, the screen sees the same progress, and
 * the service stops when the join ends; a failing join ends with the core's
 * error on the screen and a notification in the app's language.
 */
@RunWith(RobolectricTestRunner::class)
class FirstSyncTest {
    private val context: Context = RuntimeEnvironment.getApplication()
    private val cores = TestCores()
    private val nm get() = context.getSystemService(NotificationManager::class.java)!!

    @After
    fun tearDown() = cores.close()

    /** The screen's join through [ForegroundJoin]; its progress callback also reads the notification then on show. */
    private class Screen(context: Context, phone: AppCore, ticket: String, private val nm: NotificationManager) {
        val seen = java.util.Collections.synchronizedList(mutableListOf<Pair<SyncProgress, String?>>())
        @OptIn(kotlinx.coroutines.DelicateCoroutinesApi::class)
        val result: Deferred<Unit> = GlobalScope.async(Dispatchers.IO) {
            ForegroundJoin(context, phone.gateway).join(ticket, "Petr") { p ->
                seen += p to shadowOf(nm).getNotification(FirstSyncService.NOTIFICATION)?.extras?.getString(Notification.EXTRA_TEXT)
            }
        }
    }

    /** The service the join asked the system for, started as the system would. */
    private fun startedService(): ServiceController<FirstSyncService> {
        var intent: Intent? = null
        eventually(what = "the join asks for the foreground service") {
            intent = shadowOf(RuntimeEnvironment.getApplication()).nextStartedService
            intent != null
        }
        assertEquals(FirstSyncService::class.java.name, intent!!.component!!.className)
        return Robolectric.buildService(FirstSyncService::class.java, intent).create().startCommand(0, 1)
    }

    /** Waits for [d], running the main looper meanwhile (the service stops itself there). */
    private fun <T> awaitWithLooper(d: Deferred<T>): T {
        eventually(what = "the join ends") { shadowOf(Looper.getMainLooper()).idle(); d.isCompleted }
        shadowOf(Looper.getMainLooper()).idle()
        return runBlocking { d.await() }
    }

    @Test
    fun aLongJoinRunsInTheForegroundWithProgressAndStopsWhenDone() {
        val alena = cores.other("alena")
        alena.db.createTeam("Acme", "Alena")
        val vcards = (1..300).joinToString("") { i ->
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nováková $i;Jana;;;\r\nFN:Jana Nováková $i\r\nTEL;TYPE=CELL:+420 603 ${100000 + i}\r\nEMAIL:jana$i@example.cz\r\nORG:Firma $i\r\nTITLE:Buyer\r\nEND:VCARD\r\n"
        }
        runBlocking { alena.db.importVcard("test.vcf", vcards.toByteArray()) }
        val ticket = runBlocking { alena.db.ticket(listOf(alena.ensureSync()), InviteOptions(Role.MEMBER, 600uL)) }
        val petr = cores.phone("petr")

        val screen = Screen(context, petr, ticket, nm)
        val controller = startedService()
        val service = controller.get()
        val shadow = shadowOf(service)
        val first = shadow.lastForegroundNotification
        assertNotNull("the service is in the foreground at once", first)
        assertEquals(Channels.SYNC, first.channelId)
        assertEquals(Strings.get(Lang.EN, S.NotifSyncingTeam), first.extras.getString(Notification.EXTRA_TITLE))
        assertTrue("ongoing", first.flags and Notification.FLAG_ONGOING_EVENT != 0)

        awaitWithLooper(screen.result)
        assertEquals(alena.db.stateDigest(), petr.db.stateDigest())
        assertEquals(300, petr.db.people(SortBy.NAME, 0u, 1000u).count { it.displayName.startsWith("Jana Nováková") })

        // progress came from the core's events, to the notification and to the screen alike
        val progress = screen.seen.filter { it.first.toReceive > 0 }
        assertTrue("progress reached the screen: ${screen.seen}", progress.isNotEmpty())
        val pattern = Regex("""(\d+) of (\d+) records""")
        assertTrue(
            "the notification shows progress: ${screen.seen}",
            progress.any { (_, text) -> text != null && pattern.matches(text) },
        )
        for ((p, _) in progress) assertTrue("$p", p.received in 0..p.toReceive)
        // then the lists and search catching up with the 300 people, counted to the whole
        val views = progress.map { it.first }.filter { it.views }
        assertTrue("the lists' phase reached the screen: ${screen.seen}", views.isNotEmpty())
        assertEquals(views.last().toReceive, views.last().received)

        // the join ended: out of the foreground, notification gone, stopped, no failure shown
        eventually(what = "the service stops itself") {
            shadowOf(Looper.getMainLooper()).idle()
            shadow.isForegroundStopped && shadow.isStoppedBySelf
        }
        assertNull(shadowOf(nm).getNotification(FirstSyncService.NOTIFICATION))
        assertNull(shadowOf(nm).getNotification(FirstSyncService.FAILED))
        assertFalse(FirstSync.running)
        controller.destroy()
    }

    @Test
    fun aFailingJoinShowsAClearLocalizedMessage() {
        AppLanguage.set(context, Lang.CS)
        val petr = cores.phone("petr")
        val screen = Screen(context, petr, "DEKO:AEBAGBAFAYDQQCIKBMGA", nm)
        val controller = startedService()
        val shadow = shadowOf(controller.get())
        assertEquals(Strings.get(Lang.CS, S.NotifSyncingTeam), shadow.lastForegroundNotification.extras.getString(Notification.EXTRA_TITLE))

        val error = runCatching { awaitWithLooper(screen.result) }.exceptionOrNull()
        assertTrue("the screen gets the core's error: $error", error is CoreException && error.kind == ErrorKind.BAD_TICKET)
        val failed = shadowOf(nm).getNotification(FirstSyncService.FAILED)
        assertNotNull("a failure notification", failed)
        assertEquals(Strings.get(Lang.CS, S.NotifJoinFailed), failed.extras.getString(Notification.EXTRA_TITLE))
        assertEquals(Strings.get(Lang.CS, S.ErrBadTicket), failed.extras.getString(Notification.EXTRA_TEXT))
        // the service stops itself on the main looper after the screen hears of the failure
        eventually(what = "the service stops itself") {
            shadowOf(Looper.getMainLooper()).idle()
            shadow.isForegroundStopped && shadow.isStoppedBySelf
        }
        assertNull(petr.db.team())
        assertFalse(FirstSync.running)
    }

    @Test
    fun aServiceStartedWithoutATicketStopsAtOnce() {
        cores.phone("petr")
        val controller = Robolectric.buildService(FirstSyncService::class.java, Intent(context, FirstSyncService::class.java)).create().startCommand(0, 1)
        val shadow = shadowOf(controller.get())
        assertTrue(shadow.isStoppedBySelf)
        assertFalse(FirstSync.running)
    }
}
