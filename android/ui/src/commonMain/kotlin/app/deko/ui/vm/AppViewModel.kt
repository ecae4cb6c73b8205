package app.deko.ui.vm

import app.deko.ui.data.DekoGateway
import app.deko.ui.data.CoreException
import app.deko.ui.data.Problem
import app.deko.ui.i18n.Lang
import app.deko.ui.theme.ThemeMode
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** UI preferences kept by the platform (a file on desktop, SharedPreferences on Android). */
interface UiPrefs {
    fun get(key: String): String?
    fun set(key: String, value: String)
}

/** Keeps nothing but what it is given: for tests and renders. */
class MemoryPrefs(initial: Map<String, String> = emptyMap()) : UiPrefs {
    private val map = initial.toMutableMap()
    override fun get(key: String) = map[key]
    override fun set(key: String, value: String) { map[key] = value }
}

enum class Phase { LOADING, FIRST_RUN, MAIN }

data class AppState(
    val phase: Phase = Phase.LOADING,
    val lang: Lang = Lang.EN,
    val theme: ThemeMode = ThemeMode.SYSTEM,
    val teamName: String? = null,
    val conflicts: Int = 0,
    val syncError: Problem? = null,
)

/**
 * The root: first run or the main screens, language and theme. Starts sync
 * once the database belongs to a team (unless [startSync] is off, as in renders).
 */
class AppViewModel(
    private val gw: DekoGateway,
    private val scope: CoroutineScope,
    private val prefs: UiPrefs,
    private val startSync: Boolean = true,
) {
    private val _state = MutableStateFlow(
        AppState(
            lang = prefs.get("lang")?.let { v -> Lang.entries.find { it.tag == v } } ?: Lang.EN,
            theme = prefs.get("theme")?.let { v -> ThemeMode.entries.find { it.name == v } } ?: ThemeMode.SYSTEM,
        ),
    )
    val state: StateFlow<AppState> = _state.asStateFlow()

    init {
        scope.launch { load() }
        scope.launch { gw.dataChanged.collect { refreshConflicts() } }
    }

    private suspend fun load() {
        val team = gw.team()
        if (team == null) {
            _state.update { it.copy(phase = Phase.FIRST_RUN) }
        } else {
            _state.update { it.copy(phase = Phase.MAIN, teamName = team.name) }
            refreshConflicts()
            if (startSync) {
                try {
                    gw.ensureSync()
                } catch (e: CoreException) {
                    _state.update { it.copy(syncError = e.problem) }
                }
            }
        }
    }

    /** After founding or joining. */
    fun teamReady() {
        scope.launch { load() }
    }

    fun refreshConflicts() {
        scope.launch {
            val conflicts = gw.conflicts().size
            _state.update { it.copy(conflicts = conflicts) }
        }
    }

    fun setLang(lang: Lang) {
        prefs.set("lang", lang.tag)
        _state.update { it.copy(lang = lang) }
    }

    fun setTheme(theme: ThemeMode) {
        prefs.set("theme", theme.name)
        _state.update { it.copy(theme = theme) }
    }
}
