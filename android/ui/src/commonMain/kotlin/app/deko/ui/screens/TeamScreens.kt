@file:OptIn(ExperimentalLayoutApi::class, ExperimentalMaterial3Api::class)

package app.deko.ui.screens

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.background
import androidx.compose.foundation.layout.*
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.text.selection.SelectionContainer
import androidx.compose.material3.*
import androidx.compose.runtime.*
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalClipboardManager
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.AnnotatedString
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.unit.dp
import app.deko.ui.Platform
import app.deko.ui.data.*
import app.deko.ui.format.LocalFormats
import app.deko.ui.i18n.Lang
import app.deko.ui.i18n.LocalLang
import app.deko.ui.i18n.S
import app.deko.ui.i18n.Strings
import app.deko.ui.i18n.explain
import app.deko.ui.i18n.t
import app.deko.ui.nav.Navigator
import app.deko.ui.nav.Route
import app.deko.ui.nav.Section
import app.deko.ui.theme.ThemeMode
import app.deko.ui.vm.*

/** Devices and people, invites, sync status per peer, relay, sync now. */
@Composable
fun TeamScreen(gw: DekoGateway, platform: Platform, nav: Navigator, app: AppViewModel) {
    val scope = rememberCoroutineScope()
    val lang = LocalLang.current
    val vm = remember { TeamViewModel(gw, scope) { Strings.get(lang, S.SyncDone) } }
    val s by vm.state.collectAsState()
    val scan = remember { ScanViewModel(platform.scanner, scope, vm::onTicket) }
    val appState by app.state.collectAsState()
    val f = LocalFormats.current
    Column(Modifier.fillMaxSize()) {
        ScreenTitle(t(S.TeamSync))
        LazyColumn(Modifier.fillMaxSize().testTag("team"), contentPadding = PaddingValues(bottom = 24.dp)) {
            item {
                Column(Modifier.padding(horizontal = 16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        Button(onClick = vm::syncNow, enabled = !s.syncing, modifier = Modifier.testTag("sync-now")) { Text(t(S.SyncNow)) }
                        OutlinedButton(onClick = vm::invite, modifier = Modifier.testTag("invite")) { Text(t(S.Invite)) }
                        if (appState.conflicts > 0) {
                            OutlinedButton(onClick = { nav.select(Section.CONFLICTS) }, modifier = Modifier.testTag("to-conflicts")) { Text(t(S.ConflictsWaiting, appState.conflicts)) }
                        }
                    }
                    if (s.syncing) {
                        val p = s.progress
                        Text(t(if (p?.views == true) S.PreparingLists else S.Syncing), style = MaterialTheme.typography.bodyMedium)
                        if (p != null && p.toReceive > 0) {
                            LinearProgressIndicator(progress = { (p.received.toFloat() / p.toReceive).coerceIn(0f, 1f) }, modifier = Modifier.fillMaxWidth().testTag("sync-progress"))
                        } else {
                            LinearProgressIndicator(Modifier.fillMaxWidth().testTag("sync-progress").semantics { contentDescription = "progress" })
                        }
                    }
                    s.syncMessage?.let { Message(it, error = false, tag = "sync-message") }
                    (s.syncError ?: appState.syncError)?.let { Message(t(S.SyncFailed, explain(it)), error = true, tag = "sync-error") }
                    s.inviteError?.let { Message(explain(it), error = true) }
                    s.error?.let { Message(explain(it), error = true) }
                }
            }
            s.invite?.let { inv -> item { InviteCard(inv, platform, vm::closeInvite) } }
            item { SectionTitle(t(S.SyncStatus)) }
            val peers = s.peers.values.sortedByDescending { it.at }
            if (peers.isEmpty()) item { EmptyState(t(S.NeverSynced), t(S.NoPeersHint)) }
            items(peers, key = { "peer-" + it.fingerprint }) { p ->
                val via = when (p.via) { Via.DIRECT -> t(S.ViaDirect); Via.RELAY -> t(S.ViaRelay); null -> null }
                ListItem(
                    headlineContent = { Text(listOfNotNull(p.personName, p.fingerprint).joinToString(" · ")) },
                    supportingContent = {
                        Column {
                            Text(t(S.LastSync, f.relative(p.at, platform.clock.now()), listOfNotNull(via, p.address).joinToString(" ")))
                            if (p.error == null) Text(t(S.Received, f.number(p.received)) + ", " + t(S.Sent, f.number(p.sent)))
                            if (p.refused > 0) Text(t(S.RefusedRecords, f.number(p.refused)), color = MaterialTheme.colorScheme.error)
                            for (r in p.refusals.take(3)) Text(r, style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.error)
                            p.error?.let { Text(t(S.SyncFailed, explain(it)), color = MaterialTheme.colorScheme.error, modifier = Modifier.testTag("peer-error")) }
                        }
                    },
                    modifier = Modifier.testTag("peer-${p.fingerprint}"),
                )
            }
            item { SectionTitle(t(S.SyncWithTicket)) }
            item {
                Column(Modifier.padding(horizontal = 16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Field(t(S.Ticket), s.ticket, { vm.onTicket(it); scan.clearMessage() }, "sync-ticket")
                    ScanMessage(scan)
                    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        ScanButton(scan, enabled = !s.syncing)
                        OutlinedButton(onClick = vm::syncWithTicket, enabled = !s.syncing && s.ticket.isNotBlank(), modifier = Modifier.testTag("sync-ticket-go")) { Text(t(S.SyncThisDevice)) }
                    }
                }
            }
            item { SectionTitle(t(S.Devices)) }
            items(s.devices, key = { "dev-" + it.device }) { d ->
                val role = if (d.admin) t(S.Admin) else t(S.Member)
                val flags = listOfNotNull(role, if (d.thisDevice) t(S.ThisDevice) else null, if (d.revoked) t(S.Revoked) else null)
                ListItem(
                    headlineContent = { Text(d.personName) },
                    supportingContent = { Text(d.fingerprint + " · " + flags.joinToString(", ")) },
                    trailingContent = if (!d.thisDevice && !d.revoked) ({
                        TextButton(onClick = { vm.askRevoke(d) }, modifier = Modifier.semantics { contentDescription = Strings.get(lang, S.RevokeConfirmTitle, d.personName + " " + d.fingerprint) }.testTag("revoke-${d.fingerprint}")) { Text(t(S.Revoke)) }
                    }) else null,
                    modifier = Modifier.testTag("device-${d.fingerprint}"),
                )
            }
            item { SectionTitle(t(S.RelaySettings)) }
            item {
                Column(Modifier.padding(horizontal = 16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    if (s.relayAddress.isBlank()) Text(t(S.RelayNone), style = MaterialTheme.typography.bodySmall)
                    Field(t(S.RelayAddress), s.relayAddress, vm::onRelayAddress, "relay-address", error = s.relayError?.let { explain(it) })
                    Field(t(S.RelayToken), s.relayToken, vm::onRelayToken, "relay-token")
                    OutlinedButton(onClick = vm::saveRelay, modifier = Modifier.testTag("relay-save")) { Text(t(S.RelaySave)) }
                    if (s.relaySaved) Text(t(S.RelaySaved), color = MaterialTheme.colorScheme.tertiary)
                }
            }
        }
    }
    s.revoking?.let { d ->
        AlertDialog(
            onDismissRequest = { vm.askRevoke(null) },
            title = { Text(t(S.RevokeConfirmTitle, d.personName + " (" + d.fingerprint + ")")) },
            text = { Text(t(S.RevokeConfirmText)) },
            confirmButton = {
                TextButton(onClick = vm::confirmRevoke, modifier = Modifier.testTag("revoke-confirm")) { Text(t(S.Revoke), color = MaterialTheme.colorScheme.error) }
            },
            dismissButton = { TextButton(onClick = { vm.askRevoke(null) }, modifier = Modifier.testTag("revoke-cancel")) { Text(t(S.Cancel)) } },
        )
    }
}

@Composable
private fun InviteCard(inv: Invite, platform: Platform, onClose: () -> Unit) {
    val clipboard = LocalClipboardManager.current
    var copied by remember { mutableStateOf(false) }
    ElevatedCard(Modifier.fillMaxWidth().padding(16.dp).testTag("invite-card")) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp), horizontalAlignment = Alignment.CenterHorizontally) {
            Text(t(S.Invite), style = MaterialTheme.typography.titleMedium)
            Text(t(S.InviteText), style = MaterialTheme.typography.bodyMedium)
            QrCode(inv.qr, Modifier.size(240.dp).semantics { contentDescription = "QR: " + inv.ticket }.testTag("invite-qr"))
            SelectionContainer { Text(inv.ticket, fontFamily = FontFamily.Monospace, style = MaterialTheme.typography.bodySmall, modifier = Modifier.testTag("invite-ticket")) }
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = {
                    platform.copy?.invoke(inv.ticket) ?: clipboard.setText(AnnotatedString(inv.ticket))
                    copied = true
                }, modifier = Modifier.testTag("copy-ticket")) { Text(if (copied) t(S.Copied) else t(S.CopyTicket)) }
                OutlinedButton(onClick = onClose) { Text(t(S.Close)) }
            }
        }
    }
}

