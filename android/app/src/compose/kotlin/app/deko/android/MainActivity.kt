package app.deko.android

import android.content.Intent
import android.os.Bundle
import android.view.KeyEvent
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.lifecycle.lifecycleScope
import app.deko.android.calls.CallLoggingRequest
import app.deko.android.calls.LogCallRequest
import app.deko.android.core.Deko
import app.deko.android.core.LocalAddresses
import app.deko.android.discovery.NearbySync
import app.deko.android.input.KeyboardShortcuts
import app.deko.android.input.ShortcutAction
import app.deko.android.nfc.TapReader
import app.deko.android.nfc.useTicket
import app.deko.android.qr.CameraTicketScanner
import app.deko.android.sync.ForegroundJoin
import app.deko.android.sync.SyncSchedule
import app.deko.apdu.TicketRead
import app.deko.ui.DekoApp
import app.deko.ui.android.androidPlatform
import app.deko.ui.nav.Navigator
import kotlinx.coroutines.launch

/**
 * The one activity (Gradle build only: androidx.activity and Compose for
 * Android): hosts the ui's [DekoApp] (list–detail from 840 dp, so tablets
 * get it), opens the log-a-call sheet a call notification asks for, maps a
 * keyboard's shortcuts, reads tapped phones while in front, and finds
 * teammates on the Wi-Fi while open. Joining a team runs in the
 * foreground service ([ForegroundJoin]). Everything it calls is in src/main.
 */
class MainActivity : ComponentActivity() {
    private val navigator = Navigator()
    private val core by lazy { Deko.core(this) }
    /** The ui's gateway, joining in [app.deko.android.sync.FirstSyncService] (a long first sync survives the screen turning off). */
    private val gateway by lazy { ForegroundJoin(applicationContext, core.gateway) }
    /** "Log calls after hanging up": the system's dialogs after the ui's rationale screen. */
    private val calls = CallLoggingRequest(this)
    /** "Scan QR code": the camera permission, then the scanning dialog. */
    private val scanner = CameraTicketScanner(this)
    private val tap = TapReader { read -> if (read is TicketRead.Ticket) core.scope.launch { core.useTicket(read.text) } }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        core.shelf.hosts = { LocalAddresses.of(this) }
        SyncSchedule.schedule(this)
        handle(intent)
        setContent { DekoApp(gateway, androidPlatform(this, calls, scanner), navigator) }
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        handle(intent)
    }

    private fun handle(intent: Intent?) {
        LogCallRequest.of(intent)?.let { navigator.show(it.route()) }
    }

    @Deprecated("the framework's callbacks: CallLoggingRequest and CameraTicketScanner need no androidx")
    override fun onRequestPermissionsResult(requestCode: Int, permissions: Array<out String>, grantResults: IntArray) {
        if (!calls.onPermissionsResult(requestCode, grantResults) && !scanner.onPermissionsResult(requestCode, grantResults)) {
            super.onRequestPermissionsResult(requestCode, permissions, grantResults)
        }
    }

    @Deprecated("the framework's callbacks: CallLoggingRequest needs no androidx")
    override fun onActivityResult(requestCode: Int, resultCode: Int, data: Intent?) {
        if (!calls.onActivityResult(requestCode)) super.onActivityResult(requestCode, resultCode, data)
    }

    override fun onResume() {
        super.onResume()
        TapReader.start(this, tap)
        if (core.db.team() != null) lifecycleScope.launch { runCatching { NearbySync.start(this@MainActivity, core) } }
    }

    override fun onPause() {
        TapReader.stop(this)
        scanner.close()
        if (core.db.team() != null) runCatching { NearbySync.stop(core) }
        super.onPause()
    }

    override fun dispatchKeyEvent(event: KeyEvent): Boolean {
        when (val action = KeyboardShortcuts.action(event)) {
            is ShortcutAction.Show -> navigator.show(action.route)
            is ShortcutAction.Select -> navigator.select(action.section)
            ShortcutAction.SyncNow -> core.scope.launch { runCatching { core.gateway.syncNow { } } }
            null -> return super.dispatchKeyEvent(event)
        }
        return true
    }
}
