package app.deko.ui.vm

import app.deko.ui.data.*
import app.deko.ui.format.Clock
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

data class TasksState(val lists: TaskLists? = null, val error: Problem? = null)

/** Today, overdue and upcoming, as the core files them for the local day; done in one tap. */
class TasksViewModel(private val gw: DekoGateway, private val scope: CoroutineScope, private val clock: Clock) {
    private val _state = MutableStateFlow(TasksState())
    val state: StateFlow<TasksState> = _state.asStateFlow()

    init {
        reload()
        scope.launch { gw.dataChanged.collect { reload() } }
    }

    fun reload() {
        scope.launch {
            val now = clock.now()
            try {
                val lists = gw.tasks(now, clock.utcOffsetMin(now))
                _state.update { TasksState(lists) }
            } catch (e: CoreException) {
                _state.update { it.copy(error = e.problem) }
            }
        }
    }

    fun toggle(task: TaskItem) {
        scope.launch {
            gw.setTaskDone(task.id, !task.done)
            reload()
        }
    }

    /** A new task about nobody, due in [dueDays] days from now (none when null); [onDone] gets the core's refusal, or null. */
    fun create(title: String, dueDays: Int?, onDone: (String?) -> Unit) =
        scope.createTask(gw, clock, title, dueDays, null) { refused -> if (refused == null) reload(); onDone(refused) }

    companion object {
        /** The due dates a new task offers, in days from now. */
        val DUE_CHOICES = listOf(1, 3, 7)
    }
}

/**
 * The currency a new deal starts with: the one most of the team's deals are
 * in, else the currency of the device's phone region ([currencyOf], the
 * platform's data), else euros.
 */
suspend fun defaultDealCurrency(gw: DekoGateway, currencyOf: (String) -> String?): String =
    runCatching { gw.pipeline() }.getOrDefault(emptyList()).flatMap { it.deals }.mapNotNull { it.value?.currency }
        .groupingBy { it }.eachCount().maxByOrNull { it.value }?.key
        ?: runCatching { currencyOf(gw.region()) }.getOrNull()
        ?: "EUR"

/**
 * Creates a deal in the pipeline's first stage. [value] is read by the core
 * as people write amounts ("" for none), in [currency] unless it names one;
 * the customer is [companyId] if given, else the company [company] names
 * (found or made). [onDone] gets null when saved, else the field the
 * refusal is about ("value", "currency" or "title") and the core's words.
 */
fun CoroutineScope.createDeal(
    gw: DekoGateway, title: String, value: String, currency: String, company: String, companyId: String?,
    onDone: (Pair<String, String>?) -> Unit,
) {
    launch {
        val money = try {
            value.takeIf { it.isNotBlank() }?.let { gw.parseMoney(it, currency.trim()) }
        } catch (e: CoreException) {
            return@launch onDone(dealField(e, "value") to e.detail)
        }
        try {
            gw.createDeal(title.trim(), money, company.trim().ifEmpty { null }, companyId)
            onDone(null)
        } catch (e: CoreException) {
            onDone(dealField(e, "title") to e.detail)
        }
    }
}

/** The deal form's field a refusal is about: the core's own field name for the value or the currency, else [otherwise]. */
private fun dealField(e: CoreException, otherwise: String): String =
    e.field?.takeIf { it == "value" || it == "currency" } ?: otherwise

/** Creates a task due in [dueDays] days from now (none when null), about [personId] if given; [onDone] gets the core's refusal, or null. */
fun CoroutineScope.createTask(gw: DekoGateway, clock: Clock, title: String, dueDays: Int?, personId: String?, onDone: (String?) -> Unit) {
    launch {
        try {
            gw.createTask(title.trim(), dueDays?.let { clock.now() + it * 86_400_000L }, personId)
            onDone(null)
        } catch (e: CoreException) {
            onDone(e.detail)
        }
    }
}

data class DealsState(val columns: List<StageColumn>? = null, val moving: DealItem? = null, val error: Problem? = null)

