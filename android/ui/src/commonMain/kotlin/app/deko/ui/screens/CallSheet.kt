@file:OptIn(ExperimentalLayoutApi::class)

package app.deko.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.*
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.*
import androidx.compose.runtime.*
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import app.deko.ui.Platform
import app.deko.ui.data.CallDirection
import app.deko.ui.data.CallOutcome
import app.deko.ui.data.DekoGateway
import app.deko.ui.format.LocalFormats
import app.deko.ui.i18n.LocalLang
import app.deko.ui.i18n.S
import app.deko.ui.i18n.Strings
import app.deko.ui.i18n.explain
import app.deko.ui.i18n.t
import app.deko.ui.nav.Navigator
import app.deko.ui.nav.Route
import app.deko.ui.vm.*

@Composable
fun outcomeLabel(o: CallOutcome): String = when (o) {
    CallOutcome.CONNECTED -> t(S.OutConnected)
    CallOutcome.NO_ANSWER -> t(S.OutNoAnswer)
    CallOutcome.LEFT_MESSAGE -> t(S.OutLeftMessage)
    CallOutcome.BUSY -> t(S.OutBusy)
    CallOutcome.WRONG_NUMBER -> t(S.OutWrongNumber)
}

@Composable
fun directionLabel(d: CallDirection): String = when (d) {
    CallDirection.OUT -> t(S.DirOut)
    CallDirection.IN -> t(S.DirIn)
    CallDirection.MISSED -> t(S.DirMissed)
}

/** Log a call: number matched to a person or attached to one, outcome, note, follow-up. */
@Composable
fun CallSheet(gw: DekoGateway, platform: Platform, nav: Navigator, route: Route.LogCall) {
    val scope = rememberCoroutineScope()
    val f = LocalFormats.current
    val lang = LocalLang.current
    val vm = remember(route) {
        CallSheetViewModel(
            gw, scope, platform.clock, f::dateTime, f::parseDateTime, { who -> Strings.get(lang, S.FollowUpTitle, who) },
            route.personId, route.number, route.start, route.durationS,
        )
    }
    val s by vm.state.collectAsState()
    LaunchedEffect(s.done) {
        val done = s.done ?: return@LaunchedEffect
        val pid = done.personId
        if (pid != null) nav.show(Route.PersonDetail(pid)) else nav.back()
    }
    val badTime = t(S.InvalidTime, f.dateTime(platform.clock.now()))
    val badMinutes = t(S.InvalidMinutes)
    Column(Modifier.fillMaxSize()) {
        DetailTopBar(t(S.LogCall), nav) {
            TextButton(onClick = { vm.save(badTime, badMinutes) }, enabled = !s.saving, modifier = Modifier.testTag("call-save")) { Text(t(S.Save)) }
        }
        LazyColumn(Modifier.fillMaxSize().testTag("call-sheet"), contentPadding = PaddingValues(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            item { Field(t(S.Number), s.number, vm::onNumber, "call-number", error = s.errors[CallField.NUMBER], keyboard = KeyboardType.Phone) }
            item {
                when (val m = s.match) {
                    is NumberMatch.Person -> Text(t(S.MatchedTo, m.row.name), style = MaterialTheme.typography.titleMedium, modifier = Modifier.testTag("call-match"))
                    is NumberMatch.Company -> Text(t(S.MatchedTo, m.row.name), style = MaterialTheme.typography.titleMedium, modifier = Modifier.testTag("call-match"))
                    NumberMatch.Unknown -> Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
                        Text(t(S.UnknownNumber), style = MaterialTheme.typography.titleMedium, color = MaterialTheme.colorScheme.error, modifier = Modifier.testTag("call-unknown"))
                        OutlinedButton(onClick = { nav.go(Route.EditPerson(null, s.number)) }, modifier = Modifier.testTag("call-new-person")) { Text(t(S.NewPerson)) }
                        Field(t(S.AttachTo), s.attachQuery, vm::onAttachQuery, "attach-search")
                        for (h in s.attachHits) {
                            ListItem(
                                headlineContent = { Text(h.name) },
                                modifier = Modifier.clickable { vm.attachTo(h) }.testTag("attach-${h.id}"),
                            )
                        }
                        s.attachTo?.let { Text(t(S.MatchedTo, it.name), modifier = Modifier.testTag("attach-picked")) }
                    }
                    NumberMatch.None -> {}
                }
            }
            item {
                // side by side, unless large text needs the whole width for each
                if (LocalDensity.current.fontScale < 1.3f) {
                    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        Field(t(S.Start), s.startText, vm::onStart, "call-start", Modifier.weight(2f), error = s.errors[CallField.START])
                        Field(t(S.DurationMin), s.minutes, vm::onMinutes, "call-minutes", Modifier.weight(1f), error = s.errors[CallField.DURATION], keyboard = KeyboardType.Number)
                    }
                } else {
                    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                        Field(t(S.Start), s.startText, vm::onStart, "call-start", error = s.errors[CallField.START])
                        Field(t(S.DurationMin), s.minutes, vm::onMinutes, "call-minutes", error = s.errors[CallField.DURATION], keyboard = KeyboardType.Number)
                    }
                }
            }
            item { SectionTitle(t(S.Direction), inset = false) }
            item {
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    for (d in CallDirection.entries) FilterChip(s.direction == d, { vm.onDirection(d) }, { Text(directionLabel(d)) }, Modifier.testTag("dir-${d.name.lowercase()}"))
                }
            }
            item { SectionTitle(t(S.Outcome), inset = false) }
            item {
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    for (o in CallOutcome.entries) FilterChip(s.outcome == o, { vm.onOutcome(o) }, { Text(outcomeLabel(o)) }, Modifier.testTag("outcome-${o.key}"))
                }
            }
            item { Field(t(S.Note), s.note, vm::onNote, "call-note", singleLine = false, minLines = 3) }
            item { SectionTitle(t(S.FollowUp), inset = false) }
            item {
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    FilterChip(s.followUpDays == null, { vm.onFollowUp(null) }, { Text(t(S.FollowUpNone)) }, Modifier.testTag("follow-none"))
                    for (d in listOf(1, 3, 7)) FilterChip(s.followUpDays == d, { vm.onFollowUp(d) }, { Text(t(S.FollowUpDays, d)) }, Modifier.testTag("follow-$d"))
                }
            }
        }
    }
}

