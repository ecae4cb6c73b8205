@file:OptIn(ExperimentalTestApi::class)

package app.deko.ui

import androidx.compose.ui.test.*
import app.deko.ui.i18n.Lang
import app.deko.ui.i18n.S
import app.deko.ui.i18n.Strings
import app.deko.ui.jvm.JvmFormats
import app.deko.ui.jvm.SystemClock
import app.deko.ui.nav.Navigator
import app.deko.ui.nav.Route
import app.deko.ui.vm.CallLogging
import app.deko.ui.vm.MemoryPrefs
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test

/**
 * "Log calls after hanging up" in the settings, over a real database: the
 * rationale comes before any system dialog and says why each permission is
 * needed and that nothing leaves the phone; "Continue" lets the platform
 * ask, "Not now" asks nothing; refused, the settings say manual logging works.
 */
class CallLoggingFlowTest {
    /** The platform's side as the Android app has it: the system's answer is [grant]. */
    private class SystemDialogs(var grant: Boolean) : CallLogging {
        var on = false
        var asked = 0
        override fun isOn() = on
        override fun request(done: (Boolean) -> Unit) {
            asked++
            on = grant
            done(grant)
        }
        override fun turnOff() { on = false }
    }

    private fun ComposeUiTest.settings(gw: app.deko.ui.jvm.FfiGateway, dialogs: CallLogging?, lang: Lang = Lang.EN) {
        val platform = Platform(
            clock = SystemClock(), formats = { JvmFormats(it) },
            prefs = MemoryPrefs(mapOf("lang" to lang.tag, "theme" to "LIGHT")), startSync = false, callLogging = dialogs,
        )
        setContent { Device { DekoApp(gw, platform, Navigator(Route.Settings)) } }
        waitForTag("settings")
    }

    private fun ComposeUiTest.switchOn() {
        onNodeWithTag("settings").performScrollToNode(hasTestTag("calls-switch"))
        onNodeWithTag("calls-switch").assertIsOff().performClick()
        waitForTag("calls-rationale")
    }

    @Test
    fun theRationaleComesFirstThenTheSystemAsks() = Dbs().use { dbs ->
        val dialogs = SystemDialogs(grant = true)
        uiTest {
            settings(dbs.founder(), dialogs)
            switchOn()
            assertEquals("nothing asked before Continue", 0, dialogs.asked)
            for (key in listOf(S.CallsRationaleTitle, S.CallsRationaleText, S.CallsWhyPhone, S.CallsWhyScreening, S.CallsWhyNotifications, S.CallsRationalePrivacy)) {
                onNodeWithText(Strings.get(Lang.EN, key)).assertExists()
            }
            onNodeWithTag("calls-continue").performClick()
            waitForTag("settings")
            assertEquals(1, dialogs.asked)
            onNodeWithTag("settings").performScrollToNode(hasTestTag("calls-switch"))
            onNodeWithTag("calls-switch").assertIsOn()
            onNodeWithTag("calls-refused").assertDoesNotExist()
            // and off again at once, with no rationale
            onNodeWithTag("calls-switch").performClick()
            onNodeWithTag("calls-switch").assertIsOff()
            assertFalse(dialogs.on)
        }
    }

    @Test
    fun notNowAsksNothingAndARefusalSaysManualLoggingWorks() = Dbs().use { dbs ->
        val dialogs = SystemDialogs(grant = false)
        uiTest {
            settings(dbs.founder(), dialogs, Lang.CS)
            switchOn()
            onNodeWithText(Strings.get(Lang.CS, S.CallsRationalePrivacy)).assertExists()
            onNodeWithTag("calls-not-now").performClick()
            waitForTag("settings")
            assertEquals(0, dialogs.asked)
            onNodeWithTag("calls-switch").assertIsOff()

            switchOn()
            onNodeWithTag("calls-continue").performClick()
            waitForTag("calls-refused")
            assertEquals(1, dialogs.asked)
            onNodeWithTag("calls-switch").assertIsOff()
            assertEquals(Strings.get(Lang.CS, S.CallsRefused), textOf("calls-refused"))
        }
    }

    @Test
    fun withoutCallsToFollowThereIsNoSwitch() = Dbs().use { dbs ->
        uiTest {
            settings(dbs.founder(), null)
            waitForIdle()
            assertTrue(onAllNodesWithTag("calls-switch").fetchSemanticsNodes().isEmpty())
        }
    }
}
