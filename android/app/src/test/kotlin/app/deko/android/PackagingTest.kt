package app.deko.android

import android.view.KeyEvent
import app.deko.android.input.KeyboardShortcuts
import app.deko.android.input.ShortcutAction
import app.deko.apdu.Apdu
import app.deko.ui.i18n.Lang
import app.deko.ui.i18n.S
import app.deko.ui.i18n.Strings
import app.deko.ui.nav.Route
import app.deko.ui.nav.Section
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import java.io.File

/**
 * What the Gradle build packages but cannot be built here, checked against
 * the code: the manifest names every component that exists, the HCE AID is
 * the protocol's, the manifest's strings are the strings source's; and the
 * tablet's keyboard shortcuts.
 */
@RunWith(RobolectricTestRunner::class)
class PackagingTest {
    private val app = File(System.getProperty("deko.app.dir") ?: "android/app")
    private val manifest = File(app, "src/main/AndroidManifest.xml").readText()

    @Test
    fun theManifestNamesComponentsThatExist() {
        val names = Regex("""android:name="\.([\w.]+)"""").findAll(manifest).map { it.groupValues[1] }.toList()
        assertTrue(names.containsAll(listOf("MainActivity", "nfc.TicketCardService", "calls.CallScreening", "calls.PhoneStateReceiver", "calls.CallActionReceiver", "sync.SyncJobService", "sync.FirstSyncService")))
        for (name in names.filter { it != "MainActivity" }) Class.forName("app.deko.android.$name")
        assertTrue(File(app, "src/compose/kotlin/app/deko/android/MainActivity.kt").exists())
    }

    @Test
    fun theHceAidIsTheProtocols() {
        val xml = File(app, "src/main/res/xml/apduservice.xml").readText()
        assertEquals(listOf(Apdu.AID_HEX), Regex("""aid-filter android:name="(\w+)"""").findAll(xml).map { it.groupValues[1] }.toList())
        assertEquals(Apdu.AID_HEX, Apdu.AID.joinToString("") { "%02X".format(it) })
    }

    @Test
    fun theManifestStringsAreTheStringsSource() {
        for ((lang, folder) in mapOf(Lang.EN to "values", Lang.CS to "values-cs", Lang.DE to "values-de")) {
            val xml = File(app, "src/main/res/$folder/strings.xml").readText().replace("\\'", "'")
            assertTrue("$folder app_name", xml.contains(">${Strings.get(lang, S.AppName)}<"))
            assertTrue("$folder nfc_service_description", xml.contains(">${Strings.get(lang, S.NfcServiceDescription)}<"))
        }
    }

    @Test
    fun keyboardShortcutsAreTheDesktopAppsSet() {
        assertEquals(ShortcutAction.Show(Route.EditPerson(null)), KeyboardShortcuts.action(KeyEvent.KEYCODE_N, ctrl = true))
        assertEquals(ShortcutAction.Show(Route.LogCall(null)), KeyboardShortcuts.action(KeyEvent.KEYCODE_L, ctrl = true))
        assertEquals(ShortcutAction.SyncNow, KeyboardShortcuts.action(KeyEvent.KEYCODE_R, ctrl = true))
        assertEquals(ShortcutAction.Select(Section.PEOPLE), KeyboardShortcuts.action(KeyEvent.KEYCODE_1, ctrl = true))
        assertEquals(ShortcutAction.Select(Section.SETTINGS), KeyboardShortcuts.action(KeyEvent.KEYCODE_6, ctrl = true))
        assertNull(KeyboardShortcuts.action(KeyEvent.KEYCODE_N, ctrl = false))
        val down = KeyEvent(0, 0, KeyEvent.ACTION_DOWN, KeyEvent.KEYCODE_L, 0, KeyEvent.META_CTRL_ON)
        assertEquals(ShortcutAction.Show(Route.LogCall(null)), KeyboardShortcuts.action(down))
    }
}