/** Log a meeting or add a note, on the person it was opened from. */
@Composable
fun ActivitySheet(gw: DekoGateway, platform: Platform, nav: Navigator, personId: String?, meeting: Boolean) {
    val scope = rememberCoroutineScope()
    val f = LocalFormats.current
    val vm = remember(personId, meeting) {
        ActivitySheetViewModel(gw, scope, platform.clock, f::dateTime, f::parseDateTime, if (meeting) ActivityKindUi.MEETING else ActivityKindUi.NOTE, personId)
    }
    val s by vm.state.collectAsState()
    LaunchedEffect(s.done) { if (s.done) nav.back() }
    val badWhen = t(S.InvalidTime, f.dateTime(platform.clock.now()))
    Column(Modifier.fillMaxSize()) {
        DetailTopBar(if (meeting) t(S.LogMeeting) else t(S.AddNote), nav) {
            TextButton(onClick = { vm.save(badWhen) }, enabled = !s.saving, modifier = Modifier.testTag("activity-save")) { Text(t(S.Save)) }
        }
        LazyColumn(Modifier.fillMaxSize().testTag("activity-sheet"), contentPadding = PaddingValues(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            s.who?.let { who -> item { Text(t(S.About, who), style = MaterialTheme.typography.titleMedium, modifier = Modifier.testTag("activity-who")) } }
            item { Field(t(S.When), s.whenText, vm::onWhen, "activity-when", error = s.whenError) }
            if (meeting) {
                item { Field(t(S.DurationMin), s.minutes, vm::onMinutes, "activity-minutes", keyboard = KeyboardType.Number) }
                item { Field(t(S.Place), s.place, vm::onPlace, "activity-place") }
            }
            item { Field(if (meeting) t(S.Note) else t(S.Text), s.text, vm::onText, "activity-text", singleLine = false, minLines = 4, error = s.error?.let { explain(it) }) }
        }
    }
}
