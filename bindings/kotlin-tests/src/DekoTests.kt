// Tests of the generated Kotlin bindings against the real library: real
// SQLite files in a temporary directory, real QUIC on loopback.
package app.deko.tests

import app.deko.core.*
import app.deko.ffi.*
import java.io.File
import java.nio.file.Files
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicReference
import kotlinx.coroutines.runBlocking

val TESTS: List<Pair<String, () -> Unit>> = listOf(
    "open_log_call_and_find_by_number" to ::openLogCallAndFindByNumber,
    "search_with_and_without_diacritics" to ::searchWithAndWithoutDiacritics,
    "tasks_deals_custom_fields_and_trash" to ::tasksDealsCustomFieldsAndTrash,
    "import_and_export" to ::importAndExport,
    "errors_arrive_as_exceptions_with_the_core_message" to ::errorsArriveAsExceptions,
    "error_kinds_of_real_failures_can_be_told_apart" to ::errorKindsOfRealFailures,
    "two_instances_sync_over_quic_with_a_ticket" to ::twoInstancesSyncWithTicket,
    "conflict_made_by_two_databases_is_listed_and_resolved" to ::conflictFromTwoDatabases,
    "sync_events_reach_the_listener" to ::syncEventsReachTheListener,
    "sync_with_every_known_peer_reports_each_peer" to ::syncWithEveryKnownPeer,
    "a_record_damaged_on_disk_is_refused_and_on_done_says_why" to ::damagedRecordIsRefused,
    "platform_discovery_feeds_peers_to_auto_sync" to ::platformDiscoveryFeedsAutoSync,
    "log_lines_reach_the_log_sink" to ::logLinesReachTheSink,
    "many_calls_from_several_threads" to ::manyCallsFromSeveralThreads,
    "sync_stops_and_starts_again" to ::syncStopsAndStartsAgain,
    "throwing_app_callbacks_break_no_sync" to ::throwingAppCallbacksBreakNoSync,
)

private val LOOPBACK = SyncSettings(listen = "127.0.0.1:0")

private fun tempDir(): File = Files.createTempDirectory("deko-kt").toFile().also { it.deleteOnExit() }

private fun <T> withDir(block: (File) -> T): T {
    val dir = tempDir()
    try {
        return block(dir)
    } finally {
        dir.deleteRecursively()
    }
}

private fun now(): Long = System.currentTimeMillis()

/** A founded database with sync running on loopback; returns it and its address. */
private fun founder(dir: File, name: String = "a.db"): Pair<Database, String> {
    val db = Database.open(File(dir, name).path, "CZ")
    db.createTeam("Acme s.r.o.", "Alena")
    val addr = runBlocking { db.startSync(LOOPBACK) }
    return db to addr
}

/** A second database joined to [founderDb]'s team with an invite ticket. */
private fun joiner(dir: File, founderDb: Database, addr: String, name: String = "b.db"): Pair<Database, SyncStats> {
    val ticket = founderDb.ticket(listOf(addr), InviteOptions(Role.MEMBER, 600uL))
    val db = Database.open(File(dir, name).path, null)
    val stats = runBlocking { db.join(ticket, "Bohdan", LOOPBACK) }
    return db to stats
}

private fun stop(vararg dbs: Database) = runBlocking {
    for (db in dbs) {
        db.stopSync()
        db.close()
    }
}

/** Polls [condition] every 50 ms; fails after [seconds] (a bound, not a timing assertion). */
private fun waitFor(what: String, seconds: Int = 30, condition: () -> Boolean) {
    val deadline = System.nanoTime() + seconds * 1_000_000_000L
    while (!condition()) {
        check(System.nanoTime() < deadline) { "gave up waiting for $what" }
        Thread.sleep(50)
    }
}