/** The pipeline by stage with totals per currency; moving a deal is one core call. */
class DealsViewModel(private val gw: DekoGateway, private val scope: CoroutineScope) {
    private val _state = MutableStateFlow(DealsState())
    val state: StateFlow<DealsState> = _state.asStateFlow()

    init {
        reload()
        scope.launch { gw.dataChanged.collect { reload() } }
    }

    fun reload() {
        scope.launch {
            val columns = gw.pipeline()
            _state.update { it.copy(columns = columns) }
        }
    }

    fun startMove(deal: DealItem?) = _state.update { it.copy(moving = deal) }

    /** A new deal in the pipeline's first stage (see [createDeal]); the pipeline reloads once it is saved. */
    fun create(title: String, value: String, currency: String, company: String, onDone: (Pair<String, String>?) -> Unit) =
        scope.createDeal(gw, title, value, currency, company, null) { refused -> if (refused == null) reload(); onDone(refused) }

    fun moveTo(stageId: String) {
        val deal = _state.value.moving ?: return
        _state.update { it.copy(moving = null) }
        scope.launch {
            try {
                gw.moveDeal(deal.id, stageId)
                reload()
            } catch (e: CoreException) {
                _state.update { it.copy(error = e.problem) }
            }
        }
    }
}

data class ConflictsState(
    val items: List<ConflictItem>? = null,
    val writing: ConflictItem? = null,
    val newValue: String = "",
    val error: Problem? = null,
)

/** Fields changed on two devices: both values side by side; pick one or write a new one. */
class ConflictsViewModel(private val gw: DekoGateway, private val scope: CoroutineScope, private val changed: () -> Unit) {
    private val _state = MutableStateFlow(ConflictsState())
    val state: StateFlow<ConflictsState> = _state.asStateFlow()

    init {
        reload()
        scope.launch { gw.dataChanged.collect { reload() } }
    }

    fun reload() {
        scope.launch {
            val items = gw.conflicts()
            _state.update { it.copy(items = items) }
        }
    }

    fun pick(item: ConflictItem, choice: ConflictChoice) = act { gw.resolve(item, choice) }

    fun startWriting(item: ConflictItem?) = _state.update { it.copy(writing = item, newValue = item?.choices?.firstOrNull()?.text.orEmpty()) }
    fun onNewValue(v: String) = _state.update { it.copy(newValue = v) }

    fun writeNew() {
        val item = _state.value.writing ?: return
        val v = _state.value.newValue
        _state.update { it.copy(writing = null) }
        act { gw.resolveWithText(item, v) }
    }

    private fun act(block: suspend () -> Unit) {
        scope.launch {
            try {
                block()
                val items = gw.conflicts()
                _state.update { it.copy(items = items, error = null) }
                changed()
            } catch (e: CoreException) {
                _state.update { it.copy(error = e.problem) }
            }
        }
    }
}

data class TeamState(
    val devices: List<DeviceItem> = emptyList(),
    val peers: Map<String, PeerStatus> = emptyMap(),
    val syncing: Boolean = false,
    val progress: SyncProgress? = null,
    val syncMessage: String? = null,
    val syncError: Problem? = null,
    val invite: Invite? = null,
    val inviteError: Problem? = null,
    val revoking: DeviceItem? = null,
    val relayAddress: String = "",
    val relayToken: String = "",
    val relaySaved: Boolean = false,
    val relayError: Problem? = null,
    val ticket: String = "",
    val error: Problem? = null,
)

/** Devices, invites, sync status per peer, relay settings and "sync now". */
class TeamViewModel(private val gw: DekoGateway, private val scope: CoroutineScope, private val doneText: () -> String) {
    private val _state = MutableStateFlow(TeamState())
    val state: StateFlow<TeamState> = _state.asStateFlow()

    init {
        scope.launch {
            try {
                val devices = gw.devices()
                _state.update { it.copy(devices = devices) }
                gw.relay()?.let { r -> _state.update { it.copy(relayAddress = r.address, relayToken = r.token.orEmpty()) } }
            } catch (e: CoreException) {
                _state.update { it.copy(error = e.problem) }
            }
        }
        scope.launch { gw.peerStatus.collect { p -> _state.update { it.copy(peers = p) } } }
        scope.launch {
            gw.dataChanged.collect {
                val devices = gw.devices()
                _state.update { it.copy(devices = devices) }
            }
        }
    }

