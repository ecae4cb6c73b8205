@file:OptIn(ExperimentalTestApi::class)

package app.deko.ui

import androidx.compose.ui.test.*
import app.deko.ui.data.PersonForm
import app.deko.ui.i18n.Lang
import app.deko.ui.i18n.S
import app.deko.ui.i18n.Strings
import app.deko.ui.nav.Navigator
import app.deko.ui.nav.Route
import app.deko.ui.nav.Section
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** Two real databases syncing over loopback QUIC while the screen shows the second. */
class SyncFlowTest {
    private fun PersonForm.withTitle(t: String) = copy(title = t)

    @Test
    fun joinThenANewPersonAndAConflictArriveAndTheConflictIsResolvedOnScreen() = Dbs().use { dbs ->
        val a = dbs.founder("a.db")
        val jan = runBlocking { a.person("Jan", "Novák", "603 123 456", title = "Buyer") }
        val ticket = runBlocking { a.invite() }.ticket
        val b = dbs.open("b.db", region = null)
        val nav = Navigator()
        uiTest {
            app(b, nav = nav)
            // first run: join with the ticket; the database arrives, then the people list
            joinOnScreen(ticket)
            waitForText("Jan Novák", seconds = 30)

            // a person added on the first device appears on this screen after a sync
            runBlocking { a.person("Marie", "Horáková") }
            runBlocking { b.syncNow { } }
            waitForText("Marie Horáková")

            // the same field changed on both devices: a conflict on both after sync
            runBlocking {
                val pa = a.person(jan)!!
                a.savePerson(jan, PersonForm(pa.given!!, pa.family!!, "Head buyer", "", listOf(pa.phones[0]), emptyList(), ""))
                val pb = b.person(jan)!!
                b.savePerson(jan, PersonForm(pb.given!!, pb.family!!, "Chief buyer", "", listOf(pb.phones[0]), emptyList(), ""))
            }
            nav.select(Section.TEAM)
            waitForTag("sync-now")
            onNodeWithTag("sync-now").performClick()
            waitForTag("sync-message", seconds = 30)
            waitForTag("to-conflicts")
            onNodeWithTag("to-conflicts").performClick()
            waitForTag("conflict-$jan-title")
            onNodeWithText("Head buyer").assertExists()
            onNodeWithText("Chief buyer").assertExists()
            onNodeWithText("Jan Novák: Job title").assertExists()
            onNodeWithTag("write-new").performClick()
            waitForTag("new-value")
            typeInto("new-value", "Purchasing director")
            onNodeWithTag("use-new").performClick()
            waitForText("No conflicts")
        }
        assertEquals("Purchasing director", runBlocking { b.person(jan) }!!.title)
        // and after the next sync the first device has it too, with no conflict left
        val outcome = runBlocking { b.syncNow { } }
        assertTrue(outcome.all { it.error == null })
        assertEquals("Purchasing director", runBlocking { a.person(jan) }!!.title)
        assertTrue(runBlocking { a.conflicts() }.isEmpty())
    }

    @Test
    fun keepingOneOfTwoValuesResolvesTheConflict() = Dbs().use { dbs ->
        val a = dbs.founder("a.db")
        val jan = runBlocking { a.person("Jan", "Novák", title = "Buyer") }
        val ticket = runBlocking { a.invite() }.ticket
        val b = dbs.open("b.db", region = null)
        runBlocking {
            b.join(ticket, "Bohdan") {}
            a.savePerson(jan, PersonForm("Jan", "Novák", "Head buyer", "", emptyList(), emptyList(), ""))
            b.savePerson(jan, PersonForm("Jan", "Novák", "Chief buyer", "", emptyList(), emptyList(), ""))
            b.syncNow { }
        }
        assertEquals(1, runBlocking { b.conflicts() }.size)
        // whose field and who wrote each value: the core's words, from the roster
        val conflict = runBlocking { b.conflicts() }.single()
        assertEquals("Jan Novák", conflict.entityName)
        assertEquals(listOf("Alena Malá", "Bohdan"), conflict.choices.map { it.author }.sorted())
        uiTest {
            app(b, size = TABLET, nav = Navigator(Route.Conflicts))
            waitForTag("conflict-$jan-title")
            val values = runBlocking { b.conflicts() }.single().choices.map { it.text }
            onNodeWithTag("keep-1").performClick()
            waitForText("No conflicts")
            assertEquals(values[1], runBlocking { b.person(jan) }!!.title)
        }
    }

    @Test
    fun aBadTicketShowsAClearMessage() = Dbs().use { dbs ->
        val b = dbs.open("b.db")
        uiTest {
            app(b)
            joinOnScreen("DEKO:AEBAGBAFAYDQQCIKBMGA")
            waitForTag("ticket-error")
            val msg = onNodeWithTag("ticket-error", useUnmergedTree = true).fetchSemanticsNode().config[androidx.compose.ui.semantics.SemanticsProperties.Text].joinToString { it.text }
            // the core's BadTicket kind, said in the UI's words (not the core's English sentence)
            assertEquals(app.deko.ui.i18n.Strings.get(app.deko.ui.i18n.Lang.EN, app.deko.ui.i18n.S.ErrBadTicket), msg)
            onNodeWithTag("first-run").assertExists()
        }
        assertEquals(null, runBlocking { b.team() })
    }

    @Test
    fun anUnreachablePeerShowsAClearMessage() = Dbs().use { dbs ->
        val a = dbs.founder("a.db")
        val ticket = runBlocking { a.invite() }.ticket
        val b = dbs.open("b.db", region = null)
        runBlocking { b.join(ticket, "Bohdan") {} }
        a.close() // the first device goes away: its address stops answering
        uiTest {
            app(b, nav = Navigator(Route.Team))
            waitForTag("sync-now")
            onNodeWithTag("sync-now").performClick()
            waitForTag("peer-error", seconds = 40)
            waitForTag("sync-error")
            val shown = texts().joinToString(" | ")
            assertTrue(shown, shown.contains("Could not sync"))
            // the peer's failure in the app's words (its kind), not the core's English sentence
            assertTrue(shown, shown.contains(Strings.get(Lang.EN, S.ErrUnreachable)))
        }
    }
}
