package app.deko.ui.vm

import app.deko.ui.data.CoreException
import app.deko.ui.data.DekoGateway
import app.deko.ui.data.Problem
import app.deko.ui.data.SyncProgress
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

enum class FirstRunMode { CHOOSE, FOUND, JOIN }

/** Missing input is a UI matter (an empty box); every other message is the core's. */
enum class Missing { NAME, TEAM, TICKET }

data class FirstRunState(
    val mode: FirstRunMode = FirstRunMode.CHOOSE,
    val teamName: String = "",
    val yourName: String = "",
    val ticket: String = "",
    val busy: Boolean = false,
    val progress: SyncProgress? = null,
    val missing: Set<Missing> = emptySet(),
    val ticketError: Problem? = null,
    val error: Problem? = null,
    val done: Boolean = false,
)

class FirstRunViewModel(private val gw: DekoGateway, private val scope: CoroutineScope, private val onDone: () -> Unit) {
    private val _state = MutableStateFlow(FirstRunState())
    val state: StateFlow<FirstRunState> = _state.asStateFlow()

    fun mode(m: FirstRunMode) = _state.update { it.copy(mode = m, missing = emptySet(), error = null, ticketError = null) }
    fun teamName(v: String) = _state.update { it.copy(teamName = v, missing = it.missing - Missing.TEAM) }
    fun yourName(v: String) = _state.update { it.copy(yourName = v, missing = it.missing - Missing.NAME) }
    fun ticket(v: String) = _state.update { it.copy(ticket = v.trim(), missing = it.missing - Missing.TICKET, ticketError = null) }

    fun found() {
        val s = _state.value
        val missing = buildSet {
            if (s.teamName.isBlank()) add(Missing.TEAM)
            if (s.yourName.isBlank()) add(Missing.NAME)
        }
        if (missing.isNotEmpty()) return _state.update { it.copy(missing = missing) }
        _state.update { it.copy(busy = true, error = null) }
        scope.launch {
            try {
                gw.createTeam(s.teamName.trim(), s.yourName.trim())
                _state.update { it.copy(busy = false, done = true) }
                onDone()
            } catch (e: CoreException) {
                _state.update { it.copy(busy = false, error = e.problem) }
            }
        }
    }

    fun join() {
        val s = _state.value
        val missing = buildSet {
            if (s.ticket.isBlank()) add(Missing.TICKET)
            if (s.yourName.isBlank()) add(Missing.NAME)
        }
        if (missing.isNotEmpty()) return _state.update { it.copy(missing = missing) }
        _state.update { it.copy(busy = true, error = null, ticketError = null, progress = SyncProgress(null, 0, 0)) }
        scope.launch {
            try {
                gw.join(s.ticket, s.yourName.trim()) { p -> _state.update { it.copy(progress = p) } }
                _state.update { it.copy(busy = false, done = true) }
                onDone()
            } catch (e: CoreException) {
                _state.update { it.copy(busy = false, progress = null, ticketError = e.problem) }
            }
        }
    }
}