fun openLogCallAndFindByNumber() = withDir { dir ->
    val db = Database.open(File(dir, "crm.db").path, "CZ")
    db.createTeam("Acme s.r.o.", "Alena")
    checkEq("CZ", db.region(), "region")
    val jana = db.createPerson(
        PersonDraft(given = "Jana", family = "Nováková", phones = listOf(Phone(PhoneLabel.MOBILE, "603 123 456")))
    )
    val logged = db.logCall(CallInput("+420 603 123 456", now() - 120_000, 120L, Direction.OUT, "Pošlu nabídku", null))
    checkEq(jana, logged.person?.id, "the call's person")
    val kind = logged.call.kind
    check(kind is ActivityKind.Call && kind.number == "+420603123456") { "the call's number: $kind" }
    checkEq(logged.call.id, logged.recent.firstOrNull()?.id, "the call first in the recent interactions")

    // Found by number in other written forms, and in the recent calls.
    val found = db.lookupNumber("00420603123456")
    checkEq(listOf(jana), found.people.map { it.id }, "people with the number")
    checkEq(listOf(logged.call.id), db.recentCalls(0u, 10u).map { it.id }, "recent calls")
    checkEq(logged.call.id, db.timeline(jana, 0u, 10u).first().id, "timeline head")

    // An unknown number is kept as such, then attached.
    db.logCall(CallInput("+420 777 888 999", now(), 30L, Direction.IN, null, null))
    checkEq(listOf("+420777888999"), db.unknownNumbers(0u, 10u).map { it.number }, "unknown numbers")
    checkEq(1uL, db.attachNumber("777 888 999", jana, "work"), "calls attached")
    checkEq(2uL, db.stats().calls, "calls stored")
    db.close()

    // The file keeps it all.
    val again = Database.open(File(dir, "crm.db").path, null)
    checkEq("Jana Nováková", again.lookupNumber("+420777888999").people.single().displayName, "after reopening")
    again.close()
}

fun searchWithAndWithoutDiacritics() = withDir { dir ->
    val db = Database.open(File(dir, "crm.db").path, null)
    db.createTeam("Acme", "Alena")
    val company = db.createCompany(CompanyDraft(name = "Strojírny Žďár"))
    val jiri = db.createPerson(PersonDraft(given = "Jiří", family = "Dvořák", company = company))
    db.createPerson(PersonDraft(given = "Jan", family = "Novák"))
    for (q in listOf("dvorak", "Dvořák", "DVORÁK", "jir", "jiri dvo", "zdar")) {
        val hits = db.search(q, 0u, 10u)
        check(hits.any { it.id == jiri }) { "search \"$q\" finds Jiří Dvořák: $hits" }
    }
    checkEq(emptyList<String>(), db.search("dvoraková", 0u, 10u).map { it.id }, "no false match")
    val first = db.search("novak", 0u, 10u).first()
    checkEq("person", first.kind, "hit kind")
    checkEq("Jan Novák", first.name, "hit name")
    db.close()
}

fun importAndExport() = withDir { dir ->
    val db = Database.open(File(dir, "crm.db").path, null)
    db.createTeam("Acme", "Alena")
    val vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eva Malá\r\nN:Malá;Eva;;;\r\nTEL;TYPE=CELL:+420 604 111 222\r\nEMAIL:eva@example.cz\r\nEND:VCARD\r\n"
    val report = runBlocking { db.importVcard("contacts.vcf", vcard.toByteArray()) }
    checkEq(1, report.created.size, "people imported")
    checkEq("Eva Malá", db.lookupNumber("604111222").people.single().displayName, "imported person by number")
    val again = runBlocking { db.importVcard("contacts.vcf", vcard.toByteArray()) }
    checkEq(1, again.duplicates.size, "the same card again is a duplicate")
    val json = runBlocking { db.exportJson() }
    check(json.contains("eva@example.cz")) { "JSON export holds the email" }
    check(runBlocking { db.exportVcard() }.contains("Malá")) { "vCard export holds the name" }
    check(runBlocking { db.exportPeopleCsv() }.contains("+420604111222")) { "CSV export holds the number" }
    val bad = expectThrows<DekoException.InvalidVcard>("a broken vCard") {
        runBlocking { db.importVcard("broken.vcf", "BEGIN:VCARD\r\nFN:x\r\n".toByteArray()) }
    }
    check(bad.detail.startsWith("broken.vcf")) { "the message names the file: ${bad.detail}" }
    checkEq(1uL, db.stats().people, "nothing of the broken file stored")
    db.close()
}