    fun syncNow() = runSync { gw.syncNow(it) }

    fun onTicket(v: String) = _state.update { it.copy(ticket = v.trim(), syncError = null) }

    fun syncWithTicket() = runSync { gw.syncWithTicket(_state.value.ticket, it) }

    private fun runSync(block: suspend ((SyncProgress) -> Unit) -> List<PeerStatus>) {
        if (_state.value.syncing) return
        _state.update { it.copy(syncing = true, progress = SyncProgress(null, 0, 0), syncError = null, syncMessage = null) }
        scope.launch {
            try {
                val results = block { p -> _state.update { it.copy(progress = p) } }
                val failed = results.filter { it.error != null }
                val devices = gw.devices()
                _state.update { s ->
                    s.copy(
                        syncing = false, progress = null,
                        syncError = failed.firstOrNull()?.error,
                        syncMessage = if (failed.isEmpty()) doneText() else null,
                        devices = devices,
                    )
                }
            } catch (e: CoreException) {
                _state.update { it.copy(syncing = false, progress = null, syncError = e.problem) }
            }
        }
    }

    fun invite() {
        scope.launch {
            try {
                val invite = gw.invite()
                _state.update { it.copy(invite = invite, inviteError = null) }
            } catch (e: CoreException) {
                _state.update { it.copy(inviteError = e.problem) }
            }
        }
    }

    fun closeInvite() = _state.update { it.copy(invite = null) }

    fun askRevoke(d: DeviceItem?) = _state.update { it.copy(revoking = d) }

    fun confirmRevoke() {
        val d = _state.value.revoking ?: return
        _state.update { it.copy(revoking = null) }
        scope.launch {
            try {
                gw.revoke(d.device)
                val devices = gw.devices()
                _state.update { it.copy(devices = devices, error = null) }
            } catch (e: CoreException) {
                _state.update { it.copy(error = e.problem) }
            }
        }
    }

    fun onRelayAddress(v: String) = _state.update { it.copy(relayAddress = v, relayError = null, relaySaved = false) }
    fun onRelayToken(v: String) = _state.update { it.copy(relayToken = v, relayError = null, relaySaved = false) }

    fun saveRelay() {
        val s = _state.value
        scope.launch {
            try {
                gw.setRelay(if (s.relayAddress.isBlank()) null else Relay(s.relayAddress.trim(), s.relayToken.trim().ifEmpty { null }))
                _state.update { it.copy(relaySaved = true, relayError = null) }
            } catch (e: CoreException) {
                _state.update { it.copy(relayError = e.problem) }
            }
        }
    }
}

data class SettingsState(
    val yourName: String? = null,
    val region: String = "",
    val regionError: Problem? = null,
    val regionSaved: Boolean = false,
    val fingerprint: String = "",
    val version: String = "",
)

class SettingsViewModel(private val gw: DekoGateway, private val scope: CoroutineScope) {
    private val _state = MutableStateFlow(SettingsState())
    val state: StateFlow<SettingsState> = _state.asStateFlow()

    init {
        scope.launch {
            val yourName = gw.yourName()
            val region = gw.region()
            val fingerprint = gw.deviceFingerprint()
            val version = gw.libraryVersion()
            _state.update { it.copy(yourName = yourName, region = region, fingerprint = fingerprint, version = version) }
        }
    }

    fun onRegion(v: String) = _state.update { it.copy(region = v.uppercase().take(2), regionError = null, regionSaved = false) }

    fun saveRegion() {
        val r = _state.value.region
        scope.launch {
            try {
                gw.setRegion(r)
                val region = gw.region()
                _state.update { it.copy(region = region, regionSaved = true) }
            } catch (e: CoreException) {
                _state.update { it.copy(regionError = e.problem) }
            }
        }
    }
}
