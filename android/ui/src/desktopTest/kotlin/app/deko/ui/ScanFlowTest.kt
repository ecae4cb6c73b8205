@file:OptIn(ExperimentalTestApi::class)

package app.deko.ui

import androidx.compose.ui.test.*
import app.deko.ui.desktop.ImageScanner
import app.deko.ui.i18n.Lang
import app.deko.ui.i18n.S
import app.deko.ui.i18n.Strings
import app.deko.ui.nav.Navigator
import app.deko.ui.nav.Section
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import java.awt.Color
import java.awt.image.BufferedImage
import java.io.File
import javax.imageio.ImageIO

/**
 * "Scan QR code" on the first-run and Team & sync screens, with the desktop's
 * scanner ([ImageScanner]: the clipboard's picture, else a picked file) reading
 * a real invitation's QR code, drawn into a picture, through TicketScan.
 */
class ScanFlowTest {
    /** A QR matrix as a picture: [px] pixels a module, dark on white, inside a grey frame (a screenshot of the invite card). */
    private fun picture(qr: List<BooleanArray>, px: Int = 6): BufferedImage {
        val margin = 40
        val side = qr.size * px + 2 * margin
        return BufferedImage(side, side, BufferedImage.TYPE_INT_RGB).also { img ->
            val g = img.createGraphics()
            g.color = Color(0xDD, 0xDD, 0xE0); g.fillRect(0, 0, side, side)
            g.color = Color.WHITE; g.fillRect(margin, margin, qr.size * px, qr.size * px)
            g.color = Color.BLACK
            for ((y, row) in qr.withIndex()) for ((x, dark) in row.withIndex()) if (dark) g.fillRect(margin + x * px, margin + y * px, px, px)
            g.dispose()
        }
    }

    private fun File.png(img: BufferedImage) = also { ImageIO.write(img, "png", it) }

    @Test
    fun withoutAScannerThereIsNoButton() = Dbs().use { dbs ->
        val fresh = dbs.open("fresh.db")
        val member = dbs.founder("a.db")
        uiTest {
            app(fresh)
            waitForTag("first-run")
            onNodeWithTag("mode-join").performClick()
            waitForTag("paste")
            onNodeWithTag("scan-qr").assertDoesNotExist()
        }
        val nav = Navigator()
        uiTest {
            app(member, nav = nav)
            waitForTag("nav-team")
            nav.select(Section.TEAM)
            onNodeWithTag("team").performScrollToNode(hasTestTag("sync-ticket-go"))
            waitForTag("sync-ticket-go")
            onNodeWithTag("scan-qr").assertDoesNotExist()
        }
    }

    @Test
    fun aPictureWithoutACodeSaysSoThenAScannedInvitationFillsTheFieldAndJoins() = Dbs().use { dbs ->
        val a = dbs.founder("a.db")
        val jan = runBlocking { a.person("Jan", "Novák") }
        val invite = runBlocking { a.invite() }
        val b = dbs.open("b.db", region = null)
        // first the clipboard holds a photo of something else and the file picked is blank; then the invitation is on the clipboard
        val blank = File(dbs.dir, "blank.png").png(BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB))
        var clipboard: BufferedImage? = BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB)
        var picked = 0
        val scanner = ImageScanner(clipboard = { clipboard }, pick = { picked++; blank })
        uiTest {
            app(b, lang = Lang.CS, scanner = scanner)
            waitForTag("first-run")
            onNodeWithTag("mode-join").performClick()
            waitForTag("scan-qr")
            onNodeWithTag("scan-qr").assertTextEquals(Strings.get(Lang.CS, S.ScanQr))
            onNodeWithTag("scan-qr").performClick()
            waitForTag("scan-message")
            onNode(hasText(Strings.get(Lang.CS, S.ScanNoCode)) and hasAnyAncestor(hasTestTag("scan-message")), useUnmergedTree = true).assertExists()
            assertEquals(1, picked)
            assertEquals("", textOfField("ticket"))

            clipboard = picture(invite.qr)
            onNodeWithTag("scan-qr").performClick()
            waitUntil(timeoutMillis = 15_000) { textOfField("ticket").isNotEmpty() }
            assertTrue(textOfField("ticket").equals(invite.ticket, ignoreCase = true))
            onNodeWithTag("scan-message").assertDoesNotExist()
            assertEquals("the clipboard had it: no file dialog", 1, picked)
            onNodeWithTag("your-name").performTextInput("Bohdan")
            onNodeWithTag("join").performClick()
            waitForText("Jan Novák", seconds = 30)
        }
        assertEquals("Novák", runBlocking { b.person(jan) }!!.family)
    }

    @Test
    fun onTeamAndSyncAScannedFileFillsTheTicketAndSyncs() = Dbs().use { dbs ->
        val a = dbs.founder("a.db")
        val b = dbs.open("b.db", region = null)
        runBlocking { b.join(a.invite().ticket, "Bohdan") { } }
        val marie = runBlocking { a.person("Marie", "Horáková") }
        val invite = runBlocking { a.invite() }
        val file = File(dbs.dir, "code.png").png(picture(invite.qr, px = 4))
        val nav = Navigator()
        uiTest {
            app(b, nav = nav, scanner = ImageScanner(clipboard = { null }, pick = { file }))
            waitForTag("nav-team")
            nav.select(Section.TEAM)
            onNodeWithTag("team").performScrollToNode(hasTestTag("sync-ticket-go"))
            waitForTag("scan-qr")
            onNodeWithTag("scan-qr").performClick()
            waitUntil(timeoutMillis = 15_000) { textOfField("sync-ticket").isNotEmpty() }
            assertTrue(textOfField("sync-ticket").equals(invite.ticket, ignoreCase = true))
            onNodeWithTag("sync-ticket-go").performClick()
            onNodeWithTag("team").performScrollToIndex(0)
            waitForTag("sync-message", seconds = 30)
        }
        assertEquals("Horáková", runBlocking { b.person(marie) }!!.family)
    }
}

/** The text in the field with [tag]. */
private fun ComposeUiTest.textOfField(tag: String): String =
    onNodeWithTag(tag).fetchSemanticsNode().config[androidx.compose.ui.semantics.SemanticsProperties.EditableText].text
