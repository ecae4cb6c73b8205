package app.deko.ui.vm

import app.deko.ui.data.*
import app.deko.ui.format.Clock
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.FlowPreview
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.collectLatest
import kotlinx.coroutines.flow.debounce
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** Who a typed number belongs to, as the core's caller lookup says. */
sealed interface NumberMatch {
    data object None : NumberMatch
    data class Person(val row: PersonRow) : NumberMatch
    data class Company(val row: CompanyRow) : NumberMatch
    data object Unknown : NumberMatch
}

enum class CallField { NUMBER, START, DURATION, NOTE }

data class CallSheetState(
    val number: String = "",
    val match: NumberMatch = NumberMatch.None,
    val start: Long = 0,
    val startText: String = "",
    val minutes: String = "",
    val direction: CallDirection = CallDirection.OUT,
    val outcome: CallOutcome? = null,
    val note: String = "",
    val followUpDays: Int? = null,
    /** "unknown number: attach to…": the search box and the picked person */
    val attachQuery: String = "",
    val attachHits: List<Hit> = emptyList(),
    val attachTo: Hit? = null,
    val errors: Map<CallField, String> = emptyMap(),
    val saving: Boolean = false,
    val done: LoggedCall? = null,
)

/**
 * The log-a-call sheet. Prefilled from what the platform knows (the number,
 * start and duration of the call that just ended) or from the person it was
 * opened on. The core reads the number, matches it, gives it to the person
 * picked when nobody has it, and stores the call with its follow-up task,
 * all in one call.
 */
@OptIn(FlowPreview::class)
class CallSheetViewModel(
    private val gw: DekoGateway,
    private val scope: CoroutineScope,
    private val clock: Clock,
    private val formatTime: (Long) -> String,
    private val parseTime: (String) -> Long?,
    private val followUpTitle: (String) -> String,
    personId: String?,
    number: String?,
    start: Long?,
    durationS: Long?,
) {
    private val _state = MutableStateFlow(CallSheetState())
    val state: StateFlow<CallSheetState> = _state.asStateFlow()
    private val numbers = MutableStateFlow("")
    private val attachQueries = MutableStateFlow("")

    init {
        val t = start ?: clock.now()
        _state.update {
            it.copy(
                number = number.orEmpty(), start = t, startText = formatTime(t),
                minutes = durationS?.let { d -> formatMinutes(d) }.orEmpty(),
            )
        }
        numbers.value = number.orEmpty()
        scope.launch {
            if (number == null && personId != null) {
                // as the person screen shows it; the core reads it back to the same number
                gw.person(personId)?.phones?.firstOrNull()?.display?.let { onNumber(it) }
            }
        }
        scope.launch {
            numbers.debounce(150).collectLatest { n ->
                val m = if (n.isBlank()) NumberMatch.None else try {
                    val found = gw.lookupNumber(n)
                    when {
                        found.people.isNotEmpty() -> NumberMatch.Person(found.people.first())
                        found.companies.isNotEmpty() -> NumberMatch.Company(found.companies.first())
                        else -> NumberMatch.Unknown
                    }
                } catch (e: CoreException) {
                    NumberMatch.None
                }
                _state.update { it.copy(match = m) }
            }
        }
        scope.launch {
            attachQueries.collectLatest { q ->
                val hits = if (q.isBlank()) emptyList() else gw.search(q, 8).filter { it.kind == HitKind.PERSON }
                _state.update { it.copy(attachHits = hits) }
            }
        }
    }

    fun onNumber(v: String) {
        _state.update { it.copy(number = v, errors = it.errors - CallField.NUMBER) }
        numbers.value = v
    }

    fun onStart(v: String) = _state.update { it.copy(startText = v, errors = it.errors - CallField.START) }
    fun onMinutes(v: String) = _state.update { it.copy(minutes = v, errors = it.errors - CallField.DURATION) }
    fun onDirection(d: CallDirection) = _state.update { it.copy(direction = d) }
    fun onOutcome(o: CallOutcome) = _state.update { it.copy(outcome = if (it.outcome == o) null else o) }
    fun onNote(v: String) = _state.update { it.copy(note = v) }
    fun onFollowUp(days: Int?) = _state.update { it.copy(followUpDays = days) }

    fun onAttachQuery(q: String) {
        _state.update { it.copy(attachQuery = q, attachTo = null) }
        attachQueries.value = q
    }

    fun attachTo(hit: Hit?) = _state.update { it.copy(attachTo = hit, attachQuery = hit?.name ?: it.attachQuery, attachHits = emptyList()) }

    /** Saves; [invalidStart] and [invalidDuration] are the UI's words for input it could not read. */
    fun save(invalidStart: String, invalidDuration: String) {
        val s = _state.value
        val start = parseTime(s.startText)
        val seconds = parseMinutes(s.minutes)
        val errors = buildMap {
            if (start == null) put(CallField.START, invalidStart)
            if (seconds == null) put(CallField.DURATION, invalidDuration)
        }
        if (errors.isNotEmpty()) return _state.update { it.copy(errors = errors) }
        _state.update { it.copy(saving = true) }
        scope.launch {
            try {
                // The follow-up names whom the core files the call under, else the number.
                val followUp = s.followUpDays?.let { days ->
                    val who = gw.callCounterpart(s.number, s.attachTo?.id) ?: s.number.trim()
                    FollowUpDraft(followUpTitle(who), clock.now() + days * DAY_MS)
                }
                // One core call: the number given to the person picked, the call, its follow-up.
                val logged = gw.logCall(
                    CallDraft(s.number, start!!, seconds!!, s.direction, s.outcome, s.note.trim().ifEmpty { null }, s.attachTo?.id, followUp),
                )
                _state.update { it.copy(saving = false, done = logged) }
            } catch (e: CoreException) {
                val field = if (e.field == "duration_s") CallField.DURATION else CallField.NUMBER
                _state.update { it.copy(saving = false, errors = mapOf(field to e.detail)) }
            }
        }
    }

    companion object {
        const val DAY_MS = 86_400_000L

        fun formatMinutes(seconds: Long): String =
            if (seconds % 60 == 0L) (seconds / 60).toString() else "${seconds / 60}:${(seconds % 60).toString().padStart(2, '0')}"

        /** "4", "4:30", "4.5", "" (= 0) → seconds; null when unreadable. */
        fun parseMinutes(text: String): Long? {
            val t = text.trim().replace(',', '.')
            if (t.isEmpty()) return 0
            if (':' in t) {
                val (m, s) = t.split(':', limit = 2)
                val mm = m.toLongOrNull() ?: return null
                val ss = s.toLongOrNull() ?: return null
                return if (ss in 0..59) mm * 60 + ss else null
            }
            return t.toDoubleOrNull()?.let { (it * 60).toLong() }
        }
    }
}

