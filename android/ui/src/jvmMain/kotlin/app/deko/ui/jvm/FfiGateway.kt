package app.deko.ui.jvm

import app.deko.core.ActivityKind
import app.deko.core.CallInput
import app.deko.ffi.CompanyDraft
import app.deko.ffi.Database
import app.deko.ffi.DealDraft
import app.deko.ffi.DekoException
import app.deko.ffi.InternalException
import app.deko.core.Direction
import app.deko.core.FieldValue
import app.deko.core.FollowUp
import app.deko.ffi.InviteOptions
import app.deko.core.MeetingInput
import app.deko.core.Money
import app.deko.core.NoteInput
import app.deko.ffi.PeerSync
import app.deko.core.Phone
import app.deko.core.PhoneLabel
import app.deko.ffi.PersonDraft
import app.deko.ffi.RelaySettings
import app.deko.core.Role
import app.deko.core.SortBy
import app.deko.core.StageOutcome
import app.deko.ffi.SyncListener
import app.deko.ffi.SyncSettings
import app.deko.core.SyncStats
import app.deko.ffi.SyncTarget
import app.deko.core.SyncVia
import app.deko.ffi.TaskDraft
import app.deko.core.TaskFilter
import app.deko.core.TimelineKind
import app.deko.ffi.libraryVersion
import app.deko.ui.data.*
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asSharedFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.withContext
import java.net.Inet4Address
import java.net.NetworkInterface

/**
 * The only code that calls the generated uniffi Kotlin (`app.deko.ffi`, and the
 * core's records and enums in `app.deko.core`): each
 * call runs on [io] (never the UI thread), records become the UI's types, and a
 * `DekoException` becomes a [CoreException] with the core's sentence. Shared by
 * the desktop app and Android (jvmMain); if the generated API changes, this
 * file is the one to adapt.
 *
 * [listen] is where sync listens once started (`0.0.0.0:0`: any free port;
 * tests use loopback). [clock] stamps peer statuses.
 */
