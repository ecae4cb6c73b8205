package app.deko.ui.vm

import app.deko.ui.data.*
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.collectLatest
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class UnknownNumbersState(
    val numbers: List<UnknownNumberRow> = emptyList(),
    val loaded: Boolean = false,
    /** The number being given to someone, with the search for whom. */
    val open: String? = null,
    val query: String = "",
    val hits: List<Hit> = emptyList(),
    /** The last number given: its shown form and the person's name. */
    val given: Pair<String, String>? = null,
    val error: Problem? = null,
)

/**
 * Numbers with calls that belong to nobody yet (the core's list, most recent
 * first), each to give to a person found by search: the core adds it to their
 * phones and makes the waiting calls theirs.
 */
class UnknownNumbersViewModel(private val gw: DekoGateway, private val scope: CoroutineScope) {
    private val _state = MutableStateFlow(UnknownNumbersState())
    val state: StateFlow<UnknownNumbersState> = _state.asStateFlow()
    private val queries = MutableStateFlow("")

    init {
        reload()
        scope.launch {
            queries.collectLatest { q ->
                val hits = if (q.isBlank()) emptyList() else try {
                    gw.search(q, 20).filter { it.kind == HitKind.PERSON }
                } catch (e: CoreException) {
                    _state.update { it.copy(error = e.problem) }
                    emptyList()
                }
                _state.update { it.copy(hits = hits) }
            }
        }
        scope.launch { gw.dataChanged.collect { reload() } }
    }

    fun reload() {
        scope.launch {
            try {
                val numbers = gw.unknownNumbers(0, PAGE)
                _state.update { it.copy(numbers = numbers, loaded = true, error = null) }
            } catch (e: CoreException) {
                _state.update { it.copy(loaded = true, error = e.problem) }
            }
        }
    }

    /** Opens [number] to give it to someone (or closes it: null). */
    fun open(number: String?) {
        _state.update { it.copy(open = number, query = "", hits = emptyList()) }
        queries.value = ""
    }

    fun onQuery(q: String) {
        _state.update { it.copy(query = q) }
        queries.value = q
    }

    /** Gives [row]'s number to the person [to]. */
    fun give(row: UnknownNumberRow, to: Hit) {
        scope.launch {
            try {
                gw.attachNumber(row.number, to.id)
                _state.update { it.copy(given = row.display to to.name, open = null, query = "", hits = emptyList(), error = null) }
                queries.value = ""
                reload()
            } catch (e: CoreException) {
                _state.update { it.copy(error = e.problem) }
            }
        }
    }

    companion object { const val PAGE = 50 }
}
