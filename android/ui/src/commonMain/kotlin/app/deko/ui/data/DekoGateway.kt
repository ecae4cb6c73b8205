package app.deko.ui.data

import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.StateFlow

/**
 * The one way from the screens to the core. Its only implementation,
 * `FfiGateway` (jvmMain, shared by desktop and Android), makes each call through
 * the generated uniffi Kotlin (`app.deko.ffi`, `app.deko.core`) on a background dispatcher and
 * maps records to the UI's types; if the generated API changes, only that file
 * changes. Every function is `suspend` so no screen can call the core on the UI
 * thread. Failures arrive as [CoreException]: the core's error kind and its sentence.
 */
interface DekoGateway : PeopleGateway, ActivityGateway, TaskGateway, DealGateway, ConflictGateway, TeamGateway

/**
 * The core's error kinds (the generated `DekoException` subclasses, one to one;
 * [OTHER] for a failure that arrives without a kind, such as a peer's session
 * error in a sync report). The screens turn each into a sentence in the UI's
 * language (`explain`); the kinds without one show the core's [Problem.detail].
 */
enum class ErrorKind {
    DATABASE, STORAGE_FULL, CORRUPT, SCHEMA_TOO_NEW, INVALID_RECORD, NOT_A_MEMBER, REVOKED, NOT_ADMIN,
    ALREADY_IN_TEAM, NOT_FOUND, CONFLICT_NEEDS_RESOLUTION, INVALID_PHONE_NUMBER, INVALID_VCARD, BAD_TICKET,
    BAD_INPUT, PROTOCOL, UNREACHABLE, TIMED_OUT, REFUSED_BY_PEER, RELAY_REFUSED, NETWORK, DISCOVERY, STATE, OTHER,
    /** The library failed inside (a panic: a bug, never the input's fault). */
    INTERNAL,
}

/**
 * A failure as a screen holds it: the kind, the core's own sentence ([detail],
 * English) and, for refusals, the other side's own words ([reason]).
 */
data class Problem(val kind: ErrorKind, val detail: String, val reason: String? = null)

/**
 * A core call failed. [detail] is the core's sentence (also the message),
 * [reason] the peer's or relay's words for a refusal, [field] the input the
 * core refused for [ErrorKind.BAD_INPUT] (`name`, `title`, `emails`, ...).
 */
class CoreException(
    val kind: ErrorKind,
    val detail: String,
    val reason: String? = null,
    val field: String? = null,
    cause: Throwable? = null,
) : Exception(detail, cause) {
    val problem: Problem get() = Problem(kind, detail, reason)
}

interface PeopleGateway {
    suspend fun people(offset: Int, limit: Int): List<PersonRow>
    suspend fun companies(offset: Int, limit: Int): List<CompanyRow>
    /** Numbers with calls that belong to nobody yet, the most recent first. */
    suspend fun unknownNumbers(offset: Int, limit: Int): List<UnknownNumberRow>
    /** People with no call or meeting for [days] days before [now]: never contacted first, then longest ago. */
    suspend fun notContacted(days: Int, now: Long, offset: Int, limit: Int): List<PersonRow>
    suspend fun search(query: String, limit: Int): List<Hit>
    suspend fun person(id: String): Person?
    suspend fun company(id: String): Company?
    suspend fun timeline(id: String, offset: Int, limit: Int): List<TimelineEntry>
    /** Creates (id null) or changes a person; the company is found by name or created. Returns the id. */
    suspend fun savePerson(id: String?, form: PersonForm): String
    suspend fun saveCompany(id: String?, form: CompanyForm): String
    suspend fun personCount(): Long
}

interface ActivityGateway {
    suspend fun lookupNumber(number: String): CallerMatch
    /** Whom a call with [number] is with, by name, as [logCall] files it (the person with it, else [giveTo], else its company). */
    suspend fun callCounterpart(number: String, giveTo: String?): String?
    suspend fun logCall(call: CallDraft): LoggedCall
    suspend fun attachNumber(number: String, personId: String): Long
    /** The person (else the company) a call, meeting or note is about. */
    suspend fun activityOwner(id: String): Pair<String, Boolean>?
    suspend fun logMeeting(start: Long, end: Long?, place: String?, personId: String?, companyId: String?, note: String?): String
    suspend fun addNote(at: Long, text: String, personId: String?, companyId: String?): String
}

interface TaskGateway {
    suspend fun tasks(now: Long, utcOffsetMin: Int): TaskLists
    suspend fun createTask(title: String, due: Long?, personId: String?): String
    suspend fun setTaskDone(id: String, done: Boolean)
}

interface DealGateway {
    suspend fun pipeline(): List<StageColumn>
    suspend fun moveDeal(dealId: String, stageId: String)
    /** A deal for the company [companyId] if given, else the one [companyName] names (found or made: the core's companyNamed). */
    suspend fun createDeal(title: String, value: MoneyValue?, companyName: String?, companyId: String? = null): String
    /** The core's reading of an amount as people write it ("12 500,50", "12,500.50 EUR"); throws BAD_INPUT when unreadable. */
    suspend fun parseMoney(text: String, defaultCurrency: String): MoneyValue
}

interface ConflictGateway {
    suspend fun conflicts(): List<ConflictItem>
    suspend fun resolve(item: ConflictItem, choice: ConflictChoice)
    suspend fun resolveWithText(item: ConflictItem, text: String)
}

interface TeamGateway {
    suspend fun team(): TeamSummary?
    suspend fun createTeam(teamName: String, yourName: String)
    /** Joins with a `deko:` ticket; [progress] sees the database arrive. */
    suspend fun join(ticket: String, yourName: String, progress: (SyncProgress) -> Unit)
    suspend fun devices(): List<DeviceItem>
    suspend fun revoke(device: String)
    suspend fun yourName(): String?
    suspend fun deviceFingerprint(): String
    suspend fun libraryVersion(): String
    suspend fun region(): String
    suspend fun setRegion(region: String)
    /** Starts sync if it is not running; returns the listening address. */
    suspend fun ensureSync(): String
    suspend fun syncNow(progress: (SyncProgress) -> Unit): List<PeerStatus>
    suspend fun syncWithTicket(ticket: String, progress: (SyncProgress) -> Unit): List<PeerStatus>
    suspend fun invite(): Invite
    suspend fun relay(): Relay?
    suspend fun setRelay(relay: Relay?)
    /** The last session with each peer (by fingerprint), incoming ones too. */
    val peerStatus: StateFlow<Map<String, PeerStatus>>
    /** Emits whenever records arrived from a peer, so open screens can reload. */
    val dataChanged: Flow<Unit>
}
