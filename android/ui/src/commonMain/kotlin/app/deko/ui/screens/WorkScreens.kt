@file:OptIn(ExperimentalLayoutApi::class, ExperimentalMaterial3Api::class)

package app.deko.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.*
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.*
import androidx.compose.runtime.*
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.semantics.stateDescription
import androidx.compose.ui.unit.dp
import app.deko.ui.Platform
import app.deko.ui.WIDE
import app.deko.ui.data.*
import app.deko.ui.format.LocalFormats
import app.deko.ui.i18n.S
import app.deko.ui.i18n.explain
import app.deko.ui.i18n.t
import app.deko.ui.nav.Navigator
import app.deko.ui.nav.Route
import app.deko.ui.vm.*

@Composable
fun ScreenTitle(text: String) {
    DetailTopBar(text, nav = null)
}

/** Overdue, today and upcoming tasks; done with one tap. */
@Composable
fun TasksScreen(gw: DekoGateway, platform: Platform, nav: Navigator) {
    val scope = rememberCoroutineScope()
    val vm = remember { TasksViewModel(gw, scope, platform.clock) }
    val s by vm.state.collectAsState()
    var adding by remember { mutableStateOf(false) }
    Box(Modifier.fillMaxSize()) {
        Column(Modifier.fillMaxSize()) {
            ScreenTitle(t(S.Tasks))
            s.lists?.let { TaskListsColumn(it, vm, nav) }
        }
        ExtendedFloatingActionButton(
            onClick = { adding = true },
            modifier = Modifier.align(Alignment.BottomEnd).padding(16.dp).testTag("add-task"),
        ) { Text(t(S.NewTask)) }
    }
    if (adding) NewTaskDialog(onCreate = vm::create, onClose = { adding = false })
}

@Composable
private fun TaskListsColumn(lists: TaskLists, vm: TasksViewModel, nav: Navigator) {
    // room under the last row for the "New task" button
    LazyColumn(Modifier.fillMaxSize().testTag("tasks"), contentPadding = PaddingValues(bottom = FAB_ROOM)) {
        if (lists.overdue.isEmpty() && lists.today.isEmpty() && lists.upcoming.isEmpty()) {
            item { EmptyState(t(S.NoTasks), t(S.NoTasksHint)) }
        }
        for ((title, tasks) in listOf(S.Overdue to lists.overdue, S.Today to lists.today, S.Upcoming to lists.upcoming)) {
            if (tasks.isEmpty()) continue
            item { SectionTitle(t(title)) }
            items(tasks, key = { title.name + it.id }) { task -> TaskRow(task, overdue = title == S.Overdue, onToggle = { vm.toggle(task) }, onOpen = task.personId?.let { { nav.show(Route.PersonDetail(it)) } }) }
        }
    }
}

/**
 * What to do and when: in a day, three or a week, or no due date. [onCreate]
 * saves it (the title, the days until it is due, and what to call with the
 * core's refusal or null); the tasks screen makes tasks about nobody, a
 * person's card tasks about them.
 */
@Composable
fun NewTaskDialog(onCreate: (String, Int?, (String?) -> Unit) -> Unit, onClose: () -> Unit) {
    var title by remember { mutableStateOf("") }
    var dueDays by remember { mutableStateOf<Int?>(TasksViewModel.DUE_CHOICES.first()) }
    var error by remember { mutableStateOf<String?>(null) }
    var saving by remember { mutableStateOf(false) }
    AlertDialog(
        onDismissRequest = onClose,
        title = { Text(t(S.NewTask)) },
        text = {
            Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                Field(t(S.TaskTitle), title, { title = it; error = null }, "task-title", error = error)
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    for (d in TasksViewModel.DUE_CHOICES) {
                        FilterChip(dueDays == d, { dueDays = d }, { Text(t(S.FollowUpDays, d)) }, Modifier.testTag("due-$d"))
                    }
                    FilterChip(dueDays == null, { dueDays = null }, { Text(t(S.NoDue)) }, Modifier.testTag("due-none"))
                }
            }
        },
        confirmButton = {
            TextButton(
                onClick = {
                    saving = true
                    onCreate(title, dueDays) { refused -> saving = false; if (refused == null) onClose() else error = refused }
                },
                enabled = title.isNotBlank() && !saving,
                modifier = Modifier.testTag("task-save"),
            ) { Text(t(S.Add)) }
        },
        dismissButton = { TextButton(onClick = onClose) { Text(t(S.Cancel)) } },
    )
}

