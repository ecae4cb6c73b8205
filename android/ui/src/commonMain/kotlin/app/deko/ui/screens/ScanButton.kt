package app.deko.ui.screens

import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import app.deko.ui.i18n.S
import app.deko.ui.i18n.t
import app.deko.ui.vm.ScanViewModel

/** "Scan QR code" beside a ticket field, only where the platform can scan; off while it scans. */
@Composable
fun ScanButton(vm: ScanViewModel, enabled: Boolean = true) {
    val s by vm.state.collectAsState()
    if (!s.available) return
    OutlinedButton(onClick = vm::scan, enabled = enabled && !s.scanning, modifier = Modifier.testTag("scan-qr")) { Text(t(S.ScanQr)) }
}

/** Why the last scan gave no ticket (no code, camera refused, no camera), under the field. */
@Composable
fun ScanMessage(vm: ScanViewModel) {
    val s by vm.state.collectAsState()
    s.message?.let { Message(t(it), error = true, tag = "scan-message") }
}
