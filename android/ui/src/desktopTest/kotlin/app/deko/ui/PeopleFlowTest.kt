@file:OptIn(ExperimentalTestApi::class)

package app.deko.ui

import androidx.compose.ui.test.*
import app.deko.ui.data.CallDirection
import app.deko.ui.data.CallDraft
import app.deko.ui.nav.Navigator
import app.deko.ui.nav.Route
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** People, search, detail, add/edit and log-a-call over the real library. */
class PeopleFlowTest {
    @Test
    fun foundingATeamShowsTheEmptyPeopleListWithAHint() = Dbs().use { dbs ->
        val gw = dbs.open("new.db")
        uiTest {
            app(gw)
            waitForTag("first-run")
            onNodeWithTag("mode-found").performClick()
            onNodeWithTag("found").performClick()
            onAllNodesWithText("Please enter a name.").assertCountEquals(2)
            typeInto("team-name", "Acme s.r.o.")
            typeInto("your-name", "Alena Malá")
            onNodeWithTag("found").performClick()
            waitForText("No people yet")
            onNodeWithText("Add the first customer", substring = true).assertExists()
        }
        assertEquals("Acme s.r.o.", runBlocking { gw.team() }?.name)
    }

    @Test
    fun dueACallListsThePeopleNotContactedFor30DaysNeverFirst() = Dbs().use { dbs ->
        val gw = dbs.founder()
        val day = 86_400_000L
        val now = System.currentTimeMillis()
        val (old, recent, never) = runBlocking {
            val old = gw.person("Petr", "Starý", "731 222 333")
            val recent = gw.person("Jana", "Nováková", "603 123 456")
            val never = gw.person("Iva", "Nová")
            gw.logCall(CallDraft("731 222 333", now - 40 * day, 60, CallDirection.OUT, null, null))
            gw.logCall(CallDraft("603 123 456", now - 2 * day, 60, CallDirection.IN, null, null))
            Triple(old, recent, never)
        }
        uiTest {
            app(gw)
            waitForText("Jana Nováková")
            onNodeWithTag("tab-due").performClick()
            waitForTag("person-$old")
            onNodeWithTag("person-$never").assertExists()
            onNodeWithTag("person-$recent").assertDoesNotExist()
            onNodeWithText("never").assertExists()
            // never contacted first, then the longest ago
            val top = { tag: String -> onNodeWithTag(tag).fetchSemanticsNode().boundsInRoot.top }
            assertTrue(top("person-$never") < top("person-$old"))
            // a call today takes someone off the list
            runBlocking { gw.logCall(CallDraft("731 222 333", now, 30, CallDirection.OUT, null, null)) }
            onNodeWithTag("tab-people").performClick()
            waitForTag("person-$recent")
            onNodeWithTag("tab-due").performClick()
            waitGone(hasTestTag("person-$recent"))
            waitGone(hasTestTag("person-$old"))
            onNodeWithTag("person-$never").assertExists()
        }
        val due = runBlocking { gw.notContacted(30, now + 1_000, 0, 50) }.map { it.id }
        assertEquals(listOf(never), due)
    }

    @Test
    fun everyoneContactedShowsThatNobodyIsDue() = Dbs().use { dbs ->
        val gw = dbs.founder()
        runBlocking {
            gw.person("Jana", "Nováková", "603 123 456")
            gw.logCall(CallDraft("603 123 456", System.currentTimeMillis(), 60, CallDirection.IN, null, null))
        }
        uiTest {
            app(gw)
            waitForText("Jana Nováková")
            onNodeWithTag("tab-due").performClick()
            waitForText("Everyone has heard from you in the last 30 days")
        }
    }

    @Test
    fun searchNovakFindsNovakWithDiacritics() = Dbs().use { dbs ->
        val gw = dbs.founder()
        runBlocking {
            gw.person("Jan", "Novák", "603 123 456", company = "Strojírny Žďár")
            gw.person("Eva", "Dvořáková")
            gw.person("Petr", "Svoboda")
        }
        uiTest {
            app(gw)
            waitForText("Eva Dvořáková")
            onNodeWithText("Petr Svoboda").assertExists()
            onNodeWithTag("search").performTextInput("novak")
            waitForText("Jan Novák")
            waitGone(hasText("Petr Svoboda"))
            onNodeWithText("Eva Dvořáková").assertDoesNotExist()
            // the core's search also finds by company, folded
            typeInto("search", "zdar")
            waitForText("Jan Novák")
            typeInto("search", "xyzzy")
            waitForText("Nothing found for “xyzzy”")
        }
    }

    @Test
    fun aNoteFoundBySearchOpensThePersonItIsAbout() = Dbs().use { dbs ->
        val gw = dbs.founder()
        val jan = runBlocking { gw.person("Jan", "Novák") }
        val note = runBlocking { gw.addNote(System.currentTimeMillis(), "Ložiska 6204 do pátku", jan, null) }
        uiTest {
            app(gw)
            waitForText("Jan Novák")
            onNodeWithTag("search").performTextInput("loziska")
            waitForTag("hit-$note")
            onNodeWithTag("hit-$note").performClick()
            waitForTag("person-name")
            onNodeWithTag("person-name").assertTextEquals("Jan Novák")
        }
    }