/** Draws a QR matrix (quiet zone included by the encoder), always dark on white. */
@Composable
fun QrCode(matrix: List<BooleanArray>, modifier: Modifier = Modifier) {
    Canvas(modifier.background(Color.White)) {
        val n = matrix.size
        if (n == 0) return@Canvas
        val cell = size.minDimension / n
        for (y in 0 until n) for (x in 0 until n) {
            if (matrix[y][x]) drawRect(Color.Black, Offset(x * cell, y * cell), Size(cell + 0.5f, cell + 0.5f))
        }
    }
}

/** Your name, the phone region, language and theme. */
@Composable
fun SettingsScreen(gw: DekoGateway, app: AppViewModel, calls: CallLoggingViewModel, nav: Navigator) {
    val scope = rememberCoroutineScope()
    val vm = remember { SettingsViewModel(gw, scope) }
    val s by vm.state.collectAsState()
    val appState by app.state.collectAsState()
    val c by calls.state.collectAsState()
    LaunchedEffect(Unit) { calls.refresh() }
    Column(Modifier.fillMaxSize()) {
        ScreenTitle(t(S.Settings))
        LazyColumn(Modifier.fillMaxSize().testTag("settings"), contentPadding = PaddingValues(bottom = 24.dp)) {
            item {
                ListItem(
                    overlineContent = { Text(t(S.YourNameLabel)) },
                    headlineContent = { Text(s.yourName ?: "—", modifier = Modifier.testTag("your-name-value")) },
                    supportingContent = { Text(t(S.YourNameHint)) },
                )
            }
            item { SectionTitle(t(S.Region)) }
            item {
                Column(Modifier.padding(horizontal = 16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Field(t(S.Region), s.region, vm::onRegion, "region", error = s.regionError?.let { explain(it) })
                    Text(t(S.RegionHint), style = MaterialTheme.typography.bodySmall)
                    Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        OutlinedButton(onClick = vm::saveRegion, modifier = Modifier.testTag("region-save")) { Text(t(S.Save)) }
                        if (s.regionSaved) Text(t(S.Saved), color = MaterialTheme.colorScheme.tertiary)
                    }
                }
            }
            item { SectionTitle(t(S.Language)) }
            item {
                FlowRow(Modifier.padding(horizontal = 16.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    for (l in Lang.entries) FilterChip(appState.lang == l, { app.setLang(l) }, { Text(l.label) }, Modifier.testTag("lang-${l.tag}"))
                }
            }
            item { SectionTitle(t(S.Theme)) }
            item {
                FlowRow(Modifier.padding(horizontal = 16.dp), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    for ((m, label) in listOf(ThemeMode.SYSTEM to S.ThemeSystem, ThemeMode.LIGHT to S.ThemeLight, ThemeMode.DARK to S.ThemeDark)) {
                        FilterChip(appState.theme == m, { app.setTheme(m) }, { Text(t(label)) }, Modifier.testTag("theme-${m.name.lowercase()}"))
                    }
                }
            }
            if (c.available) {
                item { SectionTitle(t(S.ChannelCalls)) }
                item {
                    // turning it on shows why first; the system asks only after "Continue"
                    ListItem(
                        headlineContent = { Text(t(S.CallsRationaleTitle)) },
                        supportingContent = if (c.refused) ({ Text(t(S.CallsRefused), modifier = Modifier.testTag("calls-refused")) }) else null,
                        trailingContent = {
                            Switch(
                                checked = c.on, enabled = !c.asking,
                                onCheckedChange = { on -> if (on) nav.go(Route.CallsRationale) else calls.turnOff() },
                                modifier = Modifier.testTag("calls-switch"),
                            )
                        },
                    )
                }
            }
            item { SectionTitle(t(S.Device)) }
            item { ListItem(headlineContent = { Text(s.fingerprint) }, supportingContent = { Text(t(S.Version) + " " + s.version) }) }
        }
    }
}
