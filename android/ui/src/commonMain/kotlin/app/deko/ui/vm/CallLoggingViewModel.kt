package app.deko.ui.vm

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update

/**
 * "Log calls right after hanging up", where the platform can follow calls
 * (the Android app; null on desktop): whether it is on, and asking the
 * system for what it needs (the phone state and notification permissions,
 * the call-screening role) after the rationale screen.
 */
interface CallLogging {
    /** Turned on, with what it needs granted. */
    fun isOn(): Boolean

    /** Asks the system (its dialogs), turns the feature on if granted, then [done] with whether it was. */
    fun request(done: (granted: Boolean) -> Unit)

    fun turnOff()
}

data class CallLoggingState(
    /** The platform can follow calls (the settings show the switch). */
    val available: Boolean = false,
    val on: Boolean = false,
    /** The system's dialogs are open. */
    val asking: Boolean = false,
    /** The last request was refused: calls are logged by hand. */
    val refused: Boolean = false,
)

/** The switch in the settings and the rationale screen behind it; the rationale comes before any system dialog. */
class CallLoggingViewModel(private val logging: CallLogging?) {
    private val _state = MutableStateFlow(CallLoggingState(available = logging != null, on = logging?.isOn() == true))
    val state: StateFlow<CallLoggingState> = _state.asStateFlow()

    /** Reads the platform again (a permission may have been taken away in the system's settings). */
    fun refresh() = _state.update { it.copy(on = logging?.isOn() == true) }

    /** "Continue" on the rationale: the system asks; [done] when it answered (or at once without a platform). */
    fun proceed(done: () -> Unit) {
        if (logging == null || _state.value.asking) return done()
        _state.update { it.copy(asking = true) }
        logging.request { granted ->
            _state.update { it.copy(on = granted, asking = false, refused = !granted) }
            done()
        }
    }

    fun turnOff() {
        logging?.turnOff()
        _state.update { it.copy(on = false, refused = false) }
    }
}