fun errorsArriveAsExceptions() = withDir { dir ->
    val db = Database.open(File(dir, "crm.db").path, null)
    // Writing before a team exists.
    val notMember = expectThrows<DekoException.NotAMember>("a write without a team") {
        db.createPerson(PersonDraft(given = "X"))
    }
    checkEq("this device is not an admitted member of the team yet", notMember.detail, "not-a-member message")
    checkEq(notMember.detail, notMember.toString(), "toString is the core's sentence")
    db.createTeam("Acme", "Alena")

    // An unknown id and a malformed one.
    val unknown = "0190c7d2-0000-7000-8000-000000000000"
    val notFound = expectThrows<DekoException.NotFound>("an unknown id") {
        db.updatePerson(unknown, PersonDraft(given = "X"))
    }
    checkEq("no person with id $unknown", notFound.detail, "not-found message")
    val malformed = expectThrows<DekoException.BadInput>("a malformed id") { db.person("nope") }
    checkEq("invalid input: \"nope\" is not an id", malformed.detail, "malformed-id message")
    checkEq("id", malformed.field, "the bad input")

    // A phone number that is none: nothing stored.
    val phone = expectThrows<DekoException.InvalidPhoneNumber>("a bad number") {
        db.logCall(CallInput("hello", now(), 10L, Direction.IN, null, null))
    }
    check(phone.detail.startsWith("cannot read phone number \"hello\"")) { "phone message: ${phone.detail}" }
    checkEq(0uL, db.stats().calls, "no call stored")

    // A bad ticket, in both async calls; the database stays usable.
    val other = Database.open(File(dir, "other.db").path, null)
    val bad = expectThrows<DekoException.BadTicket>("joining with a bad ticket") {
        runBlocking { other.join("DEKO:NOTATICKET", "Bohdan", LOOPBACK) }
    }
    check(bad.detail.startsWith("invalid ticket: ")) { "ticket message: ${bad.detail}" }
    checkEq(null, other.team(), "no team after a failed join")
    val state = expectThrows<DekoException.State>("a ticket before sync runs") { other.ticket(emptyList(), null) }
    check(state.detail.contains("sync is not running")) { "state message: ${state.detail}" }
    runBlocking { db.startSync(LOOPBACK) }
    expectThrows<DekoException.BadTicket>("syncing with a bad ticket") {
        runBlocking { db.syncWithTicket("DEKO:AAAA") }
    }
    val badListen = expectThrows<DekoException.BadInput>("a bad address") {
        runBlocking { other.startSync(SyncSettings("localhost")) }
    }
    checkEq("listen", badListen.field, "the bad input")
    val badRelay = expectThrows<DekoException.BadInput>("a bad relay address") {
        runBlocking { db.setRelay(RelaySettings("localhost", null)) }
    }
    check(badRelay.detail.contains("not a relay address")) { "relay message: ${badRelay.detail}" }
    checkEq("relay", badRelay.field, "the bad input")
    val badToken = expectThrows<DekoException.BadInput>("a bad relay token") {
        runBlocking { db.setRelay(RelaySettings("localhost:9", "not base32!")) }
    }
    checkEq("relay_token", badToken.field, "the bad input")
    checkEq(null, db.relay(), "no relay after refused settings")
    runBlocking { db.setRelay(RelaySettings("localhost:9", "MFRGG")) }
    checkEq(RelaySettings("localhost:9", "mfrgg"), db.relay(), "the relay as set, token in its canonical form")
    runBlocking { db.setRelay(null) }
    checkEq(null, db.relay(), "relay removed")
    db.createPerson(PersonDraft(given = "Still", family = "Usable"))
    checkEq(1uL, db.stats().people, "the database works after the errors")
    stop(db, other)
}

/** What a failure is, as an app branches on it. */
private fun kindOf(e: DekoException): String = when (e) {
    is DekoException.NotFound -> "not found"
    is DekoException.BadTicket -> "bad ticket"
    is DekoException.Unreachable -> "unreachable"
    is DekoException.TimedOut -> "timed out"
    is DekoException.Revoked -> "revoked"
    is DekoException.NotAMember -> "not a member"
    is DekoException.RefusedByPeer -> "refused by peer: ${e.reason}"
    is DekoException.RelayRefused -> "refused by relay: ${e.reason}"
    is DekoException.BadInput -> "bad input: ${e.field}"
    else -> "other: ${e::class.simpleName}: $e"
}

private fun failure(block: () -> Unit): DekoException {
    try {
        block()
    } catch (e: DekoException) {
        return e
    }
    throw Failed("expected a DekoException, nothing was thrown")
}

fun errorKindsOfRealFailures() = withDir { dir ->
    val (a, addr) = founder(dir)
    val (b, _) = joiner(dir, a, addr)
    // A loopback port nobody listens on.
    val dead = java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()).use { "127.0.0.1:${it.localPort}" }
    val unknown = "0190c7d2-0000-7000-8000-000000000000"
    val unreachable = failure { runBlocking { a.syncWithPeer(b.deviceId(), dead) } }
    val badTicket = failure { runBlocking { a.syncWithTicket("DEKO:AAAA") } }
    val notFound = failure { a.updatePerson(unknown, PersonDraft(given = "X")) }
    val badInput = failure { a.person("nope") }
    // B is revoked on A's database; B syncs, learns of it, and can no longer write.
    a.revoke(b.deviceId())
    runBlocking { b.syncWithTicket(a.ticket(listOf(addr), null)) }
    val revoked = failure { b.createPerson(PersonDraft(given = "After", family = "Revocation")) }
    checkEq(
        listOf("unreachable", "bad ticket", "not found", "bad input: id", "revoked"),
        listOf(unreachable, badTicket, notFound, badInput, revoked).map(::kindOf),
        "each failure's kind",
    )
    // Any DekoException says the core's sentence as toString().
    check(unreachable.toString().contains("did not answer")) { "unreachable: $unreachable" }
    check(badTicket.toString().startsWith("invalid ticket: ")) { "bad ticket: $badTicket" }
    checkEq("no person with id $unknown", notFound.toString(), "not found")
    check(revoked.toString().contains("revoked")) { "revoked: $revoked" }
    checkEq((revoked as DekoException.Revoked).detail, revoked.toString(), "the variant's detail")
    checkEq(0uL, a.stats().people, "nothing written by the revoked device reached the founder")
    stop(a, b)
}

