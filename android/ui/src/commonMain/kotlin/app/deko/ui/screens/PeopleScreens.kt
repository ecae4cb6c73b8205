@file:OptIn(ExperimentalLayoutApi::class, ExperimentalMaterial3Api::class)

package app.deko.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.*
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.lazy.rememberLazyListState
import androidx.compose.material3.*
import androidx.compose.runtime.*
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.AnnotatedString
import androidx.compose.ui.text.SpanStyle
import androidx.compose.ui.text.buildAnnotatedString
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.text.withStyle
import androidx.compose.ui.unit.dp
import app.deko.ui.Platform
import app.deko.ui.data.*
import app.deko.ui.format.LocalFormats
import app.deko.ui.i18n.S
import app.deko.ui.i18n.explain
import app.deko.ui.i18n.t
import app.deko.ui.nav.Navigator
import app.deko.ui.nav.Route
import app.deko.ui.nav.Section
import app.deko.ui.vm.*
import kotlinx.coroutines.launch

@Composable
fun kindLabel(k: HitKind): String = when (k) {
    HitKind.PERSON -> t(S.KindPerson)
    HitKind.COMPANY -> t(S.KindCompany)
    HitKind.DEAL -> t(S.KindDeal)
    HitKind.TASK -> t(S.KindTask)
    HitKind.CALL -> t(S.KindCall)
    HitKind.MEETING -> t(S.KindMeeting)
    HitKind.NOTE -> t(S.KindNote)
    HitKind.OTHER -> ""
}

/** The core marks matches in snippets with [ and ]: shown bold. */
fun snippetText(snippet: String): AnnotatedString = buildAnnotatedString {
    var bold = false
    val sb = StringBuilder()
    fun flush() {
        if (sb.isEmpty()) return
        if (bold) withStyle(SpanStyle(fontWeight = FontWeight.Bold)) { append(sb.toString()) } else append(sb.toString())
        sb.clear()
    }
    for (c in snippet) when (c) {
        '[' -> { flush(); bold = true }
        ']' -> { flush(); bold = false }
        else -> sb.append(c)
    }
    flush()
}