class FfiGateway(
    val db: Database,
    private val listen: String = "0.0.0.0:0",
    private val io: CoroutineDispatcher = Dispatchers.IO,
    private val inviteTtlS: ULong = 3600uL,
) : DekoGateway, AutoCloseable {

    private val _peers = MutableStateFlow<Map<String, PeerStatus>>(emptyMap())
    override val peerStatus: StateFlow<Map<String, PeerStatus>> = _peers.asStateFlow()
    private val _changed = MutableSharedFlow<Unit>(extraBufferCapacity = 16)
    override val dataChanged: SharedFlow<Unit> = _changed.asSharedFlow()

    @Volatile private var progress: ((SyncProgress) -> Unit)? = null
    private val vias = java.util.concurrent.ConcurrentHashMap<String, Via>()

    private val listener = object : SyncListener {
        override fun onStarted(peer: String, via: SyncVia, initiator: Boolean) {
            vias[peer] = via.ui()
        }

        override fun onProgress(peer: String, stats: SyncStats) {
            progress?.invoke(SyncProgress(peer, stats.received.toLong(), stats.toReceive.toLong()))
        }

        override fun onViews(done: ULong, total: ULong) {
            progress?.invoke(SyncProgress(null, done.toLong(), total.toLong(), views = true))
        }

        // Called on the library's threads, which may hold the database: never call
        // back into it here; names are looked up afterwards on [io].
        override fun onDone(peer: String, stats: SyncStats) {
            val via = vias[peer]
            background.launch { record(peerStatusOf(peer, null, via, stats, null)) }
            if (stats.applied > 0uL) _changed.tryEmit(Unit)
        }

        override fun onError(peer: String?, message: String, kind: app.deko.core.ErrorKind, reason: String?) {
            val via = peer?.let { vias[it] }
            val problem = Problem(ErrorKind.valueOf(kind.name), message, reason)
            if (peer != null) background.launch { record(peerStatusOf(peer, null, via, null, problem)) }
        }
    }
    private val background = CoroutineScope(SupervisorJob() + io)

    init {
        db.addSyncListener(listener)
    }

    private fun record(p: PeerStatus) = _peers.update { it + (p.fingerprint to p) }

    private suspend fun <T> core(block: () -> T): T = withContext(io) {
        try {
            block()
        } catch (e: DekoException) {
            throw e.ui()
        } catch (e: InternalException) {
            throw e.ui()
        }
    }

    private suspend fun <T> coreAsync(block: suspend () -> T): T = withContext(io) {
        try {
            block()
        } catch (e: DekoException) {
            throw e.ui()
        } catch (e: InternalException) {
            throw e.ui()
        }
    }

    // ---- people and companies

    override suspend fun people(offset: Int, limit: Int) = core { db.people(SortBy.NAME, offset.toUInt(), limit.toUInt()).map { it.row() } }

    override suspend fun unknownNumbers(offset: Int, limit: Int) = core {
        db.unknownNumbers(offset.toUInt(), limit.toUInt()).map { UnknownNumberRow(it.number, it.display, it.calls.toLong(), it.last) }
    }

    override suspend fun notContacted(days: Int, now: Long, offset: Int, limit: Int) = core {
        db.notContactedSince(days.toUInt(), now, offset.toUInt(), limit.toUInt()).map { it.row() }
    }

    override suspend fun companies(offset: Int, limit: Int) = core {
        db.companies(SortBy.NAME, offset.toUInt(), limit.toUInt()).map { CompanyRow(it.id, it.name.orEmpty(), it.industry) }
    }

    override suspend fun search(query: String, limit: Int) = core {
        db.search(query, 0u, limit.toUInt()).map { Hit(it.id, hitKind(it.kind), it.name, it.snippet) }
    }

    override suspend fun person(id: String) = core { db.person(id)?.takeUnless { it.deleted }?.ui() }

    override suspend fun company(id: String) = core {
        db.company(id)?.takeUnless { it.deleted }?.let { c ->
            Company(
                c.id, c.name.orEmpty(), c.phones.map { it.ui() }, c.emails, c.website, c.address, c.industry, c.note,
                c.custom.map { CustomField(it.field.name, it.value.text()) }, db.companyPeople(c.id).map { it.row() },
            )
        }
    }

    override suspend fun timeline(id: String, offset: Int, limit: Int) = core {
        db.timeline(id, offset.toUInt(), limit.toUInt()).map { item ->
            val entry = TimelineEntry(item.id, item.kind.ui(), item.at, item.summary)
            when (item.kind) {
                TimelineKind.TASK, TimelineKind.DEAL -> entry
                else -> db.activity(item.id)?.let { a ->
                    when (val k = a.kind) {
                        is ActivityKind.Call -> entry.copy(
                            direction = when (k.direction) { Direction.IN -> CallDirection.IN; Direction.OUT -> CallDirection.OUT; Direction.MISSED -> CallDirection.MISSED },
                            durationS = k.durationS, outcome = CallOutcome.entries.find { it.key == k.outcome }, note = a.note,
                        )
                        is ActivityKind.Meeting -> entry.copy(place = k.place, durationS = k.end?.let { (it - a.at) / 1000 }, note = a.note)
                        ActivityKind.Note -> entry.copy(note = a.note)
                    }
                } ?: entry
            }
        }
    }

    override suspend fun savePerson(id: String?, form: PersonForm): String = core {
        val companyId = if (form.companyName.isBlank()) "" else db.companyNamed(form.companyName)
        // A new person: what was filled in. An edit: only what changed (null leaves a
        // field as it is), so an edit never writes over a field it did not touch.
        val now = id?.let { db.person(it) }
        fun <T> v(new: T, old: T?, empty: Boolean): T? = if (now == null) new.takeUnless { empty } else new.takeIf { it != old }
        val phones = form.phones.map { Phone(it.kind.ffi(), it.number) }
        val draft = PersonDraft(
            given = v(form.given, now?.given.orEmpty(), form.given.isEmpty()),
            family = v(form.family, now?.family.orEmpty(), form.family.isEmpty()),
            title = v(form.title, now?.title.orEmpty(), form.title.isEmpty()),
            company = v(companyId, now?.company.orEmpty(), companyId.isEmpty()),
            // compared as written: the shown form is the core's, never written
            phones = v(phones, now?.phones?.map { Phone(it.label, it.number) }, phones.isEmpty()),
            emails = v(form.emails, now?.emails, form.emails.isEmpty()),
            note = v(form.note, now?.note.orEmpty(), form.note.isEmpty()),
        )
        if (id == null) db.createPerson(draft) else id.also { db.updatePerson(it, draft) }
    }

    override suspend fun saveCompany(id: String?, form: CompanyForm): String = core {
        val draft = CompanyDraft(
            name = form.name, phones = form.phones.map { Phone(it.kind.ffi(), it.number) }, emails = form.emails,
            website = form.website.ifEmpty { null }, industry = form.industry.ifEmpty { null },
        )
        if (id == null) db.createCompany(draft) else id.also { db.updateCompany(it, draft) }
    }

    override suspend fun personCount(): Long = core { db.stats().people.toLong() }

    // ---- activities

    override suspend fun lookupNumber(number: String) = core {
        val m = db.lookupNumber(number)
        CallerMatch(m.people.map { it.row() }, m.companies.map { CompanyRow(it.id, it.name.orEmpty(), it.industry) })
    }

    override suspend fun callCounterpart(number: String, giveTo: String?) = core { db.callCounterpart(number, giveTo) }

    override suspend fun logCall(call: CallDraft) = core {
        val logged = db.logCall(
            CallInput(
                call.number, call.start, call.durationS,
                when (call.direction) { CallDirection.IN -> Direction.IN; CallDirection.OUT -> Direction.OUT; CallDirection.MISSED -> Direction.MISSED },
                call.note, call.outcome?.key,
                giveTo = call.giveTo,
                followUp = call.followUp?.let { FollowUp(it.title, it.due) },
            ),
        )
        val number = (logged.call.kind as? ActivityKind.Call)?.number
        LoggedCall(logged.call.id, logged.person?.id, logged.person?.displayName, number, logged.followUp)
    }

    override suspend fun attachNumber(number: String, personId: String) = core { db.attachNumber(number, personId, "mobile").toLong() }

    override suspend fun activityOwner(id: String) = core {
        db.activity(id)?.let { a -> a.people.firstOrNull()?.let { it to false } ?: a.company?.let { it to true } }
    }

    override suspend fun logMeeting(start: Long, end: Long?, place: String?, personId: String?, companyId: String?, note: String?) = core {
        db.logMeeting(MeetingInput(start, end, place, listOfNotNull(personId), companyId, note))
    }

    override suspend fun addNote(at: Long, text: String, personId: String?, companyId: String?) = core {
        db.addNote(NoteInput(at, text, listOfNotNull(personId), companyId))
    }

    // ---- tasks

    override suspend fun tasks(now: Long, utcOffsetMin: Int) = core {
        fun item(t: app.deko.core.Task) = TaskItem(t.id, t.title, t.due, t.done, t.person, t.personName)
        val overdue = db.tasks(TaskFilter.OVERDUE, now, utcOffsetMin)
        val today = db.tasks(TaskFilter.DUE_TODAY, now, utcOffsetMin)
        val seen = (overdue + today).map { it.id }.toSet()
        val upcoming = db.tasks(TaskFilter.OPEN, now, utcOffsetMin).filter { it.id !in seen }
        TaskLists(overdue.map(::item), today.map(::item), upcoming.map(::item))
    }

    override suspend fun createTask(title: String, due: Long?, personId: String?) = core {
        db.createTask(TaskDraft(title = title, due = due, person = personId))
    }

    override suspend fun setTaskDone(id: String, done: Boolean) = core { db.setTaskDone(id, done) }

    // ---- deals

    override suspend fun pipeline() = core {
        db.pipeline().map { col ->
            StageColumn(
                col.stage.id, col.stage.name,
                when (col.stage.outcome) { StageOutcome.OPEN -> StageKind.OPEN; StageOutcome.WON -> StageKind.WON; StageOutcome.LOST -> StageKind.LOST },
                col.count.toLong(), col.totals.map { MoneyValue(it.minor, it.currency) },
                col.deals.map { d ->
                    DealItem(
                        d.id, d.title, d.value?.let { MoneyValue(it.minor, it.currency) }, d.stage,
                        d.companyName, d.expectedClose,
                    )
                },
            )
        }
    }

    override suspend fun moveDeal(dealId: String, stageId: String) = core { db.updateDeal(dealId, DealDraft(stage = stageId)) }

    override suspend fun createDeal(title: String, value: MoneyValue?, companyName: String?, companyId: String?) = core {
        val company = companyId ?: companyName?.takeIf { it.isNotBlank() }?.let { db.companyNamed(it) }
        db.createDeal(DealDraft(title = title, value = value?.let { Money(it.minor, it.currency) }, company = company))
    }

    override suspend fun parseMoney(text: String, defaultCurrency: String) = core {
        app.deko.ffi.parseMoney(text, defaultCurrency).let { MoneyValue(it.minor, it.currency) }
    }

    // ---- conflicts

    override suspend fun conflicts() = core {
        db.conflicts().map { c ->
            ConflictItem(
                c.entity, c.kind, c.name ?: c.kind, c.field,
                c.values.map { v -> ConflictChoice(v.value.text(), v.value, v.by ?: v.authorFingerprint, v.writtenAt) },
            )
        }
    }

    override suspend fun resolve(item: ConflictItem, choice: ConflictChoice) = core { db.resolve(item.entityId, item.field, choice.token as FieldValue) }

    override suspend fun resolveWithText(item: ConflictItem, text: String) = core { db.resolve(item.entityId, item.field, FieldValue.Text(text)) }

    // ---- team and sync

    override suspend fun team() = core { db.team()?.let { TeamSummary(it.id, it.name) } }

    override suspend fun createTeam(teamName: String, yourName: String) = core { db.createTeam(teamName, yourName); Unit }

    override suspend fun join(ticket: String, yourName: String, progress: (SyncProgress) -> Unit) {
        this.progress = progress
        try {
            val stats = coreAsync { db.join(ticket, yourName, SyncSettings(listen, null)) }
            progress(SyncProgress(null, stats.received.toLong(), stats.received.toLong()))
            _changed.tryEmit(Unit)
        } finally {
            this.progress = null
        }
    }

    override suspend fun devices() = core {
        db.devices().map { DeviceItem(it.device, it.fingerprint, it.personName, it.role == Role.ADMIN, it.revokedAfter != null, it.isThisDevice) }
    }

    override suspend fun revoke(device: String) = core { db.revoke(device); Unit }

    override suspend fun yourName() = core { db.devices().firstOrNull { it.isThisDevice }?.personName }

    override suspend fun deviceFingerprint() = core { db.deviceFingerprint() }

    override suspend fun libraryVersion() = core { app.deko.ffi.libraryVersion() }

    override suspend fun region() = core { db.region() }

    override suspend fun setRegion(region: String) = core { db.setRegion(region) }

    override suspend fun ensureSync(): String = coreAsync {
        if (!db.syncRunning()) db.startSync(SyncSettings(listen, null)) else db.localAddr()
    }

    override suspend fun syncNow(progress: (SyncProgress) -> Unit) = runSync(SyncTarget.AllKnown, progress)

    override suspend fun syncWithTicket(ticket: String, progress: (SyncProgress) -> Unit) = runSync(SyncTarget.Ticket(ticket), progress)

    private suspend fun runSync(target: SyncTarget, progress: (SyncProgress) -> Unit): List<PeerStatus> {
        ensureSync()
        this.progress = progress
        try {
            val report = coreAsync { db.sync(target) }
            val statuses = report.sessions.map { it.ui() }
            statuses.forEach(::record)
            if (report.sessions.any { (it.stats?.applied ?: 0uL) > 0uL }) _changed.tryEmit(Unit)
            return statuses
        } finally {
            this.progress = null
        }
    }

    override suspend fun invite(): Invite {
        val addr = ensureSync()
        return core {
            val port = addr.substringAfterLast(':')
            val host = addr.substringBeforeLast(':')
            val addrs = if (host == "0.0.0.0" || host == "[::]") localAddresses().map { "$it:$port" } else listOf(addr)
            val ticket = db.ticket(addrs, InviteOptions(Role.MEMBER, inviteTtlS))
            Invite(ticket, Qr.encode(ticket))
        }
    }

    /** The relay in use (known only while sync runs: none before). */
    override suspend fun relay() = core { if (db.syncRunning()) db.relay()?.let { Relay(it.address, it.token) } else null }

    override suspend fun setRelay(relay: Relay?) {
        ensureSync()
        coreAsync { db.setRelay(relay?.let { RelaySettings(it.address, it.token) }) }
    }

    override fun close() {
        background.cancel()
        kotlinx.coroutines.runBlocking { if (db.syncRunning()) runCatching { db.stopSync() } }
        db.clearSyncListeners()
        db.close()
    }

    // ---- mapping

    private fun peerStatusOf(device: String, addr: String?, via: Via?, stats: SyncStats?, error: Problem?): PeerStatus {
        val d = runCatching { db.devices().firstOrNull { it.device == device } }.getOrNull()
        return PeerStatus(
            fingerprint = d?.fingerprint ?: device.take(9),
            personName = d?.personName,
            at = System.currentTimeMillis(),
            via = via, address = addr,
            received = stats?.received?.toLong() ?: 0, sent = stats?.sent?.toLong() ?: 0,
            refused = stats?.refused?.toLong() ?: 0,
            refusals = stats?.refusedByReason?.map { "${it.reason.name.lowercase().replace('_', ' ')}: ${it.count}" } ?: emptyList(),
            error = error,
        )
    }

    private fun PeerSync.ui(): PeerStatus {
        val d = runCatching { db.devices().firstOrNull { it.device == device } }.getOrNull()
        val problem = error?.let { Problem(errorKind?.let { k -> ErrorKind.valueOf(k.name) } ?: ErrorKind.OTHER, it, errorReason) }
        return peerStatusOf(device, addr ?: relay, via?.ui(), stats, problem).copy(fingerprint = fingerprint, personName = d?.personName)
    }

    companion object {
        /** Opens (or creates) the database file; null region keeps the database's own. */
        fun open(path: String, region: String? = null, listen: String = "0.0.0.0:0"): FfiGateway =
            try {
                FfiGateway(Database.open(path, region), listen)
            } catch (e: DekoException) {
                throw e.ui()
            } catch (e: InternalException) {
                throw e.ui()
            }

        /** This machine's IPv4 addresses that peers on the network can reach. */
        fun localAddresses(): List<String> = runCatching {
            NetworkInterface.getNetworkInterfaces().toList()
                .filter { it.isUp && !it.isLoopback && !it.isVirtual }
                .flatMap { it.inetAddresses.toList() }
                .filterIsInstance<Inet4Address>()
                .map { it.hostAddress }
        }.getOrDefault(emptyList()).ifEmpty { listOf("127.0.0.1") }
    }
}

