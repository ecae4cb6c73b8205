package app.deko.ui.vm

import app.deko.ui.data.*
import app.deko.ui.format.Clock
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.collectLatest
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/** The people list's views: everyone, companies, and who is due a call (no call or meeting for [PeopleViewModel.DUE_DAYS] days). */
enum class PeopleTab { PEOPLE, COMPANIES, DUE }

data class PeopleState(
    val tab: PeopleTab = PeopleTab.PEOPLE,
    val query: String = "",
    val people: List<PersonRow> = emptyList(),
    val companies: List<CompanyRow> = emptyList(),
    /** Numbers with calls that belong to nobody yet (up to a page: the banner's count). */
    val unknownNumbers: Int = 0,
    /** Who is due a call, never contacted first, then longest ago; null until the tab is first shown. */
    val due: List<PersonRow>? = null,
    val dueEnd: Boolean = false,
    /** Search hits for [hitsFor]; null while the query is empty. */
    val hits: List<Hit>? = null,
    val hitsFor: String = "",
    val loaded: Boolean = false,
    val end: Boolean = false,
    val error: Problem? = null,
)

/**
 * The people and companies lists with search as you type: each keystroke asks
 * the core's search (diacritics-insensitive, ranked by the core); a newer
 * keystroke cancels the wait for an older answer.
 */
class PeopleViewModel(private val gw: DekoGateway, private val scope: CoroutineScope, private val clock: Clock) {
    private val _state = MutableStateFlow(PeopleState())
    val state: StateFlow<PeopleState> = _state.asStateFlow()
    private val query = MutableStateFlow("")
    private var paging: Job? = null
    /**
     * Who is due a call is read by a tab opening and by a list reload, which
     * may overlap: each read takes the next number, and only the latest
     * read's answer is shown (an older one, finishing later, would bring
     * back someone a call meanwhile took off the list).
     */
    private var dueReads = 0L

    /** Reads who is due a call; the answer, or null when a newer read has started meanwhile. */
    private suspend fun readDue(): List<PersonRow>? {
        val mine = ++dueReads
        val due = gw.notContacted(DUE_DAYS, clock.now(), 0, PAGE)
        return due.takeIf { mine == dueReads }
    }

    init {
        scope.launch {
            query.collectLatest { q ->
                try {
                    if (q.isBlank()) {
                        reloadLists()
                    } else {
                        val hits = gw.search(q, PAGE)
                        _state.update { it.copy(hits = hits, hitsFor = q, error = null) }
                    }
                } catch (e: CoreException) {
                    _state.update { it.copy(error = e.problem) }
                }
            }
        }
        scope.launch { gw.dataChanged.collect { reload() } }
    }

    private suspend fun reloadLists() {
        val people = gw.people(0, PAGE)
        val companies = gw.companies(0, PAGE)
        val unknown = gw.unknownNumbers(0, PAGE).size
        // who is due a call only once asked for, then kept current
        val asked = _state.value.due != null || _state.value.tab == PeopleTab.DUE
        val due = if (asked) readDue() else null
        _state.update {
            it.copy(
                people = people, companies = companies, unknownNumbers = unknown,
                hits = null, hitsFor = "", loaded = true, end = people.size < PAGE, error = null,
            ).let { s -> if (due != null) s.copy(due = due, dueEnd = due.size < PAGE) else s }
        }
    }

    fun onQuery(q: String) {
        _state.update { it.copy(query = q) }
        query.value = q
    }

    fun tab(t: PeopleTab) {
        _state.update { it.copy(tab = t) }
        // read afresh each time it is opened: a call logged meanwhile takes someone off it
        if (t == PeopleTab.DUE) {
            scope.launch {
                try {
                    val due = readDue() ?: return@launch
                    _state.update { it.copy(due = due, dueEnd = due.size < PAGE, error = null) }
                } catch (e: CoreException) {
                    _state.update { it.copy(error = e.problem) }
                }
            }
        }
    }

