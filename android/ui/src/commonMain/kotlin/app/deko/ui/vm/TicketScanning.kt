package app.deko.ui.vm

import app.deko.ui.i18n.S
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/**
 * Reading a `deko:` ticket from a QR code, where the platform can: the
 * camera (the Android app), a picture on the clipboard or in a file (the
 * desktop app). Null in [app.deko.ui.Platform] where it cannot: no button.
 */
interface TicketScanner {
    /** Asks what it must (the camera permission), scans, and says how it went; a bad picture is [ScanResult.NoCode], never an exception. */
    suspend fun scan(): ScanResult
}

sealed interface ScanResult {
    data class Ticket(val text: String) : ScanResult
    /** The picture held no ticket's QR code. */
    data object NoCode : ScanResult
    /** The camera permission was refused. */
    data object CameraRefused : ScanResult
    /** No camera to scan with. */
    data object NoCamera : ScanResult
    /** The user closed the scanner or the file dialog: nothing to say. */
    data object Cancelled : ScanResult
}

/** What to tell the user after [r] (null: a ticket, or cancelled). */
fun scanMessage(r: ScanResult): S? = when (r) {
    ScanResult.NoCode -> S.ScanNoCode
    ScanResult.CameraRefused -> S.ScanCameraRefused
    ScanResult.NoCamera -> S.ScanNoCamera
    is ScanResult.Ticket, ScanResult.Cancelled -> null
}

data class ScanState(
    /** The platform can scan (the button shows). */
    val available: Boolean = false,
    val scanning: Boolean = false,
    val message: S? = null,
)

/** The "Scan QR code" button's state: one scan at a time; a ticket goes to [onTicket] as if pasted. */
class ScanViewModel(private val scanner: TicketScanner?, private val scope: CoroutineScope, private val onTicket: (String) -> Unit) {
    private val _state = MutableStateFlow(ScanState(available = scanner != null))
    val state: StateFlow<ScanState> = _state.asStateFlow()

    fun scan() {
        if (scanner == null || _state.value.scanning) return
        _state.update { it.copy(scanning = true, message = null) }
        scope.launch {
            val r = try {
                scanner.scan()
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                // a platform failure is a picture without a code to the user, not a crash
                ScanResult.NoCode
            }
            _state.update { it.copy(scanning = false, message = scanMessage(r)) }
            if (r is ScanResult.Ticket) onTicket(r.text)
        }
    }

    /** The field was edited: an old "no code" no longer applies. */
    fun clearMessage() = _state.update { it.copy(message = null) }
}