private fun SyncVia.ui() = if (this == SyncVia.DIRECT) Via.DIRECT else Via.RELAY

private fun app.deko.core.Person.row() = PersonRow(id, displayName, companyName, title, lastContact)

private fun app.deko.core.Person.ui() = Person(
    id, displayName, given, family, title, company, companyName, phones.map { it.ui() }, emails, address, tags, note,
    custom.map { CustomField(it.field.name, it.value.text()) }, conflicts, lastContact,
)

private fun Phone.ui() = PhoneNumber(
    when (label) { PhoneLabel.MOBILE -> PhoneKind.MOBILE; PhoneLabel.WORK -> PhoneKind.WORK; PhoneLabel.HOME -> PhoneKind.HOME; PhoneLabel.OTHER -> PhoneKind.OTHER },
    number,
    display,
)

private fun PhoneKind.ffi() = when (this) {
    PhoneKind.MOBILE -> PhoneLabel.MOBILE
    PhoneKind.WORK -> PhoneLabel.WORK
    PhoneKind.HOME -> PhoneLabel.HOME
    PhoneKind.OTHER -> PhoneLabel.OTHER
}

private fun TimelineKind.ui() = when (this) {
    TimelineKind.CALL -> EntryKind.CALL
    TimelineKind.MISSED -> EntryKind.MISSED
    TimelineKind.MEETING -> EntryKind.MEETING
    TimelineKind.NOTE -> EntryKind.NOTE
    TimelineKind.TASK -> EntryKind.TASK
    TimelineKind.DEAL -> EntryKind.DEAL
}