    fun reload() {
        scope.launch {
            val q = query.value
            if (q.isBlank()) {
                reloadLists()
            } else {
                val hits = gw.search(q, PAGE)
                _state.update { it.copy(hits = hits, hitsFor = q) }
            }
        }
    }

    /** The next page of the list, when scrolled to its end. */
    fun loadMore() {
        val s = _state.value
        if (s.end || s.hits != null || paging?.isActive == true) return
        paging = scope.launch {
            if (s.tab == PeopleTab.PEOPLE) {
                val more = gw.people(s.people.size, PAGE)
                _state.update { it.copy(people = it.people + more, end = more.size < PAGE) }
            } else if (s.tab == PeopleTab.DUE) {
                val had = s.due ?: return@launch
                if (s.dueEnd) return@launch
                val more = gw.notContacted(DUE_DAYS, clock.now(), had.size, PAGE)
                _state.update { it.copy(due = had + more, dueEnd = more.size < PAGE) }
            } else {
                val more = gw.companies(s.companies.size, PAGE)
                _state.update { it.copy(companies = it.companies + more) }
            }
        }
    }

    companion object {
        const val PAGE = 50
        /** Days without a call or meeting after which someone is due one. */
        const val DUE_DAYS = 30
    }
}

data class DetailState(
    val person: Person? = null,
    val company: Company? = null,
    val timeline: List<TimelineEntry> = emptyList(),
    val loaded: Boolean = false,
    val end: Boolean = false,
    val error: Problem? = null,
)

/** A person's or a company's card and timeline, paged as it scrolls. */
class DetailViewModel(private val gw: DekoGateway, private val scope: CoroutineScope, val id: String, val isCompany: Boolean) {
    private val _state = MutableStateFlow(DetailState())
    val state: StateFlow<DetailState> = _state.asStateFlow()
    private var paging: Job? = null

    init {
        reload()
        scope.launch { gw.dataChanged.collect { reload() } }
    }

    fun reload() {
        scope.launch {
            try {
                val p = if (isCompany) null else gw.person(id)
                val c = if (isCompany) gw.company(id) else null
                val tl = gw.timeline(id, 0, PAGE)
                _state.update { DetailState(p, c, tl, loaded = true, end = tl.size < PAGE) }
            } catch (e: CoreException) {
                _state.update { it.copy(loaded = true, error = e.problem) }
            }
        }
    }

    /** A deal for this company (its card); its timeline shows it once saved. */
    fun createDeal(title: String, value: String, currency: String, onDone: (Pair<String, String>?) -> Unit) =
        scope.createDeal(gw, title, value, currency, "", id) { refused -> if (refused == null) reload(); onDone(refused) }

    /** A task about this person (their card); their timeline shows it once saved. */
    fun createTask(clock: Clock, title: String, dueDays: Int?, onDone: (String?) -> Unit) =
        scope.createTask(gw, clock, title, dueDays, id) { refused -> if (refused == null) reload(); onDone(refused) }

    fun loadMore() {
        val s = _state.value
        if (s.end || !s.loaded || paging?.isActive == true) return
        paging = scope.launch {
            val more = gw.timeline(id, s.timeline.size, PAGE)
            _state.update { it.copy(timeline = it.timeline + more, end = more.size < PAGE) }
        }
    }

    companion object { const val PAGE = 30 }
}

enum class PersonField { GIVEN, FAMILY, TITLE, COMPANY, PHONE, EMAIL, NOTE }

data class EditState(
    val given: String = "",
    val family: String = "",
    val title: String = "",
    val company: String = "",
    val phone: String = "",
    val phoneKind: PhoneKind = PhoneKind.MOBILE,
    val otherPhones: List<PhoneNumber> = emptyList(),
    val email: String = "",
    val otherEmails: List<String> = emptyList(),
    val note: String = "",
    /** The core's message, at the field it concerns. */
    val errors: Map<PersonField, String> = emptyMap(),
    val error: Problem? = null,
    val saving: Boolean = false,
    val savedId: String? = null,
)