@Composable
private fun TaskRow(task: TaskItem, overdue: Boolean, onToggle: () -> Unit, onOpen: (() -> Unit)?) {
    val f = LocalFormats.current
    val label = if (task.done) t(S.MarkOpen, task.title) else t(S.MarkDone, task.title)
    ListItem(
        leadingContent = {
            Checkbox(checked = task.done, onCheckedChange = { onToggle() }, modifier = Modifier.semantics { contentDescription = label }.testTag("done-${task.id}"))
        },
        headlineContent = { Text(task.title) },
        supportingContent = {
            val parts = listOfNotNull(task.due?.let { t(S.Due, f.dateTime(it)) } ?: t(S.NoDue), task.personName)
            Text(parts.joinToString(" · "), color = if (overdue) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurfaceVariant)
        },
        modifier = (if (onOpen != null) Modifier.clickable(onClick = onOpen) else Modifier).testTag("task-${task.id}"),
    )
}

/** The pipeline by stage: count, totals per currency; a deal moves with "Move to…". */
@Composable
fun DealsScreen(gw: DekoGateway) {
    val scope = rememberCoroutineScope()
    val vm = remember { DealsViewModel(gw, scope) }
    var adding by remember { mutableStateOf(false) }
    Box(Modifier.fillMaxSize()) {
        Pipeline(vm)
        ExtendedFloatingActionButton(
            onClick = { adding = true },
            modifier = Modifier.align(Alignment.BottomEnd).padding(16.dp).testTag("add-deal"),
        ) { Text(t(S.NewDeal)) }
    }
    if (adding) {
        NewDealDialog(
            gw, customer = null,
            onCreate = { title, value, currency, company, done -> vm.create(title, value, currency, company, done) },
            onClose = { adding = false },
        )
    }
}

/**
 * A deal's title, value and customer; it starts in the pipeline's first
 * stage. [customer] is the company's name when the deal is made on its card
 * (no customer field then). [onCreate] saves it: the title, the value as
 * typed, the currency, the customer typed, and what to call with the
 * refusal (the field and the core's words) or null.
 */
@Composable
fun NewDealDialog(
    gw: DekoGateway,
    customer: String?,
    onCreate: (String, String, String, String, (Pair<String, String>?) -> Unit) -> Unit,
    onClose: () -> Unit,
) {
    val f = LocalFormats.current
    var title by remember { mutableStateOf("") }
    var value by remember { mutableStateOf("") }
    var currency by remember { mutableStateOf("") }
    var company by remember { mutableStateOf("") }
    var errors by remember { mutableStateOf(mapOf<String, String>()) }
    var saving by remember { mutableStateOf(false) }
    LaunchedEffect(gw) { if (currency.isEmpty()) currency = defaultDealCurrency(gw, f::currencyOf) }
    val invalidAmount = t(S.InvalidAmount)
    AlertDialog(
        onDismissRequest = onClose,
        title = { Text(if (customer == null) t(S.NewDeal) else "${t(S.NewDeal)} · $customer") },
        text = {
            Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                Field(t(S.DealTitle), title, { title = it; errors = errors - "title" }, "deal-title", error = errors["title"])
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    Field(t(S.Value), value, { value = it; errors = errors - "value" }, "deal-value", Modifier.weight(2f), error = errors["value"], keyboard = androidx.compose.ui.text.input.KeyboardType.Decimal)
                    Field(t(S.Currency), currency, { currency = it.take(3).uppercase(); errors = errors - "currency" }, "deal-currency", Modifier.weight(1f), error = errors["currency"])
                }
                if (customer == null) Field(t(S.Company), company, { company = it }, "deal-company")
            }
        },
        confirmButton = {
            TextButton(
                onClick = {
                    saving = true
                    onCreate(title, value, currency, company) { refused ->
                        saving = false
                        when {
                            refused == null -> onClose()
                            // the UI's own words for an amount it could not read
                            refused.first == "value" -> errors = errors + ("value" to invalidAmount)
                            else -> errors = errors + refused
                        }
                    }
                },
                enabled = title.isNotBlank() && !saving,
                modifier = Modifier.testTag("deal-save"),
            ) { Text(t(S.Add)) }
        },
        dismissButton = { TextButton(onClick = onClose) { Text(t(S.Cancel)) } },
    )
}