fun twoInstancesSyncWithTicket() = withDir { dir ->
    val (a, addr) = founder(dir)
    val person = a.createPerson(PersonDraft(given = "Petr", family = "Černý", phones = listOf(Phone(PhoneLabel.WORK, "+420 222 333 444"))))
    val (b, joined) = joiner(dir, a, addr)
    check(joined.received > 0uL) { "the joiner received records: $joined" }
    checkEq("Petr Černý", b.person(person)?.displayName, "the person on the joiner")
    checkEq(a.team(), b.team(), "same team")
    checkEq(setOf("Alena", "Bohdan"), a.devices().map { it.personName }.toSet(), "roster on the founder")
    checkEq(a.stateDigest(), b.stateDigest(), "digests after joining")

    // The joiner writes; a plain ticket of the founder syncs it back.
    val call = b.logCall(CallInput("222 333 444", now(), 60L, Direction.OUT, "z terénu", null))
    checkEq(person, call.person?.id, "the joiner matches the number")
    val ticket = a.ticket(listOf(addr), null)
    val stats = runBlocking { b.syncWithTicket(ticket) }
    check(stats.sent > 0uL) { "the joiner sent records: $stats" }
    checkEq(call.call.id, a.recentCalls(0u, 5u).firstOrNull()?.id, "the call on the founder")
    checkEq(a.stateDigest(), b.stateDigest(), "digests after syncing")

    // A known peer by device id and address.
    a.updatePerson(person, PersonDraft(title = "Nákupčí"))
    val bDevice = b.deviceId()
    runBlocking { a.syncWithPeer(bDevice, b.localAddr()) }
    checkEq("Nákupčí", b.person(person)?.title, "pushed to the known peer")
    stop(a, b)
}

fun conflictFromTwoDatabases() = withDir { dir ->
    val (a, addr) = founder(dir)
    val person = a.createPerson(PersonDraft(given = "Petr", family = "Černý", title = "Sales"))
    val (b, _) = joiner(dir, a, addr)
    // Concurrent edits of one field, each on its own database.
    a.updatePerson(person, PersonDraft(title = "CEO"))
    b.updatePerson(person, PersonDraft(title = "CTO"))
    runBlocking { b.syncWithTicket(a.ticket(listOf(addr), null)) }
    for ((name, db) in listOf("founder" to a, "joiner" to b)) {
        val conflicts = db.conflicts()
        checkEq(1, conflicts.size, "conflicts on the $name")
        val c = conflicts.single()
        checkEq(person, c.entity, "conflicted entity on the $name")
        checkEq("title", c.field, "conflicted field on the $name")
        checkEq(
            setOf("CEO", "CTO"),
            c.values.map { (it.value as FieldValue.Text).value }.toSet(),
            "conflicting values on the $name",
        )
        checkEq(listOf("title"), db.person(person)?.conflicts, "person's conflicted fields on the $name")
    }
    b.resolve(person, "title", FieldValue.Text("CEO"))
    runBlocking { b.syncWithTicket(a.ticket(listOf(addr), null)) }
    checkEq(0, a.conflicts().size, "resolved on the founder")
    checkEq("CEO", a.person(person)?.title, "the chosen value")
    stop(a, b)
}

private class Recorder : SyncListener {
    val events = ConcurrentLinkedQueue<String>()
    val done = ConcurrentLinkedQueue<SyncStats>()
    val errors = ConcurrentLinkedQueue<String>()
    val kinds = ConcurrentLinkedQueue<ErrorKind>()
    val vias = ConcurrentLinkedQueue<SyncVia>()
    val views = ConcurrentLinkedQueue<Pair<ULong, ULong>>()
    override fun onStarted(peer: String, via: SyncVia, initiator: Boolean) {
        vias.add(via)
        events.add(if (initiator) "started-out" else "started-in")
    }
    override fun onProgress(peer: String, stats: SyncStats) {
        events.add("progress")
    }
    override fun onDone(peer: String, stats: SyncStats) {
        events.add("done")
        done.add(stats)
    }
    override fun onViews(done: ULong, total: ULong) {
        events.add("views")
        views.add(done to total)
    }
    override fun onError(peer: String?, message: String, kind: ErrorKind, reason: String?) {
        events.add("error")
        errors.add(message)
        kinds.add(kind)
    }
}