enum class ActivityKindUi { MEETING, NOTE }

data class ActivitySheetState(
    val who: String? = null,
    val whenText: String = "",
    val minutes: String = "60",
    val place: String = "",
    val text: String = "",
    val error: Problem? = null,
    val whenError: String? = null,
    val saving: Boolean = false,
    val done: Boolean = false,
)

/** Log a meeting or add a note about a person. */
class ActivitySheetViewModel(
    private val gw: DekoGateway,
    private val scope: CoroutineScope,
    clock: Clock,
    formatTime: (Long) -> String,
    private val parseTime: (String) -> Long?,
    val kind: ActivityKindUi,
    private val personId: String?,
) {
    private val _state = MutableStateFlow(ActivitySheetState(whenText = formatTime(clock.now())))
    val state: StateFlow<ActivitySheetState> = _state.asStateFlow()

    init {
        if (personId != null) scope.launch { gw.person(personId)?.let { p -> _state.update { it.copy(who = p.name) } } }
    }

    fun onWhen(v: String) = _state.update { it.copy(whenText = v, whenError = null) }
    fun onMinutes(v: String) = _state.update { it.copy(minutes = v) }
    fun onPlace(v: String) = _state.update { it.copy(place = v) }
    fun onText(v: String) = _state.update { it.copy(text = v, error = null) }

    fun save(invalidWhen: String) {
        val s = _state.value
        val at = parseTime(s.whenText) ?: return _state.update { it.copy(whenError = invalidWhen) }
        _state.update { it.copy(saving = true) }
        scope.launch {
            try {
                if (kind == ActivityKindUi.MEETING) {
                    val end = CallSheetViewModel.parseMinutes(s.minutes)?.takeIf { it > 0 }?.let { at + it * 1000 }
                    gw.logMeeting(at, end, s.place.trim().ifEmpty { null }, personId, null, s.text.trim().ifEmpty { null })
                } else {
                    gw.addNote(at, s.text.trim(), personId, null)
                }
                _state.update { it.copy(saving = false, done = true) }
            } catch (e: CoreException) {
                _state.update { it.copy(saving = false, error = e.problem) }
            }
        }
    }
}