/** Room under a list's last row, so that a floating button hides none of it. */
private val FAB_ROOM = 88.dp

@Composable
private fun Pipeline(vm: DealsViewModel) {
    val s by vm.state.collectAsState()
    val f = LocalFormats.current
    Column(Modifier.fillMaxSize()) {
        ScreenTitle(t(S.Pipeline))
        s.error?.let { Message(explain(it), error = true, modifier = Modifier.padding(12.dp)) }
        val columns = s.columns ?: return@Column
        BoxWithConstraints(Modifier.fillMaxSize().testTag("pipeline")) {
            val wide = maxWidth >= WIDE
            // `room`: space under the last deal for the "New deal" button, in
            // each column that scrolls on its own (wide), else once under all.
            val content: @Composable (StageColumn, Modifier, Boolean) -> Unit = { col, mod, room ->
                Column(mod.testTag("stage-${col.id}")) {
                    Surface(color = MaterialTheme.colorScheme.surfaceContainerHigh, shape = MaterialTheme.shapes.medium, modifier = Modifier.fillMaxWidth()) {
                        Column(Modifier.padding(12.dp)) {
                            // a closing stage is marked, not renamed: its name is the team's
                            val mark = when (col.kind) { StageKind.WON -> " ✓"; StageKind.LOST -> " ✗"; else -> "" }
                            val outcome = when (col.kind) { StageKind.WON -> t(S.StageWon); StageKind.LOST -> t(S.StageLost); else -> null }
                            Text(
                                col.name + mark, style = MaterialTheme.typography.titleMedium,
                                modifier = if (outcome != null) Modifier.semantics { stateDescription = outcome } else Modifier,
                            )
                            Text(t(S.DealsCount, f.number(col.count)), style = MaterialTheme.typography.bodySmall)
                            for (total in col.totals) Text(f.money(total), style = MaterialTheme.typography.titleSmall, modifier = Modifier.testTag("total-${col.id}-${total.currency}"))
                        }
                    }
                    if (col.deals.isEmpty()) Text(t(S.NoDeals), Modifier.padding(12.dp), style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
                    for (d in col.deals) {
                        // The move action goes under the deal, not beside it: a column is
                        // narrow, and the title and company get its whole width.
                        Column(Modifier.testTag("deal-${d.id}")) {
                            ListItem(
                                headlineContent = { Text(d.title) },
                                supportingContent = { Text(listOfNotNull(d.value?.let { f.money(it) }, d.companyName).joinToString(" · ")) },
                            )
                            TextButton(
                                onClick = { vm.startMove(d) },
                                modifier = Modifier.padding(start = 4.dp).testTag("move-${d.id}"),
                            ) { Text(t(S.MoveTo)) }
                        }
                    }
                    if (room) Spacer(Modifier.height(FAB_ROOM))
                }
            }
            if (wide) {
                // As many whole columns as fit (each at least 260 dp); the rest scroll in.
                BoxWithConstraints(Modifier.fillMaxSize()) {
                    val avail = maxWidth - 16.dp
                    val fit = ((avail + 8.dp) / 268.dp).toInt().coerceIn(1, columns.size.coerceAtLeast(1))
                    val colWidth = (avail - 8.dp * (fit - 1)) / fit
                    Row(Modifier.fillMaxSize().horizontalScroll(rememberScrollState()).padding(8.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        for (col in columns) content(col, Modifier.width(colWidth).fillMaxHeight().verticalScroll(rememberScrollState()), true)
                    }
                }
            } else {
                Column(Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(8.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
                    for (col in columns) content(col, Modifier.fillMaxWidth(), false)
                    Spacer(Modifier.height(FAB_ROOM))
                }
            }
        }
        s.moving?.let { deal ->
            AlertDialog(
                onDismissRequest = { vm.startMove(null) },
                title = { Text(t(S.MoveDeal, deal.title)) },
                text = {
                    Column {
                        for (col in columns) {
                            ListItem(
                                headlineContent = { Text(col.name) },
                                modifier = Modifier.clickable(enabled = col.id != deal.stageId) { vm.moveTo(col.id) }.testTag("to-${col.id}"),
                                colors = if (col.id == deal.stageId) ListItemDefaults.colors(containerColor = MaterialTheme.colorScheme.secondaryContainer) else ListItemDefaults.colors(),
                            )
                        }
                    }
                },
                confirmButton = {},
                dismissButton = { TextButton(onClick = { vm.startMove(null) }) { Text(t(S.Cancel)) } },
            )
        }
    }
}

/** Each field changed on two devices: the values side by side; pick one or write a new one. */
@Composable
fun ConflictsScreen(gw: DekoGateway, onChanged: () -> Unit) {
    val scope = rememberCoroutineScope()
    val vm = remember { ConflictsViewModel(gw, scope, onChanged) }
    val s by vm.state.collectAsState()
    val f = LocalFormats.current
    Column(Modifier.fillMaxSize()) {
        ScreenTitle(t(S.Conflicts))
        s.error?.let { Message(explain(it), error = true, modifier = Modifier.padding(12.dp)) }
        val items = s.items ?: return@Column
        LazyColumn(Modifier.fillMaxSize().testTag("conflicts"), contentPadding = PaddingValues(12.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
            if (items.isEmpty()) item { EmptyState(t(S.NoConflicts), t(S.NoConflictsHint)) }
            items(items, key = { it.entityId + "/" + it.field }) { c ->
                ElevatedCard(Modifier.fillMaxWidth().testTag("conflict-${c.entityId}-${c.field}")) {
                    Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                        Text(t(S.ConflictOn, c.entityName, fieldLabel(c.field)), style = MaterialTheme.typography.titleMedium)
                        Row(Modifier.fillMaxWidth().height(IntrinsicSize.Min), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                            for ((i, v) in c.choices.withIndex()) {
                                OutlinedCard(Modifier.weight(1f).fillMaxHeight()) {
                                    Column(Modifier.padding(10.dp).fillMaxHeight(), verticalArrangement = Arrangement.spacedBy(6.dp)) {
                                        Text(v.text.ifEmpty { "—" }, style = MaterialTheme.typography.bodyLarge)
                                        Text(t(S.WrittenBy, v.author, f.dateTime(v.writtenAt)), style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
                                        Spacer(Modifier.weight(1f))
                                        FilledTonalButton(onClick = { vm.pick(c, v) }, modifier = Modifier.testTag("keep-$i")) { Text(t(S.KeepThis)) }
                                    }
                                }
                            }
                        }
                        TextButton(onClick = { vm.startWriting(c) }, modifier = Modifier.testTag("write-new")) { Text(t(S.WriteNew)) }
                    }
                }
            }
        }
        s.writing?.let { c ->
            AlertDialog(
                onDismissRequest = { vm.startWriting(null) },
                title = { Text(t(S.ConflictOn, c.entityName, fieldLabel(c.field))) },
                text = { Field(t(S.NewValue), s.newValue, vm::onNewValue, "new-value") },
                confirmButton = { TextButton(onClick = vm::writeNew, modifier = Modifier.testTag("use-new")) { Text(t(S.UseNew)) } },
                dismissButton = { TextButton(onClick = { vm.startWriting(null) }) { Text(t(S.Cancel)) } },
            )
        }
    }
}

/** The core's field names, in the UI's words where the UI has them. */
@Composable
fun fieldLabel(field: String): String = when (field) {
    "given" -> t(S.GivenName)
    "family" -> t(S.FamilyName)
    "title" -> t(S.Title)
    "company" -> t(S.Company)
    "phones" -> t(S.Phones)
    "emails" -> t(S.Emails)
    "address" -> t(S.Address)
    "note" -> t(S.Note)
    "tags" -> t(S.Tags)
    "name" -> t(S.CompanyName)
    "_deleted" -> t(S.FieldDeleted)
    else -> field
}