/** The list of people (or companies) with search as you type. */
@Composable
fun PeopleListScreen(gw: DekoGateway, platform: Platform, nav: Navigator, app: AppViewModel, route: Route, given: PeopleViewModel? = null) {
    val scope = rememberCoroutineScope()
    val vm = given ?: remember { PeopleViewModel(gw, scope, platform.clock) }
    val s by vm.state.collectAsState()
    val appState by app.state.collectAsState()
    var addingCompany by remember { mutableStateOf(false) }
    val selectedId = (route as? Route.PersonDetail)?.id ?: (route as? Route.CompanyDetail)?.id
    Scaffold(
        floatingActionButton = {
            ExtendedFloatingActionButton(
                onClick = { if (s.tab != PeopleTab.COMPANIES) nav.show(Route.EditPerson(null)) else addingCompany = true },
                modifier = Modifier.testTag("add"),
            ) { Text(if (s.tab != PeopleTab.COMPANIES) t(S.AddPerson) else t(S.AddCompany)) }
        },
    ) { pad ->
        Column(Modifier.padding(pad).fillMaxSize()) {
            OutlinedTextField(
                value = s.query,
                onValueChange = vm::onQuery,
                label = { Text(t(S.Search)) },
                placeholder = { Text(t(S.SearchHint)) },
                singleLine = true,
                modifier = Modifier.fillMaxWidth().padding(start = 12.dp, end = 12.dp, top = 8.dp).testTag("search"),
            )
            if (appState.conflicts > 0) {
                Surface(
                    color = MaterialTheme.colorScheme.errorContainer,
                    shape = MaterialTheme.shapes.medium,
                    modifier = Modifier.fillMaxWidth().padding(horizontal = 12.dp, vertical = 4.dp)
                        .clickable { nav.select(Section.CONFLICTS) }.testTag("conflicts-banner"),
                ) {
                    Text(t(S.ConflictsWaiting, appState.conflicts), Modifier.padding(14.dp), color = MaterialTheme.colorScheme.onErrorContainer)
                }
            }
            if (s.hits == null) {
                Row(Modifier.padding(horizontal = 12.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    FilterChip(s.tab == PeopleTab.PEOPLE, { vm.tab(PeopleTab.PEOPLE) }, { Text(t(S.People)) }, Modifier.testTag("tab-people"))
                    FilterChip(s.tab == PeopleTab.COMPANIES, { vm.tab(PeopleTab.COMPANIES) }, { Text(t(S.Companies)) }, Modifier.testTag("tab-companies"))
                    FilterChip(s.tab == PeopleTab.DUE, { vm.tab(PeopleTab.DUE) }, { Text(t(S.DueACall)) }, Modifier.testTag("tab-due"))
                }
                HorizontalDivider()
            }
            s.error?.let { Message(explain(it), error = true, modifier = Modifier.padding(12.dp)) }
            val list = rememberLazyListState()
            val hits = s.hits
            val count = hits?.size ?: when (s.tab) {
                PeopleTab.PEOPLE -> s.people.size
                PeopleTab.COMPANIES -> s.companies.size
                PeopleTab.DUE -> s.due?.size ?: 0
            }
            LaunchedEffect(list, count) {
                snapshotFlow { list.layoutInfo.visibleItemsInfo.lastOrNull()?.index ?: 0 }.collect { last ->
                    if (count > 0 && last >= count - 10) vm.loadMore()
                }
            }
            LazyColumn(Modifier.fillMaxSize().testTag("people-list"), state = list, contentPadding = PaddingValues(bottom = 88.dp)) {
                // The first row, not above the list: the list's content is read as it
                // is laid out, so a count that arrives with the first frame shows (a
                // banner above it, in Scaffold's content, missed it about one time in three).
                if (hits == null && s.unknownNumbers > 0) item(key = "unknown-banner") {
                    val n = s.unknownNumbers
                    val count = if (n >= PeopleViewModel.PAGE) "${PeopleViewModel.PAGE}+" else n.toString()
                    Surface(
                        color = MaterialTheme.colorScheme.secondaryContainer,
                        shape = MaterialTheme.shapes.medium,
                        modifier = Modifier.fillMaxWidth().padding(horizontal = 12.dp, vertical = 4.dp)
                            .clickable { nav.show(Route.UnknownNumbers) }.testTag("unknown-banner"),
                    ) {
                        Text(t(S.UnknownWaiting, count), Modifier.padding(14.dp), color = MaterialTheme.colorScheme.onSecondaryContainer)
                    }
                }
                when {
                    hits != null && hits.isEmpty() && s.hitsFor == s.query -> item { EmptyState(t(S.NoResults, s.query), t(S.NoResultsHint)) }
                    hits != null -> items(hits, key = { it.id }) { h ->
                        ListItem(
                            headlineContent = { Text(h.name) },
                            supportingContent = if (h.snippet.isNotBlank()) ({ Text(snippetText(h.snippet), maxLines = 2) }) else null,
                            overlineContent = { Text(kindLabel(h.kind)) },
                            modifier = Modifier.clickable { openHit(gw, scope, nav, h) }.testTag("hit-${h.id}"),
                            colors = if (h.id == selectedId) ListItemDefaults.colors(containerColor = MaterialTheme.colorScheme.secondaryContainer) else ListItemDefaults.colors(),
                        )
                    }
                    !s.loaded -> {}
                    s.tab == PeopleTab.PEOPLE && s.people.isEmpty() -> item { EmptyState(t(S.NoPeople), t(S.NoPeopleHint)) }
                    s.tab == PeopleTab.PEOPLE -> items(s.people, key = { it.id }) { p -> PersonRowItem(p, p.id == selectedId) { nav.show(Route.PersonDetail(p.id)) } }
                    s.tab == PeopleTab.DUE -> when (val due = s.due) {
                        null -> {}
                        emptyList<PersonRow>() -> item {
                            EmptyState(t(S.NobodyDue, PeopleViewModel.DUE_DAYS), t(S.NobodyDueHint, PeopleViewModel.DUE_DAYS))
                        }
                        else -> items(due, key = { "due-" + it.id }) { p ->
                            PersonRowItem(p, p.id == selectedId, never = true) { nav.show(Route.PersonDetail(p.id)) }
                        }
                    }
                    s.companies.isEmpty() -> item { EmptyState(t(S.NoCompanies), t(S.NoCompaniesHint)) }
                    else -> items(s.companies, key = { it.id }) { c ->
                        ListItem(
                            headlineContent = { Text(c.name) },
                            supportingContent = c.industry?.let { { Text(it) } },
                            modifier = Modifier.clickable { nav.show(Route.CompanyDetail(c.id)) }.testTag("company-${c.id}"),
                            colors = if (c.id == selectedId) ListItemDefaults.colors(containerColor = MaterialTheme.colorScheme.secondaryContainer) else ListItemDefaults.colors(),
                        )
                    }
                }
            }
        }
    }
    if (addingCompany) AddCompanyDialog(gw, onClose = { id -> addingCompany = false; if (id != null) { vm.reload(); nav.show(Route.CompanyDetail(id)) } })
}

/** A hit opens its card; an activity opens the card of whom it is about. */
private fun openHit(gw: DekoGateway, scope: kotlinx.coroutines.CoroutineScope, nav: Navigator, h: Hit) {
    when (h.kind) {
        HitKind.PERSON -> nav.show(Route.PersonDetail(h.id))
        HitKind.COMPANY -> nav.show(Route.CompanyDetail(h.id))
        HitKind.DEAL -> nav.select(Section.DEALS)
        HitKind.TASK -> nav.select(Section.TASKS)
        else -> scope.launchCatching({}) {
            gw.activityOwner(h.id)?.let { (id, company) -> nav.show(if (company) Route.CompanyDetail(id) else Route.PersonDetail(id)) }
        }
    }
}

@Composable
private fun PersonRowItem(p: PersonRow, selected: Boolean, never: Boolean = false, onClick: () -> Unit) {
    val f = LocalFormats.current
    val sub = listOfNotNull(p.title, p.companyName).joinToString(" · ")
    // "never" where it is news: in the list of who is due a call
    val last = p.lastContact?.let { f.date(it) } ?: if (never) t(S.Never) else null
    ListItem(
        headlineContent = { Text(p.name) },
        supportingContent = if (sub.isNotEmpty()) ({ Text(sub) }) else null,
        trailingContent = last?.let { { Text(it, style = MaterialTheme.typography.labelSmall) } },
        modifier = Modifier.clickable(onClick = onClick).testTag("person-${p.id}"),
        colors = if (selected) ListItemDefaults.colors(containerColor = MaterialTheme.colorScheme.secondaryContainer) else ListItemDefaults.colors(),
    )
}

@Composable
private fun AddCompanyDialog(gw: DekoGateway, onClose: (String?) -> Unit) {
    val scope = rememberCoroutineScope()
    var name by remember { mutableStateOf("") }
    var error by remember { mutableStateOf<String?>(null) }
    AlertDialog(
        onDismissRequest = { onClose(null) },
        title = { Text(t(S.NewCompany)) },
        text = { Field(t(S.CompanyName), name, { name = it; error = null }, "company-name", error = error) },
        confirmButton = {
            TextButton(onClick = {
                scope.launchCatching({ error = it }) { onClose(gw.saveCompany(null, CompanyForm(name.trim(), emptyList(), emptyList(), "", ""))) }
            }, modifier = Modifier.testTag("company-save")) { Text(t(S.Save)) }
        },
        dismissButton = { TextButton(onClick = { onClose(null) }) { Text(t(S.Cancel)) } },
    )
}

/** Runs [block]; a core failure goes to [onError] with the core's message. */
fun kotlinx.coroutines.CoroutineScope.launchCatching(onError: (String) -> Unit, block: suspend () -> Unit) {
    launch {
        try {
            block()
        } catch (e: CoreException) {
            onError(e.detail)
        }
    }
}

@Composable
fun phoneLabel(k: PhoneKind): String = when (k) {
    PhoneKind.MOBILE -> t(S.PhoneMobile)
    PhoneKind.WORK -> t(S.PhoneWork)
    PhoneKind.HOME -> t(S.PhoneHome)
    PhoneKind.OTHER -> t(S.PhoneOther)
}

@Composable
fun entryLabel(k: EntryKind): String = when (k) {
    EntryKind.CALL -> t(S.KindCall)
    EntryKind.MISSED -> t(S.KindMissed)
    EntryKind.MEETING -> t(S.KindMeeting)
    EntryKind.NOTE -> t(S.KindNote)
    EntryKind.TASK -> t(S.KindTask)
    EntryKind.DEAL -> t(S.KindDeal)
}

/** A screen's bar: back, a title that wraps rather than being cut at large text sizes, actions. */
@Composable
fun DetailTopBar(title: String, nav: Navigator?, actions: @Composable RowScope.() -> Unit = {}) {
    Row(
        Modifier.fillMaxWidth().heightIn(min = 64.dp).padding(horizontal = 4.dp, vertical = 4.dp),
        verticalAlignment = Alignment.CenterVertically,
    ) {
        if (nav != null) GlyphButton("←", t(S.Back), { nav.back() }, tag = "back") else Spacer(Modifier.width(12.dp))
        if (title.isEmpty()) {
            Spacer(Modifier.weight(1f))
        } else {
            Text(
                title, style = MaterialTheme.typography.titleLarge,
                modifier = Modifier.weight(1f).padding(horizontal = 4.dp).semantics { heading() },
            )
        }
        actions()
    }
}

/** A person's card: phones, emails, custom fields and the paged timeline. */
@Composable
fun PersonDetailScreen(gw: DekoGateway, platform: Platform, nav: Navigator, id: String, wide: Boolean) {
    val scope = rememberCoroutineScope()
    val vm = remember(id) { DetailViewModel(gw, scope, id, isCompany = false) }
    val s by vm.state.collectAsState()
    val f = LocalFormats.current
    val p = s.person
    var addingTask by remember { mutableStateOf(false) }
    if (addingTask) NewTaskDialog(onCreate = { title, days, done -> vm.createTask(platform.clock, title, days, done) }, onClose = { addingTask = false })
    Column(Modifier.fillMaxSize()) {
        // the name is the card's heading just below: the bar only carries the actions
        DetailTopBar("", nav) {
            TextButton(onClick = { nav.go(Route.EditPerson(id)) }, modifier = Modifier.testTag("edit")) { Text(t(S.Edit)) }
        }
        if (p == null) {
            if (s.loaded) EmptyState(t(S.ErrorTitle), s.error?.let { explain(it) } ?: "")
            return@Column
        }
        val list = rememberLazyListState()
        LaunchedEffect(list, s.timeline.size) {
            snapshotFlow { list.layoutInfo.visibleItemsInfo.lastOrNull()?.index ?: 0 }.collect { last ->
                if (last >= list.layoutInfo.totalItemsCount - 5) vm.loadMore()
            }
        }
        LazyColumn(Modifier.fillMaxSize().testTag("detail"), state = list, contentPadding = PaddingValues(bottom = 24.dp)) {
            item {
                Column(Modifier.padding(horizontal = 16.dp, vertical = 8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                    Text(p.name, style = MaterialTheme.typography.headlineSmall, modifier = Modifier.testTag("person-name"))
                    val line = listOfNotNull(p.title, p.companyName).joinToString(" · ")
                    if (line.isNotEmpty()) {
                        Text(
                            line, style = MaterialTheme.typography.bodyLarge,
                            modifier = if (p.companyId != null) Modifier.clickable { nav.show(Route.CompanyDetail(p.companyId)) }.heightIn(min = 48.dp).wrapContentHeight() else Modifier,
                        )
                    }
                    Text(t(S.LastContact, p.lastContact?.let { f.relative(it, platform.clock.now()) } ?: t(S.Never)), style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
                }
            }
            item {
                FlowRow(Modifier.padding(horizontal = 12.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = { nav.go(Route.LogCall(id)) }, modifier = Modifier.testTag("log-call")) { Text(t(S.LogCall)) }
                    OutlinedButton(onClick = { nav.go(Route.LogMeeting(id)) }, modifier = Modifier.testTag("log-meeting")) { Text(t(S.LogMeeting)) }
                    OutlinedButton(onClick = { nav.go(Route.AddNote(id)) }, modifier = Modifier.testTag("add-note")) { Text(t(S.AddNote)) }
                    OutlinedButton(onClick = { addingTask = true }, modifier = Modifier.testTag("add-task")) { Text(t(S.NewTask)) }
                }
            }
            contactItems(p.phones, p.emails, platform)
            if (p.address != null) item { SectionTitle(t(S.Address)); Text(p.address, Modifier.padding(horizontal = 16.dp)) }
            if (p.tags.isNotEmpty()) item { SectionTitle(t(S.Tags)); Text(p.tags.joinToString(", "), Modifier.padding(horizontal = 16.dp)) }
            if (p.note != null) item { SectionTitle(t(S.Note)); Text(p.note, Modifier.padding(horizontal = 16.dp)) }
            if (p.custom.isNotEmpty()) {
                item { SectionTitle(t(S.CustomFields)) }
                items(p.custom) { c -> ListItem(headlineContent = { Text(c.value) }, overlineContent = { Text(c.name) }) }
            }
            timelineItems(s.timeline)
        }
    }
}

private fun androidx.compose.foundation.lazy.LazyListScope.contactItems(phones: List<PhoneNumber>, emails: List<String>, platform: Platform) {
    if (phones.isNotEmpty()) {
        item { SectionTitle(t(S.Phones)) }
        items(phones) { ph ->
            val dial = platform.dial
            val label = t(S.CallNumber, ph.display)
            ListItem(
                headlineContent = { Text(ph.display) },
                supportingContent = { Text(phoneLabel(ph.kind)) },
                trailingContent = if (dial != null) ({ TextButton(onClick = { dial(ph.number) }, modifier = Modifier.semantics { contentDescription = label }) { Text(t(S.Call)) } }) else null,
                modifier = Modifier.testTag("phone-${ph.number}"),
            )
        }
    }
    if (emails.isNotEmpty()) {
        item { SectionTitle(t(S.Emails)) }
        items(emails) { e -> ListItem(headlineContent = { Text(e) }) }
    }
}

private fun androidx.compose.foundation.lazy.LazyListScope.timelineItems(timeline: List<TimelineEntry>) {
    item { SectionTitle(t(S.Timeline)) }
    if (timeline.isEmpty()) item { EmptyState(t(S.NoTimeline), t(S.NoTimelineHint)) }
    items(timeline, key = { it.id }) { e ->
        val f = LocalFormats.current
        val head = when (e.kind) {
            EntryKind.CALL, EntryKind.MISSED -> listOfNotNull(
                e.direction?.let { directionLabel(it) }, e.durationS?.takeIf { it > 0 }?.let { f.duration(it) }, e.outcome?.let { outcomeLabel(it) },
            ).joinToString(" · ")
            EntryKind.MEETING -> listOfNotNull(e.place, e.durationS?.takeIf { it > 0 }?.let { f.duration(it) }).joinToString(" · ")
            EntryKind.NOTE -> ""
            EntryKind.TASK, EntryKind.DEAL -> e.summary
        }
        ListItem(
            overlineContent = { Text("${entryLabel(e.kind)} · ${f.dateTime(e.at)}") },
            headlineContent = { Text(head.ifBlank { e.note ?: entryLabel(e.kind) }) },
            supportingContent = if (head.isNotBlank() && e.note != null) ({ Text(e.note) }) else null,
            modifier = Modifier.testTag("entry-${e.id}"),
        )
    }
}

@Composable
fun CompanyDetailScreen(gw: DekoGateway, platform: Platform, nav: Navigator, id: String, wide: Boolean) {
    val scope = rememberCoroutineScope()
    val vm = remember(id) { DetailViewModel(gw, scope, id, isCompany = true) }
    val s by vm.state.collectAsState()
    val c = s.company
    var addingDeal by remember { mutableStateOf(false) }
    if (addingDeal && c != null) {
        NewDealDialog(
            gw, customer = c.name,
            onCreate = { title, value, currency, _, done -> vm.createDeal(title, value, currency, done) },
            onClose = { addingDeal = false },
        )
    }
    Column(Modifier.fillMaxSize()) {
        DetailTopBar("", nav)
        if (c == null) {
            if (s.loaded) EmptyState(t(S.ErrorTitle), s.error?.let { explain(it) } ?: "")
            return@Column
        }
        LazyColumn(Modifier.fillMaxSize().testTag("detail"), contentPadding = PaddingValues(bottom = 24.dp)) {
            item {
                Column(Modifier.padding(horizontal = 16.dp, vertical = 8.dp)) {
                    Text(c.name, style = MaterialTheme.typography.headlineSmall, modifier = Modifier.testTag("company-name"))
                    c.industry?.let { Text(it, style = MaterialTheme.typography.bodyLarge) }
                    c.website?.let { Text(it, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.primary) }
                }
            }
            item {
                FlowRow(Modifier.padding(horizontal = 12.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    OutlinedButton(onClick = { addingDeal = true }, modifier = Modifier.testTag("add-deal")) { Text(t(S.NewDeal)) }
                }
            }
            contactItems(c.phones, c.emails, platform)
            if (c.address != null) item { SectionTitle(t(S.Address)); Text(c.address, Modifier.padding(horizontal = 16.dp)) }
            if (c.people.isNotEmpty()) {
                item { SectionTitle(t(S.PeopleAtCompany)) }
                items(c.people, key = { "p" + it.id }) { p ->
                    ListItem(
                        headlineContent = { Text(p.name) },
                        supportingContent = p.title?.let { { Text(it) } },
                        modifier = Modifier.clickable { nav.show(Route.PersonDetail(p.id)) },
                    )
                }
            }
            if (c.custom.isNotEmpty()) {
                item { SectionTitle(t(S.CustomFields)) }
                items(c.custom) { cf -> ListItem(headlineContent = { Text(cf.value) }, overlineContent = { Text(cf.name) }) }
            }
            timelineItems(s.timeline)
        }
    }
}

/** Add (prefilled with [number]) or edit a person; the core's validation message shows at the field it concerns. */
@Composable
fun EditPersonScreen(gw: DekoGateway, nav: Navigator, id: String?, number: String? = null) {
    val scope = rememberCoroutineScope()
    val vm = remember(id, number) { EditPersonViewModel(gw, scope, id, number) }
    val s by vm.state.collectAsState()
    LaunchedEffect(s.savedId) {
        s.savedId?.let { saved -> if (id == null) nav.replace(Route.PersonDetail(saved)) else nav.back() }
    }
    Column(Modifier.fillMaxSize()) {
        DetailTopBar(if (id == null) t(S.NewPerson) else t(S.EditPerson), nav) {
            TextButton(onClick = vm::save, enabled = !s.saving, modifier = Modifier.testTag("save")) { Text(t(S.Save)) }
        }
        LazyColumn(Modifier.fillMaxSize().testTag("edit-form"), contentPadding = PaddingValues(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            item { Field(t(S.GivenName), s.given, { vm.edit(PersonField.GIVEN, it) }, "given", error = s.errors[PersonField.GIVEN]) }
            item { Field(t(S.FamilyName), s.family, { vm.edit(PersonField.FAMILY, it) }, "family", error = s.errors[PersonField.FAMILY]) }
            item { Field(t(S.Title), s.title, { vm.edit(PersonField.TITLE, it) }, "title", error = s.errors[PersonField.TITLE]) }
            item { Field(t(S.Company), s.company, { vm.edit(PersonField.COMPANY, it) }, "company", error = s.errors[PersonField.COMPANY]) }
            item { Field(t(S.PhoneNumber), s.phone, { vm.edit(PersonField.PHONE, it) }, "phone", error = s.errors[PersonField.PHONE], keyboard = androidx.compose.ui.text.input.KeyboardType.Phone) }
            item {
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    for (k in PhoneKind.entries) FilterChip(selected = s.phoneKind == k, onClick = { vm.phoneKind(k) }, label = { Text(phoneLabel(k)) })
                }
            }
            if (s.otherPhones.isNotEmpty()) item {
                // further numbers stay as they are; shown so nobody thinks them lost
                Text(s.otherPhones.joinToString("\n") { it.display }, style = MaterialTheme.typography.bodyMedium, modifier = Modifier.padding(horizontal = 16.dp))
            }
            item { Field(t(S.Email), s.email, { vm.edit(PersonField.EMAIL, it) }, "email", error = s.errors[PersonField.EMAIL], keyboard = androidx.compose.ui.text.input.KeyboardType.Email) }
            if (s.otherEmails.isNotEmpty()) item {
                Text(s.otherEmails.joinToString("\n"), style = MaterialTheme.typography.bodyMedium, modifier = Modifier.padding(horizontal = 16.dp))
            }
            item { Field(t(S.Note), s.note, { vm.edit(PersonField.NOTE, it) }, "note", singleLine = false, minLines = 3) }
            s.error?.let { item { Message(explain(it), error = true) } }
        }
    }
}
