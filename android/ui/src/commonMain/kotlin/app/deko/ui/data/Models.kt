package app.deko.ui.data

// What the screens show, in the UI's own plain types. The gateway (jvmMain,
// FfiGateway) fills them from the generated uniffi records; nothing here
// decides a CRM rule: every value comes from the core as it is.

enum class PhoneKind { MOBILE, WORK, HOME, OTHER }

/** A number: [number] is what to dial (E.164), [display] how the core shows it ("603 123 456"). */
data class PhoneNumber(val kind: PhoneKind, val number: String, val display: String = number)

data class CustomField(val name: String, val value: String)

/** A number that called or was called and belongs to nobody yet: [display] as the core groups it, how many calls, the last. */
data class UnknownNumberRow(val number: String, val display: String, val calls: Long, val last: Long)

data class PersonRow(
    val id: String,
    val name: String,
    val companyName: String?,
    val title: String?,
    val lastContact: Long?,
)

data class Person(
    val id: String,
    val name: String,
    val given: String?,
    val family: String?,
    val title: String?,
    val companyId: String?,
    val companyName: String?,
    val phones: List<PhoneNumber>,
    val emails: List<String>,
    val address: String?,
    val tags: List<String>,
    val note: String?,
    val custom: List<CustomField>,
    val conflicts: List<String>,
    val lastContact: Long?,
)

data class CompanyRow(val id: String, val name: String, val industry: String?)

data class Company(
    val id: String,
    val name: String,
    val phones: List<PhoneNumber>,
    val emails: List<String>,
    val website: String?,
    val address: String?,
    val industry: String?,
    val note: String?,
    val custom: List<CustomField>,
    val people: List<PersonRow>,
)

/** What a person form sends; null leaves a field as it is (the core's draft rule). */
data class PersonForm(
    val given: String,
    val family: String,
    val title: String,
    val companyName: String,
    val phones: List<PhoneNumber>,
    val emails: List<String>,
    val note: String,
)

data class CompanyForm(val name: String, val phones: List<PhoneNumber>, val emails: List<String>, val website: String, val industry: String)

enum class HitKind { PERSON, COMPANY, DEAL, TASK, CALL, MEETING, NOTE, OTHER }

data class Hit(val id: String, val kind: HitKind, val name: String, val snippet: String)

enum class EntryKind { CALL, MISSED, MEETING, NOTE, TASK, DEAL }

/**
 * One timeline line. [summary] is the core's one-liner (a task's or deal's title);
 * activities also carry their parts so the screen words them in its language.
 */
data class TimelineEntry(
    val id: String,
    val kind: EntryKind,
    val at: Long,
    val summary: String,
    val direction: CallDirection? = null,
    val durationS: Long? = null,
    val outcome: CallOutcome? = null,
    val place: String? = null,
    val note: String? = null,
)

enum class CallDirection { IN, OUT, MISSED }

/** Outcomes the call sheet offers; the core stores the key as text. */
enum class CallOutcome(val key: String) {
    CONNECTED("connected"), NO_ANSWER("no_answer"), LEFT_MESSAGE("left_message"), BUSY("busy"), WRONG_NUMBER("wrong_number")
}

data class CallDraft(
    val number: String,
    val start: Long,
    val durationS: Long,
    val direction: CallDirection,
    val outcome: CallOutcome?,
    val note: String?,
    /** The person to give the number to when no person has it (picked on the sheet). */
    val giveTo: String? = null,
    /** A task to follow the call up, about the person the call is with. */
    val followUp: FollowUpDraft? = null,
)

/** The sheet's "call back in N days": the task's title and when it is due (ms). */
data class FollowUpDraft(val title: String, val due: Long)

data class CallerMatch(val people: List<PersonRow>, val companies: List<CompanyRow>)

data class LoggedCall(val callId: String, val personId: String?, val personName: String?, val number: String?, val followUpId: String? = null)

data class TaskItem(
    val id: String,
    val title: String,
    val due: Long?,
    val done: Boolean,
    val personId: String?,
    val personName: String?,
)

data class TaskLists(val overdue: List<TaskItem>, val today: List<TaskItem>, val upcoming: List<TaskItem>)

data class MoneyValue(val minor: Long, val currency: String)

data class DealItem(
    val id: String,
    val title: String,
    val value: MoneyValue?,
    val stageId: String?,
    val companyName: String?,
    val expectedClose: Long?,
)

enum class StageKind { OPEN, WON, LOST }

data class StageColumn(
    val id: String,
    val name: String,
    val kind: StageKind,
    val count: Long,
    val totals: List<MoneyValue>,
    val deals: List<DealItem>,
)

/** One value of a conflicting field, as text to show and the core's value to write back. */
data class ConflictChoice(val text: String, val token: Any, val author: String, val writtenAt: Long)

data class ConflictItem(
    val entityId: String,
    val kind: String,
    val entityName: String,
    val field: String,
    val choices: List<ConflictChoice>,
)

data class DeviceItem(
    val device: String,
    val fingerprint: String,
    val personName: String,
    val admin: Boolean,
    val revoked: Boolean,
    val thisDevice: Boolean,
)

enum class Via { DIRECT, RELAY }

data class PeerStatus(
    val fingerprint: String,
    val personName: String?,
    val at: Long,
    val via: Via?,
    val address: String?,
    val received: Long,
    val sent: Long,
    val refused: Long,
    val refusals: List<String>,
    /** Why the last session failed, or null. */
    val error: Problem?,
)

/**
 * How far a sync or a join is: records [received] of [toReceive]; or, with [views], the lists
 * and search catching up with what a large transfer brought (a first sync spends about half
 * its time there): [received] of [toReceive] items ready.
 */
data class SyncProgress(val peer: String?, val received: Long, val toReceive: Long, val views: Boolean = false)

data class TeamSummary(val id: String, val name: String)

data class Invite(val ticket: String, val qr: List<BooleanArray>)

data class Relay(val address: String, val token: String?)
