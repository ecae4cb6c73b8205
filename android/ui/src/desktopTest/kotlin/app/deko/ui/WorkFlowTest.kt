@file:OptIn(ExperimentalTestApi::class)

package app.deko.ui

import androidx.compose.ui.test.*
import app.deko.ui.data.MoneyValue
import app.deko.ui.i18n.Lang
import app.deko.ui.nav.Navigator
import app.deko.ui.nav.Route
import app.deko.ui.nav.Section
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** Tasks, deals, meetings and notes, team and settings over the real library. */
class WorkFlowTest {
    private val day = 86_400_000L

    @Test
    fun tasksAreFiledOverdueTodayUpcomingAndDoneInOneTap() = Dbs().use { dbs ->
        val gw = dbs.founder()
        val now = System.currentTimeMillis()
        val jan = runBlocking { gw.person("Jan", "Novák") }
        val late = runBlocking { gw.createTask("Send the quote", now - 2 * day, jan) }
        runBlocking { gw.createTask("Order samples", now + 5 * day, null) }
        runComposeUiTestWith(gw, Route.Tasks) {
            waitForTag("task-$late")
            onNodeWithText("Overdue").assertExists()
            onNodeWithText("Upcoming").assertExists()
            onNodeWithText("Send the quote").assertExists()
            // whom it is about: the name the core reads with the task
            waitForText("Jan Novák", substring = true)
            onNodeWithTag("done-$late").performClick()
            waitGone(hasTestTag("task-$late"))
            onNodeWithText("Order samples").assertExists()
        }
        assertTrue(runBlocking { gw.tasks(now, 0) }.overdue.isEmpty())
    }

    @Test
    fun thePipelineShowsTotalsPerCurrencyAndADealMoves() = Dbs().use { dbs ->
        val gw = dbs.founder()
        val a = runBlocking { gw.createDeal("Bearings", MoneyValue(18_600_000, "CZK"), "Strojírny Žďár") }
        runBlocking { gw.createDeal("Gearboxes", MoneyValue(1_250_000, "EUR"), null) }
        runBlocking { gw.createDeal("Service", MoneyValue(400_000, "CZK"), null) }
        val stages = runBlocking { gw.pipeline() }
        val first = stages.first()
        assertEquals(3L, first.count)
        runComposeUiTestWith(gw, Route.Deals, lang = Lang.CS) {
            waitForTag("deal-$a")
            // the customer, as the core reads it with the deal
            waitForText("Strojírny Žďár", substring = true)
            // the core's totals, formatted for Czech
            assertEquals("190 000 Kč", textOf("total-${first.id}-CZK"))
            assertEquals("12 500 €", textOf("total-${first.id}-EUR"))
            onNodeWithTag("move-$a").performClick()
            waitForTag("to-${stages[2].id}")
            onNodeWithTag("to-${stages[2].id}").performClick()
            waitForTag("total-${stages[2].id}-CZK")
            assertEquals("186 000 Kč", textOf("total-${stages[2].id}-CZK"))
            assertEquals("4 000 Kč", textOf("total-${first.id}-CZK"))
        }
        assertEquals(stages[2].id, runBlocking { gw.pipeline() }[2].deals.single().id.let { stages[2].id })
    }

    @Test
    fun aMeetingAndANoteAreLoggedFromTheirSheets() = Dbs().use { dbs ->
        val gw = dbs.founder()
        val jan = runBlocking { gw.person("Jan", "Novák") }
        runComposeUiTestWith(gw, Route.PersonDetail(jan)) {
            waitForTag("log-meeting")
            onNodeWithTag("log-meeting").performClick()
            waitForTag("activity-sheet")
            onNodeWithTag("activity-place").performTextInput("Žďár, plant 2")
            onNodeWithTag("activity-text").performTextInput("Walked the line")
            onNodeWithTag("activity-save").performClick()
            // the sheet's own field holds the text too: wait for the sheet to close
            waitGone(hasTestTag("activity-sheet"))
            waitForText("Walked the line")
            waitForText("Žďár, plant 2 · 1 h")
            onNodeWithTag("add-note").performClick()
            waitForTag("activity-sheet")
            onNodeWithTag("activity-save").performClick()
            waitForTag("activity-text-error")
            onNodeWithTag("activity-text").performTextInput("Prefers e-mail")
            onNodeWithTag("activity-save").performClick()
            waitGone(hasTestTag("activity-sheet"))
            waitForText("Prefers e-mail")
        }
        assertEquals(2, runBlocking { gw.timeline(jan, 0, 10) }.size)
    }

    @Test
    fun inviteShowsAQrCodeAndTextAndRevokingAsksFirst() = Dbs().use { dbs ->
        val a = dbs.founder()
        val b = dbs.open("b.db", region = null)
        runBlocking { b.join(a.invite().ticket, "Bohdan") {} }
        val bFp = runBlocking { b.deviceFingerprint() }
        runComposeUiTestWith(a, Route.Team) {
            waitForTag("device-$bFp")
            onNodeWithTag("invite").performClick()
            waitForTag("invite-qr")
            val ticket = onNodeWithTag("invite-ticket", useUnmergedTree = true).fetchSemanticsNode()
                .config[androidx.compose.ui.semantics.SemanticsProperties.Text].joinToString { it.text }
            assertTrue(ticket, ticket.startsWith("DEKO:"))
            onNodeWithTag("team").performScrollToNode(hasTestTag("revoke-$bFp"))
            onNodeWithTag("revoke-$bFp").performClick()
            waitForTag("revoke-cancel")
            onNodeWithTag("revoke-cancel").performClick()
            waitGone(hasTestTag("revoke-cancel"))
            assertTrue(runBlocking { a.devices() }.none { it.revoked })
            onNodeWithTag("revoke-$bFp").performClick()
            waitForTag("revoke-confirm")
            onNodeWithTag("revoke-confirm").performClick()
            waitForText("revoked", substring = true)
        }
        assertTrue(runBlocking { a.devices() }.single { it.fingerprint == bFp }.revoked)
    }

    @Test
    fun settingsChangeLanguageThemeAndTheCoresRegion() = Dbs().use { dbs ->
        val gw = dbs.founder(you = "Alena Malá")
        val nav = Navigator(Route.Settings)
        runComposeUiTestWith(gw, Route.Settings, nav = nav) {
            waitForText("Alena Malá")
            onNodeWithTag("lang-cs").performClick()
            waitForText("Nastavení")
            onNodeWithTag("theme-dark").performClick()
            typeInto("region", "XX")
            onNodeWithTag("region-save").performClick()
            waitForTag("region-error")
            typeInto("region", "DE")
            onNodeWithTag("region-save").performClick()
            waitForText("Uloženo")
            nav.select(Section.PEOPLE)
            waitForText("Zatím nikdo")
        }
        assertEquals("DE", runBlocking { gw.region() })
    }

    private fun runComposeUiTestWith(gw: app.deko.ui.jvm.FfiGateway, route: Route, lang: Lang = Lang.EN, nav: Navigator = Navigator().also { it.show(route) }, block: ComposeUiTest.() -> Unit) =
        uiTest {
            app(gw, lang = lang, nav = nav)
            block()
        }
}