/** Add (with a number to start from, e.g. a call's) or edit a person: the core validates; its message lands at the field. */
class EditPersonViewModel(private val gw: DekoGateway, private val scope: CoroutineScope, val id: String?, number: String? = null) {
    private val _state = MutableStateFlow(EditState(phone = if (id == null) number?.trim().orEmpty() else ""))
    val state: StateFlow<EditState> = _state.asStateFlow()

    init {
        if (id != null) scope.launch {
            gw.person(id)?.let { p ->
                _state.update {
                    it.copy(
                        given = p.given.orEmpty(), family = p.family.orEmpty(), title = p.title.orEmpty(),
                        company = p.companyName.orEmpty(), phone = p.phones.firstOrNull()?.number.orEmpty(),
                        phoneKind = p.phones.firstOrNull()?.kind ?: PhoneKind.MOBILE, otherPhones = p.phones.drop(1),
                        email = p.emails.firstOrNull().orEmpty(), otherEmails = p.emails.drop(1), note = p.note.orEmpty(),
                    )
                }
            }
        }
    }

    fun edit(f: PersonField, v: String) = _state.update {
        val e = it.errors - f
        when (f) {
            PersonField.GIVEN -> it.copy(given = v, errors = e - PersonField.FAMILY)
            PersonField.FAMILY -> it.copy(family = v, errors = e - PersonField.GIVEN)
            PersonField.TITLE -> it.copy(title = v, errors = e)
            PersonField.COMPANY -> it.copy(company = v, errors = e)
            PersonField.PHONE -> it.copy(phone = v, errors = e)
            PersonField.EMAIL -> it.copy(email = v, errors = e)
            PersonField.NOTE -> it.copy(note = v, errors = e)
        }
    }

    fun phoneKind(k: PhoneKind) = _state.update { it.copy(phoneKind = k) }

    fun save() {
        val s = _state.value
        _state.update { it.copy(saving = true, errors = emptyMap(), error = null) }
        scope.launch {
            val phones = listOfNotNull(s.phone.trim().takeIf { it.isNotEmpty() }?.let { PhoneNumber(s.phoneKind, it) }) + s.otherPhones
            val emails = listOfNotNull(s.email.trim().takeIf { it.isNotEmpty() }) + s.otherEmails
            try {
                val saved = gw.savePerson(id, PersonForm(s.given.trim(), s.family.trim(), s.title.trim(), s.company.trim(), phones, emails, s.note.trim()))
                _state.update { it.copy(saving = false, savedId = saved) }
            } catch (e: CoreException) {
                val field = when (e.kind) {
                    ErrorKind.INVALID_PHONE_NUMBER -> PersonField.PHONE
                    ErrorKind.BAD_INPUT -> fieldOf(e.field, e.detail)
                    else -> null
                }
                // At the field, the kind ("invalid input: ") goes without saying.
                val text = e.detail.removePrefix("invalid input: ")
                _state.update {
                    if (field != null) it.copy(saving = false, errors = mapOf(field to text))
                    else it.copy(saving = false, error = e.problem)
                }
            }
        }
    }

    // Which box the core's sentence is about: it names the field it refused.
    private fun fieldOf(field: String?, message: String): PersonField {
        val m = message.lowercase()
        return when {
            field == "emails" || field == "email" -> PersonField.EMAIL
            field == "phones" || field == "phone" -> PersonField.PHONE
            field == "company" -> PersonField.COMPANY
            field == "title" -> PersonField.TITLE
            "mail" in m -> PersonField.EMAIL
            "phone" in m || "number" in m -> PersonField.PHONE
            "company" in m -> PersonField.COMPANY
            "title" in m -> PersonField.TITLE
            else -> PersonField.GIVEN
        }
    }
}
