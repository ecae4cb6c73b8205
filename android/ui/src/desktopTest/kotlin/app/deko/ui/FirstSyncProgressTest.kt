@file:OptIn(ExperimentalTestApi::class)

package app.deko.ui

import androidx.compose.ui.graphics.toAwtImage
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.onRoot
import app.deko.ui.data.DekoGateway
import app.deko.ui.data.SyncProgress
import app.deko.ui.i18n.Lang
import app.deko.ui.i18n.S
import app.deko.ui.i18n.Strings
import app.deko.ui.nav.Navigator
import app.deko.ui.nav.Section
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.performClick
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File
import java.util.concurrent.ConcurrentLinkedQueue
import javax.imageio.ImageIO

/** A first sync has two phases a user waits through: the records arriving, then the lists and search catching up. */
class FirstSyncProgressTest {
    private val out = File(System.getProperty("deko.shots.dir") ?: "target/screenshots-test")

    @Test
    fun aJoinReportsTheListsCatchingUpAfterTheRecords() = Dbs().use { dbs ->
        val a = dbs.founder("a.db")
        // Enough records for a batch whose views wait for the session's end.
        val cards = (0 until 400).joinToString("") { "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Jana $it\r\nN:Nováková;Jana $it;;;\r\nEND:VCARD\r\n" }
        runBlocking { a.db.importVcard("team.vcf", cards.toByteArray()) }
        val ticket = runBlocking { a.invite() }.ticket
        val b = dbs.open("b.db", region = null)
        val seen = ConcurrentLinkedQueue<SyncProgress>()
        runBlocking { b.join(ticket, "Bohdan") { seen.add(it) } }
        val all = seen.toList()
        val views = all.filter { it.views }
        assertTrue("the lists' catch-up was reported: $all", views.size >= 2)
        assertEquals("counted from nothing", 0L, views.first().received)
        assertEquals("to the whole", views.last().toReceive, views.last().received)
        assertTrue("every person counted: ${views.last()}", views.last().toReceive >= 400)
        assertTrue("after the records: $all", all.takeWhile { !it.views }.none { it.views })
        assertEquals(runBlocking { a.personCount() }, runBlocking { b.personCount() })
    }

    @Test
    fun theFirstRunScreenNamesTheListsPhase() = Dbs().use { dbs ->
        val real = dbs.open("b.db", region = null)
        // The real database, with a join held in its second phase.
        val held = object : DekoGateway by real {
            override suspend fun join(ticket: String, yourName: String, progress: (SyncProgress) -> Unit) {
                progress(SyncProgress("peer", 312_265, 312_265))
                progress(SyncProgress(null, 120_000, 312_006, views = true))
                awaitCancellation()
            }
        }
        // A phone in English, light; a tablet in Czech, dark.
        for ((name, look) in listOf("phone-light-en" to Triple(Lang.EN, PHONE, "LIGHT"), "tablet-dark-cs" to Triple(Lang.CS, TABLET, "DARK"))) {
            val (lang, size, theme) = look
            uiTest {
                setContent { Device(size) { DekoApp(held, platform(lang, theme = theme), Navigator()) } }
                joinOnScreen("deko:ticket")
                waitForText(Strings.get(lang, S.PreparingLists))
                waitForText(Strings.get(lang, S.PreparingListsProgress).replace("{0}", "120000").replace("{1}", "312006"))
                out.mkdirs()
                ImageIO.write(onRoot().captureToImage().toAwtImage(), "png", File(out, "first-run-lists-$name.png"))
            }
        }
    }

    @Test
    fun teamAndSyncNamesTheListsPhaseOfALargeSync() = Dbs().use { dbs ->
        val real = dbs.founder("a.db")
        // The real database, with a sync held while its lists catch up.
        val held = object : DekoGateway by real {
            override suspend fun syncNow(progress: (SyncProgress) -> Unit): List<app.deko.ui.data.PeerStatus> {
                progress(SyncProgress(null, 4_000, 52_000, views = true))
                awaitCancellation()
            }
        }
        val nav = Navigator()
        uiTest {
            setContent { Device { DekoApp(held, platform(), nav) } }
            nav.select(Section.TEAM)
            waitForTag("sync-now", seconds = 30)
            onNodeWithTag("sync-now").performClick()
            waitForText("Preparing lists and search…")
            waitForTag("sync-progress")
            out.mkdirs()
            ImageIO.write(onRoot().captureToImage().toAwtImage(), "png", File(out, "team-sync-lists-phone-en.png"))
        }
    }
}