    @Test
    fun loggingACallFromTheSheetShowsItInTheTimeline() = Dbs().use { dbs ->
        val gw = dbs.founder()
        val jan = runBlocking { gw.person("Jan", "Novák", "603 123 456", company = "Strojírny Žďár") }
        uiTest {
            app(gw, nav = Navigator(Route.People).also { it.show(Route.PersonDetail(jan)) })
            waitForTag("person-name")
            onNodeWithTag("person-name").assertTextEquals("Jan Novák")
            waitForText("Nothing logged yet")
            onNodeWithTag("log-call").performClick()
            waitForTag("call-sheet")
            // the number comes from the person and the core matches it back
            waitForText("This is Jan Novák")
            onNodeWithTag("call-number").assertTextContains("603 123 456")
            onNodeWithTag("outcome-connected").performClick()
            typeInto("call-minutes", "4:30")
            onNodeWithTag("call-note").performTextInput("Wants a quote by Friday")
            onNodeWithTag("follow-3").performClick()
            onNodeWithTag("call-save").performClick()
            waitForTag("person-name")
            waitForText("Wants a quote by Friday")
            waitForText("Outgoing · 4 min 30 s · Connected")
            waitForText("Follow up with Jan Novák")
        }
        val calls = runBlocking { gw.timeline(jan, 0, 10) }.filter { it.kind == app.deko.ui.data.EntryKind.CALL }
        assertEquals(270L, calls.single().durationS)
        val tasks = runBlocking { gw.tasks(System.currentTimeMillis(), 0) }
        assertEquals("Follow up with Jan Novák", tasks.upcoming.single().title)
    }

    @Test
    fun anUnknownNumberIsGivenToSomeoneFromTheSheetWithItsFollowUp() = Dbs().use { dbs ->
        val gw = dbs.founder()
        val eva = runBlocking { gw.person("Eva", "Dvořáková") }
        uiTest {
            app(gw, nav = Navigator(Route.People).also { it.show(Route.LogCall(null)) })
            waitForTag("call-sheet")
            onNodeWithTag("call-number").performTextInput("777 888 999")
            waitForTag("call-unknown")
            onNodeWithTag("attach-search").performTextInput("dvorak")
            waitForTag("attach-$eva")
            onNodeWithTag("attach-$eva").performClick()
            waitForTag("attach-picked")
            onNodeWithTag("call-sheet").performScrollToNode(hasTestTag("follow-1"))
            onNodeWithTag("follow-1").performClick()
            onNodeWithTag("call-save").performClick()
            waitForTag("person-name")
            onNodeWithTag("person-name").assertTextEquals("Eva Dvořáková")
            // shown the national way, dialled as stored
            waitForText("777 888 999")
            onNodeWithTag("phone-+420777888999").assertExists()
            // the follow-up names the person picked, and is about her
            waitForText("Follow up with Eva Dvořáková")
        }
        assertEquals(listOf(eva), runBlocking { gw.lookupNumber("+420777888999") }.people.map { it.id })
        val task = runBlocking { gw.tasks(System.currentTimeMillis(), 0) }.upcoming.single()
        assertEquals("Follow up with Eva Dvořáková" to eva, task.title to task.personId)
    }

    @Test
    fun addingAPersonShowsTheCoresMessagesAtTheField() = Dbs().use { dbs ->
        val gw = dbs.founder()
        uiTest {
            app(gw)
            waitForText("No people yet")
            onNodeWithTag("add").performClick()
            waitForTag("edit-form")
            onNodeWithTag("save").performClick()
            waitForTag("given-error")
            onNodeWithTag("given-error", useUnmergedTree = true).assertTextContains("a person needs a given or a family name")
            onNodeWithTag("given").performTextInput("Jana")
            onNodeWithTag("family").performTextInput("Nováková")
            onNodeWithTag("phone").performTextInput("hello")
            onNodeWithTag("save").performClick()
            waitForTag("phone-error")
            onNodeWithTag("phone-error", useUnmergedTree = true).assertTextContains("hello", substring = true)
            typeInto("phone", "603 123 456")
            onNodeWithTag("email").performTextInput("not-an-email")
            onNodeWithTag("save").performClick()
            waitForTag("email-error")
            typeInto("email", "jana@example.cz")
            onNodeWithTag("company").performTextInput("Strojírny Žďár")
            onNodeWithTag("save").performClick()
            waitForTag("person-name")
            onNodeWithTag("person-name").assertTextEquals("Jana Nováková")
            waitForText("603 123 456")
            onNodeWithTag("phone-+420603123456").assertExists()
            onNodeWithText("Strojírny Žďár", substring = true).assertExists()
        }
        assertTrue(runBlocking { gw.search("novakova", 5) }.any { it.name == "Jana Nováková" })
    }

    @Test
    fun aNewPersonFromAnUnknownNumberStartsWithTheNumber() = Dbs().use { dbs ->
        val gw = dbs.founder()
        val number = "+420 777 888 999"
        fun ComposeUiTest.phoneField() = onNodeWithTag("phone").fetchSemanticsNode()
            .config[androidx.compose.ui.semantics.SemanticsProperties.EditableText].text
        uiTest {
            // the call notification's "New person" opens the form with the number
            app(gw, nav = Navigator().also { it.show(Route.EditPerson(null, number)) })
            waitForTag("edit-form")
            assertEquals(number, phoneField())
        }
        uiTest {
            // the log-a-call sheet for an unknown number offers the same
            app(gw, nav = Navigator().also { it.show(Route.LogCall(null, number, 1_760_000_000_000, 240)) })
            waitForTag("call-unknown")
            onNodeWithTag("call-new-person").performClick()
            waitForTag("edit-form")
            assertEquals(number, phoneField())
            typeInto("given", "Karel")
            typeInto("family", "Dvořák")
            onNodeWithTag("save").performClick()
            waitForTag("detail")
            waitForText("Karel Dvořák")
        }
        val match = runBlocking { gw.lookupNumber(number) }
        assertEquals(listOf("Karel Dvořák"), match.people.map { it.name })
    }
}