fun syncEventsReachTheListener() = withDir { dir ->
    val (a, addr) = founder(dir)
    val aEvents = Recorder()
    a.addSyncListener(aEvents)
    repeat(20) { a.createPerson(PersonDraft(given = "P$it")) }
    // Enough for a batch whose views wait for the session's end (a first sync).
    val cards = (0 until 400).joinToString("") { "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Jana $it\r\nN:Nováková;Jana $it;;;\r\nEND:VCARD\r\n" }
    runBlocking { a.importVcard("team.vcf", cards.toByteArray()) }
    val ticket = a.ticket(listOf(addr), InviteOptions(Role.MEMBER, 600uL))
    val b = Database.open(File(dir, "b.db").path, null)
    val bEvents = Recorder()
    b.addSyncListener(bEvents)
    val stats = runBlocking { b.join(ticket, "Bohdan", LOOPBACK) }
    // The joiner's own session is reported (listener registered before sync ran).
    checkEq("started-out", bEvents.events.firstOrNull(), "first event on the joiner")
    checkEq(stats, bEvents.done.single(), "done event carries the session's counters")
    waitFor("the founder's done event") { aEvents.done.isNotEmpty() }
    checkEq("started-in", aEvents.events.first(), "first event on the founder")
    checkEq(stats.received, aEvents.done.single().sent, "founder sent what the joiner received")
    checkEq(listOf(SyncVia.DIRECT), bEvents.vias.toList(), "the joiner reached the founder directly")
    // Then the lists and search catch up, counted until done, before join returned.
    val views = bEvents.views.toList()
    check(views.size >= 2) { "views events: $views" }
    checkEq(0uL, views.first().first, "the catch-up's first count")
    checkEq(views.last().second, views.last().first, "the last count is the whole")
    check(views.last().second >= 420uL) { "every entity caught up: $views" }
    checkEq("done", bEvents.events.first { it == "done" || it == "views" }, "the session's end comes first")

    // A refused session reports an error with the core's message.
    val c = Database.open(File(dir, "c.db").path, null)
    c.createTeam("Other team", "Cyril")
    val cAddr = runBlocking { c.startSync(LOOPBACK) }
    c.ticket(listOf(cAddr), InviteOptions(Role.MEMBER, 600uL)) // an open invite lets strangers reach the preamble
    val refused = expectThrows<DekoException>("syncing with another team's device") {
        runBlocking { a.syncWithPeer(c.deviceId(), cAddr) }
    }
    waitFor("the error event") { aEvents.errors.isNotEmpty() }
    checkEq(refused.toString(), aEvents.errors.last(), "the error event carries the exception's message")
    checkEq(
        refused::class.simpleName!!.uppercase(),
        aEvents.kinds.last().name.replace("_", ""),
        "and the exception's kind",
    )
    stop(a, b, c)
}

fun syncWithEveryKnownPeer() = withDir { dir ->
    val (a, addr) = founder(dir)
    val (b, _) = joiner(dir, a, addr)
    val person = b.createPerson(PersonDraft(given = "Every", family = "Peer"))
    // The joiner knows the founder from its ticket.
    val report = runBlocking { b.sync(SyncTarget.AllKnown) }
    val session = report.sessions.single()
    checkEq(a.deviceId(), session.device, "the peer the joiner knows")
    checkEq(addr, session.addr, "reached at the ticket's address")
    checkEq(SyncVia.DIRECT, session.via, "directly")
    checkEq(null, session.error, "no error")
    checkEq(1uL, session.stats?.sent, "the person went over")
    checkEq("Every Peer", a.person(person)?.displayName, "the person on the founder")
    // The founder never reached the joiner: no known peer, no address.
    val none = expectThrows<DekoException.Unreachable>("every known peer, none known") {
        runBlocking { a.sync(SyncTarget.AllKnown) }
    }
    check(none.detail.contains("no known peers")) { "message: ${none.detail}" }
    expectThrows<DekoException.Unreachable>("a device with no address") {
        runBlocking { a.sync(SyncTarget.Device(b.deviceId())) }
    }
    // By its address, the founder finds the joiner; then it knows it.
    val byAddr = runBlocking { a.sync(SyncTarget.Address(b.localAddr(), null)) }
    checkEq(b.deviceId(), byAddr.sessions.last().device, "found by its key")
    val again = runBlocking { a.sync(SyncTarget.Device(b.deviceId())) }
    checkEq(null, again.sessions.single().error, "the remembered address")
    stop(a, b)
}

