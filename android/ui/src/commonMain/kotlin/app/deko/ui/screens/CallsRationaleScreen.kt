package app.deko.ui.screens

import androidx.compose.foundation.layout.*
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.*
import androidx.compose.runtime.*
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import app.deko.ui.i18n.S
import app.deko.ui.i18n.t
import app.deko.ui.nav.Navigator
import app.deko.ui.vm.CallLoggingViewModel

/**
 * Before the system asks for anything: why "log calls after hanging up"
 * needs each permission, and that nothing leaves the phone. "Continue" lets
 * the platform ask, "Not now" goes back with the feature off; either way
 * calls can be logged by hand.
 */
@Composable
fun CallsRationaleScreen(vm: CallLoggingViewModel, nav: Navigator) {
    val s by vm.state.collectAsState()
    Column(Modifier.fillMaxSize()) {
        DetailTopBar("", nav)
        Box(Modifier.fillMaxSize().verticalScroll(rememberScrollState()), contentAlignment = Alignment.TopCenter) {
            Column(
                Modifier.widthIn(max = 560.dp).fillMaxWidth().padding(horizontal = 24.dp).padding(bottom = 24.dp).testTag("calls-rationale"),
                verticalArrangement = Arrangement.spacedBy(12.dp),
            ) {
                Text(t(S.CallsRationaleTitle), style = MaterialTheme.typography.headlineSmall)
                Text(t(S.CallsRationaleText), style = MaterialTheme.typography.bodyLarge)
                for ((key, tag) in listOf(S.CallsWhyPhone to "why-phone", S.CallsWhyScreening to "why-screening", S.CallsWhyNotifications to "why-notifications")) {
                    Row(horizontalArrangement = Arrangement.spacedBy(12.dp)) {
                        Text("•", style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.primary)
                        Text(t(key), style = MaterialTheme.typography.bodyMedium, modifier = Modifier.testTag(tag))
                    }
                }
                Message(t(S.CallsRationalePrivacy), error = false, tag = "calls-privacy")
                Button(
                    onClick = { vm.proceed { nav.back() } }, enabled = !s.asking,
                    modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp).testTag("calls-continue"),
                ) { Text(t(S.Continue)) }
                TextButton(
                    onClick = { nav.back() }, enabled = !s.asking,
                    modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp).testTag("calls-not-now"),
                ) { Text(t(S.NotNow)) }
            }
        }
    }
}
