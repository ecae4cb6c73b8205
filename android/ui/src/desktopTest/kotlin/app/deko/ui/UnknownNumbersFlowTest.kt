@file:OptIn(ExperimentalTestApi::class)

package app.deko.ui

import androidx.compose.ui.test.*
import app.deko.ui.data.CallDirection
import app.deko.ui.data.CallDraft
import app.deko.ui.jvm.FfiGateway
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** Numbers whose calls belong to nobody: listed, given to a person found by search, or made into a new person. */
class UnknownNumbersFlowTest {
    private val now = System.currentTimeMillis()

    private fun FfiGateway.call(number: String, ago: Long) =
        runBlocking { logCall(CallDraft(number, now - ago, 60, CallDirection.IN, null, null)) }

    @Test
    fun aWaitingNumberIsGivenToAPersonWithItsCalls() = Dbs().use { dbs ->
        val gw = dbs.founder()
        val jan = runBlocking { gw.person("Jan", "Novák", "603 123 456") }
        gw.call("776 000 111", 3_600_000)
        gw.call("776 000 111", 60_000)
        assertEquals(listOf(2L), runBlocking { gw.unknownNumbers(0, 50) }.map { it.calls })
        uiTest {
            app(gw)
            waitForTag("unknown-banner")
            onNodeWithText("Numbers waiting for a person: 1").assertExists()
            onNodeWithTag("unknown-banner").performClick()
            waitForTag("unknown-+420776000111")
            onNodeWithText("776 000 111").assertExists()
            onNodeWithText("Calls: 2", substring = true).assertExists()
            onNodeWithTag("unknown-+420776000111").performClick()
            typeInto("unknown-search", "novak")
            waitForTag("give-$jan")
            onNodeWithTag("give-$jan").performClick()
            waitForText("776 000 111 is Jan Novák’s now; their calls with it too")
            waitForText("Every call belongs to someone")
            onNodeWithText("Calls from numbers nobody has wait here", substring = true).assertExists()
        }
        assertTrue(runBlocking { gw.unknownNumbers(0, 50) }.isEmpty())
        val p = runBlocking { gw.person(jan) }!!
        assertTrue(p.phones.any { it.number == "+420776000111" })
        assertEquals(2, runBlocking { gw.timeline(jan, 0, 50) }.size)
    }

    @Test
    fun aNewPersonMadeFromAWaitingNumberTakesItsCalls() = Dbs().use { dbs ->
        val gw = dbs.founder()
        gw.call("777 888 999", 60_000)
        assertEquals(listOf("+420777888999"), runBlocking { gw.unknownNumbers(0, 50) }.map { it.number })
        uiTest {
            app(gw)
            waitForTag("unknown-banner")
            onNodeWithTag("unknown-banner").performClick()
            waitForTag("unknown-+420777888999")
            onNodeWithTag("unknown-+420777888999").performClick()
            waitForTag("unknown-new-person")
            onNodeWithTag("unknown-new-person").performClick()
            waitForTag("edit-form")
            typeInto("given", "Iva")
            typeInto("family", "Nová")
            onNodeWithTag("save").performClick()
            waitForTag("person-name")
        }
        assertTrue(runBlocking { gw.unknownNumbers(0, 50) }.isEmpty())
        val iva = runBlocking { gw.people(0, 50) }.single { it.name == "Iva Nová" }
        assertEquals(1, runBlocking { gw.timeline(iva.id, 0, 50) }.size)
    }
}