fun damagedRecordIsRefused() = withDir { dir ->
    val (a, addr) = founder(dir)
    val (b, _) = joiner(dir, a, addr)
    val bEvents = Recorder()
    b.addSyncListener(bEvents)
    a.createPerson(PersonDraft(given = "Quentin", family = "Tamperwitness"))
    // The founder's newest record is damaged on its disk (one letter of the
    // name, wherever it is stored): its signature no longer matches.
    runBlocking { a.stopSync() }
    a.close()
    val file = File(dir, "a.db")
    waitFor("the founder's database closed") { !File(dir, "a.db-wal").exists() }
    val bytes = file.readBytes()
    val needle = "Tamperwitness".toByteArray()
    var hits = 0
    for (i in 0..bytes.size - needle.size) {
        if ((needle.indices).all { bytes[i + it] == needle[it] }) {
            bytes[i + needle.size - 1] = 'z'.code.toByte()
            hits++
        }
    }
    check(hits > 0) { "the name is in the file" }
    file.writeBytes(bytes)
    val damaged = Database.open(file.path, null)
    val again = runBlocking { damaged.startSync(LOOPBACK) }

    val stats = runBlocking { b.syncWithTicket(damaged.ticket(listOf(again), null)) }
    checkEq(1uL, stats.refused, "one record refused")
    val refusal = stats.refusals.single()
    checkEq(RefusalReason.BAD_SIGNATURE, refusal.reason, "why")
    checkEq(damaged.deviceId(), refusal.author, "whose")
    check(refusal.detail.contains("bad signature")) { "detail: ${refusal.detail}" }
    checkEq(listOf(RefusalCount(RefusalReason.BAD_SIGNATURE, 1uL)), stats.refusedByReason, "counted by reason")
    checkEq(stats, bEvents.done.last(), "onDone carries the refusal")
    checkEq(0uL, b.stats().people, "nothing of it stored")
    stop(damaged, b)
}

/** An in-process stand-in for the platform's service discovery (NsdManager, NWBrowser). */
private class LoopbackPlatform(val registry: ConcurrentHashMap<String, String>) : DiscoveryPlatform {
    val mine = AtomicReference<String?>(null)
    override fun announce(instance: String, port: UShort) {
        mine.getAndSet(instance)?.let { registry.remove(it) }
        registry[instance] = "127.0.0.1:$port"
    }
    override fun seen(): List<SeenService> = registry.map { SeenService(it.key, listOf(it.value)) }
    override fun shutdown() {
        mine.getAndSet(null)?.let { registry.remove(it) }
    }
}

fun platformDiscoveryFeedsAutoSync() = withDir { dir ->
    val (a, addr) = founder(dir)
    val (b, _) = joiner(dir, a, addr)
    val registry = ConcurrentHashMap<String, String>()
    registry["stranger0000000000aa"] = "127.0.0.1:9" // someone else's service: ignored
    a.startDiscovery(LoopbackPlatform(registry), 100uL)
    b.startDiscovery(LoopbackPlatform(registry), 100uL)
    b.setAutoSync(true)
    waitFor("both devices announced") { registry.size == 3 }
    checkEq(20, registry.keys.first { it != "stranger0000000000aa" }.length, "instance names are opaque tags")
    waitFor("the founder seen by the joiner") { b.nearbyPeers().isNotEmpty() }
    val peer = b.nearbyPeers().single()
    checkEq(a.deviceId(), peer.device, "the nearby peer is the founder")
    checkEq(listOf(a.localAddr()), peer.addrs, "its address")
    val person = a.createPerson(PersonDraft(given = "Found", family = "Nearby"))
    waitFor("auto-sync brought the person") { b.person(person) != null }
    b.stopDiscovery()
    a.stopDiscovery()
    waitFor("announcements withdrawn when discovery stops") { registry.size == 1 }
    stop(a, b)
}

/** An app's listener with a bug: every event throws. */
private class ThrowingListener : SyncListener {
    val calls = java.util.concurrent.atomic.AtomicInteger()
    private fun fail(): Nothing {
        calls.incrementAndGet()
        throw IllegalStateException("the app's listener is broken")
    }
    override fun onStarted(peer: String, via: SyncVia, initiator: Boolean) = fail()
    override fun onProgress(peer: String, stats: SyncStats) = fail()
    override fun onDone(peer: String, stats: SyncStats) = fail()
    override fun onViews(done: ULong, total: ULong) = fail()
    override fun onError(peer: String?, message: String, kind: ErrorKind, reason: String?) = fail()
}

