@file:OptIn(ExperimentalLayoutApi::class)

package app.deko.ui.screens

import androidx.compose.foundation.layout.*
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.*
import androidx.compose.runtime.*
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalClipboardManager
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import app.deko.ui.data.DekoGateway
import app.deko.ui.i18n.S
import app.deko.ui.i18n.explain
import app.deko.ui.i18n.t
import app.deko.ui.vm.FirstRunMode
import app.deko.ui.vm.FirstRunViewModel
import app.deko.ui.vm.Missing
import app.deko.ui.vm.ScanViewModel
import app.deko.ui.vm.TicketScanner

/**
 * Found a team or join one with a `deko:` ticket (pasted, or scanned where the
 * platform has a [scanner]), with progress while the database arrives.
 */
@Composable
fun FirstRunScreen(gw: DekoGateway, onDone: () -> Unit, scanner: TicketScanner? = null, start: FirstRunMode = FirstRunMode.CHOOSE) {
    val scope = rememberCoroutineScope()
    val vm = remember { FirstRunViewModel(gw, scope, onDone).also { if (start != FirstRunMode.CHOOSE) it.mode(start) } }
    val scan = remember { ScanViewModel(scanner, scope, vm::ticket) }
    val s by vm.state.collectAsState()
    Box(Modifier.fillMaxSize().verticalScroll(rememberScrollState()), contentAlignment = Alignment.TopCenter) {
        Column(
            Modifier.widthIn(max = 560.dp).fillMaxWidth().padding(24.dp).testTag("first-run"),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            Text(t(S.Welcome), style = MaterialTheme.typography.headlineMedium)
            Text(t(S.WelcomeText), style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.onSurfaceVariant)
            if (s.mode == FirstRunMode.CHOOSE) {
                // the two ways in, as large as the choice is
                Button(onClick = { vm.mode(FirstRunMode.JOIN) }, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp).testTag("mode-join")) {
                    Text(t(S.JoinTeam), style = MaterialTheme.typography.titleMedium)
                }
                OutlinedButton(onClick = { vm.mode(FirstRunMode.FOUND) }, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp).testTag("mode-found")) {
                    Text(t(S.FoundTeam), style = MaterialTheme.typography.titleMedium)
                }
            } else {
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    FilterChip(
                        selected = s.mode == FirstRunMode.JOIN, onClick = { vm.mode(FirstRunMode.JOIN) },
                        label = { Text(t(S.JoinTeam)) }, modifier = Modifier.testTag("mode-join"), enabled = !s.busy,
                    )
                    FilterChip(
                        selected = s.mode == FirstRunMode.FOUND, onClick = { vm.mode(FirstRunMode.FOUND) },
                        label = { Text(t(S.FoundTeam)) }, modifier = Modifier.testTag("mode-found"), enabled = !s.busy,
                    )
                }
            }
            when (s.mode) {
                FirstRunMode.CHOOSE -> {}
                FirstRunMode.FOUND -> {
                    Field(t(S.CompanyName), s.teamName, vm::teamName, "team-name", error = if (Missing.TEAM in s.missing) t(S.NameNeeded) else null)
                    Field(t(S.YourName), s.yourName, vm::yourName, "your-name", error = if (Missing.NAME in s.missing) t(S.NameNeeded) else null)
                    Button(onClick = vm::found, enabled = !s.busy, modifier = Modifier.fillMaxWidth().testTag("found")) { Text(t(S.Found)) }
                }
                FirstRunMode.JOIN -> {
                    val clipboard = LocalClipboardManager.current
                    Field(
                        t(S.Ticket), s.ticket, { vm.ticket(it); scan.clearMessage() }, "ticket", singleLine = false, minLines = 2,
                        error = s.ticketError?.let { explain(it) } ?: if (Missing.TICKET in s.missing) t(S.TicketNeeded) else null,
                    )
                    ScanMessage(scan)
                    Text(t(S.TicketHint), style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
                    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        OutlinedButton(
                            onClick = { clipboard.getText()?.text?.let(vm::ticket); scan.clearMessage() },
                            enabled = !s.busy, modifier = Modifier.testTag("paste"),
                        ) { Text(t(S.PasteTicket)) }
                        ScanButton(scan, enabled = !s.busy)
                    }
                    Field(t(S.YourName), s.yourName, vm::yourName, "your-name", error = if (Missing.NAME in s.missing) t(S.NameNeeded) else null)
                    Button(onClick = vm::join, enabled = !s.busy, modifier = Modifier.fillMaxWidth().testTag("join")) { Text(t(S.Join)) }
                    s.progress?.let { p ->
                        Text(t(if (p.views) S.PreparingLists else S.Joining), style = MaterialTheme.typography.titleSmall)
                        if (p.toReceive > 0) {
                            LinearProgressIndicator(
                                progress = { (p.received.toFloat() / p.toReceive).coerceIn(0f, 1f) },
                                modifier = Modifier.fillMaxWidth().testTag("join-progress"),
                            )
                            Text(
                                t(if (p.views) S.PreparingListsProgress else S.JoiningProgress, p.received, p.toReceive),
                                style = MaterialTheme.typography.bodySmall,
                            )
                        } else {
                            LinearProgressIndicator(Modifier.fillMaxWidth().testTag("join-progress").semantics { contentDescription = "progress" })
                        }
                    }
                }
            }
            s.error?.let { Message(explain(it), error = true) }
        }
    }
}