private fun hitKind(kind: String) = when (kind) {
    "person" -> HitKind.PERSON
    "company" -> HitKind.COMPANY
    "deal" -> HitKind.DEAL
    "task" -> HitKind.TASK
    "call" -> HitKind.CALL
    "meeting" -> HitKind.MEETING
    "note" -> HitKind.NOTE
    else -> HitKind.OTHER
}

/** A field value as a person reads it (the raw form; the screens do not interpret it). */
internal fun FieldValue.text(): String = when (this) {
    FieldValue.Null -> ""
    is FieldValue.Bool -> if (value) "✓" else "✗"
    is FieldValue.Int -> value.toString()
    is FieldValue.Float -> value.toString()
    is FieldValue.Text -> value
    is FieldValue.Time -> java.time.Instant.ofEpochMilli(ms).toString()
    is FieldValue.Date -> java.time.LocalDate.ofEpochDay(days.toLong()).toString()
    is FieldValue.Ref -> id
    is FieldValue.Money -> "$minor $currency"
    is FieldValue.Texts -> values.joinToString(", ")
    is FieldValue.Refs -> ids.joinToString(", ")
    is FieldValue.Labeled -> values.joinToString(", ") { "${it.value} (${it.label})" }
}

/**
 * A call that failed inside the library: a panic (a bug; the library never
 * panics on input), which uniffi raises instead of ending the process. The
 * screen shows it as any failure, and the app goes on (SQLite rolled back
 * what the call had begun; the library logged where it panicked).
 */