/** An app's discovery with a bug: announcing and listing throw. */
private class ThrowingPlatform : DiscoveryPlatform {
    val calls = java.util.concurrent.atomic.AtomicInteger()
    override fun announce(instance: String, port: UShort) {
        calls.incrementAndGet()
        throw IllegalStateException("the app's discovery is broken")
    }
    override fun seen(): List<SeenService> {
        calls.incrementAndGet()
        throw IllegalStateException("the app's discovery is broken")
    }
    override fun shutdown() = throw IllegalStateException("the app's discovery is broken")
}

/**
 * What the app's own callbacks throw fails neither a join, nor a sync, nor
 * discovery's loop: the events are lost, the records still move.
 */
fun throwingAppCallbacksBreakNoSync() = withDir { dir ->
    val (a, addr) = founder(dir)
    val aListener = ThrowingListener()
    a.addSyncListener(aListener)
    a.createPerson(PersonDraft(given = "Before", family = "Join"))
    val ticket = a.ticket(listOf(addr), InviteOptions(Role.MEMBER, 600uL))
    val b = Database.open(File(dir, "b.db").path, null)
    val bListener = ThrowingListener()
    b.addSyncListener(bListener)
    val joined = runBlocking { b.join(ticket, "Bohdan", LOOPBACK) }
    check(joined.received > 0uL) { "the join moved records: $joined" }
    check(bListener.calls.get() > 0) { "the joiner's listener was called" }
    val person = a.createPerson(PersonDraft(given = "After", family = "Join"))
    val synced = runBlocking { b.syncWithPeer(a.deviceId(), addr) }
    check(synced.received > 0uL) { "the sync moved records: $synced" }
    check(b.person(person) != null) { "the new person arrived" }
    waitFor("the founder's listener was called") { aListener.calls.get() > 0 }

    val platform = ThrowingPlatform()
    b.startDiscovery(platform, 100uL)
    waitFor("discovery asked the platform again and again") { platform.calls.get() >= 4 }
    b.stopDiscovery()
    // Sync still runs after all that.
    val last = a.createPerson(PersonDraft(given = "Last", family = "One"))
    runBlocking { b.syncWithPeer(a.deviceId(), addr) }
    check(b.person(last) != null) { "the last person arrived" }
    stop(a, b)
}

private class Lines : LogSink {
    val lines = ConcurrentLinkedQueue<String>()
    override fun log(level: LogLevel, target: String, message: String) {
        lines.add("$level $target $message")
    }
}

fun logLinesReachTheSink() = withDir { dir ->
    val sink = Lines()
    setLogSink(sink, LogLevel.INFO)
    val db = Database.open(File(dir, "crm.db").path, null)
    db.createTeam("Logged Team", "Alena")
    check(sink.lines.any { it.startsWith("INFO deko_core") && it.contains("founded team") && it.contains("Logged Team") }) {
        "the founding was logged: ${sink.lines}"
    }
    db.close()
}

fun manyCallsFromSeveralThreads() = withDir { dir ->
    val (db, _) = founder(dir) // sync running: calls go through the node
    val threads = 8
    val each = 25
    val start = CountDownLatch(1)
    val failures = ConcurrentLinkedQueue<Throwable>()
    val workers = (0 until threads).map { t ->
        Thread {
            start.await()
            try {
                repeat(each) { i ->
                    val n = "${t}x${i}z" // unique, and no prefix of another
                    val number = "+420 777 %03d %03d".format(t, i)
                    val id = db.createPerson(PersonDraft(given = "Worker$t", family = "Číslo$n", phones = listOf(Phone(PhoneLabel.MOBILE, number))))
                    val logged = db.logCall(CallInput(number, now(), 10L, Direction.IN, null, null))
                    check(logged.person?.id == id) { "thread $t call $i matched ${logged.person?.id}, not $id" }
                    check(db.search("cislo$n", 0u, 5u).any { it.id == id }) { "thread $t finds its person $n" }
                    if (i % 10 == 0) runBlocking { db.exportJson() }
                }
            } catch (e: Throwable) {
                failures.add(e)
            }
        }.also { it.start() }
    }
    start.countDown()
    workers.forEach { it.join() }
    check(failures.isEmpty()) { "failures: ${failures.map { it.message }}" }
    val stats = db.stats()
    checkEq((threads * each).toULong(), stats.people, "people written")
    checkEq((threads * each).toULong(), stats.calls, "calls written")
    stop(db)
}