fun InternalException.ui(): CoreException =
    CoreException(ErrorKind.INTERNAL, "the Deko library failed: ${message ?: "no message"}", cause = this)

private fun DekoException.ui(): CoreException {
    val kind = when (this) {
        is DekoException.Database -> ErrorKind.DATABASE
        is DekoException.StorageFull -> ErrorKind.STORAGE_FULL
        is DekoException.Corrupt -> ErrorKind.CORRUPT
        is DekoException.SchemaTooNew -> ErrorKind.SCHEMA_TOO_NEW
        is DekoException.InvalidRecord -> ErrorKind.INVALID_RECORD
        is DekoException.NotAMember -> ErrorKind.NOT_A_MEMBER
        is DekoException.Revoked -> ErrorKind.REVOKED
        is DekoException.NotAdmin -> ErrorKind.NOT_ADMIN
        is DekoException.AlreadyInTeam -> ErrorKind.ALREADY_IN_TEAM
        is DekoException.NotFound -> ErrorKind.NOT_FOUND
        is DekoException.ConflictNeedsResolution -> ErrorKind.CONFLICT_NEEDS_RESOLUTION
        is DekoException.InvalidPhoneNumber -> ErrorKind.INVALID_PHONE_NUMBER
        is DekoException.InvalidVcard -> ErrorKind.INVALID_VCARD
        is DekoException.BadTicket -> ErrorKind.BAD_TICKET
        is DekoException.BadInput -> ErrorKind.BAD_INPUT
        is DekoException.Protocol -> ErrorKind.PROTOCOL
        is DekoException.Unreachable -> ErrorKind.UNREACHABLE
        is DekoException.TimedOut -> ErrorKind.TIMED_OUT
        is DekoException.RefusedByPeer -> ErrorKind.REFUSED_BY_PEER
        is DekoException.RelayRefused -> ErrorKind.RELAY_REFUSED
        is DekoException.Network -> ErrorKind.NETWORK
        is DekoException.Discovery -> ErrorKind.DISCOVERY
        is DekoException.State -> ErrorKind.STATE
    }
    val reason = when (this) {
        is DekoException.RefusedByPeer -> reason
        is DekoException.RelayRefused -> reason
        else -> null
    }
    // `toString()` is the core's sentence on every kind (`detail`).
    return CoreException(kind, toString(), reason, (this as? DekoException.BadInput)?.field, this)
}