fun tasksDealsCustomFieldsAndTrash() = withDir { dir ->
    val db = Database.open(File(dir, "crm.db").path, null)
    db.createTeam("Acme", "Alena")
    val acme = db.createCompany(CompanyDraft(name = "Acme Brno", website = "acme.cz"))
    val petr = db.createPerson(PersonDraft(given = "Petr", family = "Malý", company = acme))
    checkEq(listOf(petr), db.companyPeople(acme).map { it.id }, "people of the company")

    // Custom field: defined by the admin, written and read typed.
    val size = db.defineField("Shoe size", "person", FieldType.NUMBER, emptyList())
    db.updatePerson(petr, PersonDraft(custom = listOf(CustomInput(size, FieldValue.Int(44)))))
    val custom = db.person(petr)!!.custom.single()
    checkEq("Shoe size", custom.field.name, "custom field name")
    checkEq<FieldValue>(FieldValue.Int(44), custom.value, "custom field value")
    expectThrows<DekoException.BadInput>("a text in a number field") {
        db.updatePerson(petr, PersonDraft(custom = listOf(CustomInput(size, FieldValue.Text("big")))))
    }
    db.renameField(size, "Size")
    checkEq(listOf("Size"), db.fieldDefs("person").map { it.name }, "renamed field")

    // Deals through the pipeline, with totals per currency.
    val stages = db.stages()
    checkEq("Lead", stages.first().name, "first default stage")
    val deal = db.createDeal(DealDraft(title = "Lis 200 t", company = acme, contact = petr, value = Money(1_250_000_00, "CZK")))
    checkEq(stages.first().id, db.deal(deal)?.stage, "a new deal starts in the first stage")
    val won = stages.first { it.outcome == StageOutcome.WON }
    db.updateDeal(deal, DealDraft(stage = won.id))
    val column = db.pipeline().first { it.stage.id == won.id }
    checkEq(listOf(CurrencyTotal("CZK", 1_250_000_00)), column.totals, "won column total")
    db.updateDeal(deal, DealDraft(clearValue = true))
    checkEq(null, db.deal(deal)?.value, "value cleared")

    // Tasks: due today, done, unlinked.
    val noon = 1_767_268_800_000L // 2026-01-01 12:00 UTC
    val task = db.createTask(TaskDraft(title = "Zavolat Petrovi", due = noon, person = petr))
    checkEq(listOf(task), db.tasks(TaskFilter.DUE_TODAY, noon, 60).map { it.id }, "due today")
    db.updateTask(task, TaskDraft(person = "", clearDue = true))
    checkEq(null, db.task(task)?.person, "task unlinked")
    checkEq(null, db.task(task)?.due, "due cleared")
    db.setTaskDone(task, true)
    checkEq(emptyList<String>(), db.tasks(TaskFilter.OPEN, noon, 60).map { it.id }, "no open task")

    // Meetings and notes on the timeline; delete and restore.
    db.logMeeting(MeetingInput(start = noon, end = noon + 3_600_000, place = "Brno", attendees = listOf(petr)))
    db.addNote(NoteInput(at = noon + 1, text = "Chce slevu", people = listOf(petr)))
    val activities = db.timeline(petr, 0u, 10u).map { it.kind }.filter { it == TimelineKind.NOTE || it == TimelineKind.MEETING }
    checkEq(listOf(TimelineKind.NOTE, TimelineKind.MEETING), activities, "timeline: the note after the meeting, newest first")
    check(TimelineKind.DEAL in db.timeline(petr, 0u, 10u).map { it.kind }) { "the deal on the contact's timeline" }
    db.delete(petr)
    checkEq(listOf(petr), db.trash("person").map { it.id }, "in the trash")
    checkEq(true, db.person(petr)?.deleted, "flagged deleted")
    db.restore(petr)
    checkEq(emptyList<String>(), db.trash(null).map { it.id }, "trash empty again")
    checkEq("person", db.kindOf(petr), "kind")
    db.close()
}

fun syncStopsAndStartsAgain() = withDir { dir ->
    val (a, addr) = founder(dir)
    val (b, _) = joiner(dir, a, addr)
    runBlocking { a.stopSync() }
    checkEq(false, a.syncRunning(), "stopped")
    val person = a.createPerson(PersonDraft(given = "Offline", family = "Write"))
    val failed = expectThrows<DekoException>("syncing with a stopped device") {
        runBlocking { b.syncWithTicket(a.ticket(listOf(addr), null)) }
    }
    check(failed is DekoException.State) { "a stopped device has no ticket: ${failed::class.simpleName}" }
    val again = runBlocking { a.startSync(LOOPBACK) }
    expectThrows<DekoException.State>("starting twice") { runBlocking { a.startSync(LOOPBACK) } }
    runBlocking { b.syncWithTicket(a.ticket(listOf(again), null)) }
    checkEq("Offline Write", b.person(person)?.displayName, "synced after the restart")
    stop(a, b)
}
