package app.deko.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.*
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.*
import androidx.compose.runtime.*
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.unit.dp
import app.deko.ui.data.DekoGateway
import app.deko.ui.format.LocalFormats
import app.deko.ui.i18n.S
import app.deko.ui.i18n.explain
import app.deko.ui.i18n.t
import app.deko.ui.nav.Navigator
import app.deko.ui.nav.Route
import app.deko.ui.vm.UnknownNumbersViewModel

/** Numbers without a person: tap one to give it to someone found by search, or to make a new person with it. */
@Composable
fun UnknownNumbersScreen(gw: DekoGateway, nav: Navigator) {
    val scope = rememberCoroutineScope()
    val vm = remember { UnknownNumbersViewModel(gw, scope) }
    val s by vm.state.collectAsState()
    val f = LocalFormats.current
    Column(Modifier.fillMaxSize()) {
        DetailTopBar(t(S.UnknownNumbers), nav)
        s.given?.let { (number, name) -> Message(t(S.NumberGiven, number, name), error = false, modifier = Modifier.padding(horizontal = 16.dp)) }
        s.error?.let { Message(explain(it), error = true, modifier = Modifier.padding(horizontal = 16.dp)) }
        LazyColumn(Modifier.fillMaxSize().testTag("unknown-numbers"), contentPadding = PaddingValues(bottom = 24.dp)) {
            if (s.loaded && s.numbers.isEmpty()) item { EmptyState(t(S.NoUnknownNumbers), t(S.NoUnknownNumbersHint)) }
            items(s.numbers, key = { it.number }) { n ->
                val open = s.open == n.number
                ListItem(
                    headlineContent = { Text(n.display) },
                    supportingContent = { Text(t(S.UnknownCalls, n.calls, f.date(n.last))) },
                    modifier = Modifier.clickable { vm.open(if (open) null else n.number) }.testTag("unknown-${n.number}"),
                )
                if (open) {
                    Column(Modifier.padding(start = 16.dp, end = 16.dp, bottom = 12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                        OutlinedButton(onClick = { nav.go(Route.EditPerson(null, n.number)) }, modifier = Modifier.testTag("unknown-new-person")) { Text(t(S.NewPerson)) }
                        Field(t(S.AttachTo), s.query, vm::onQuery, "unknown-search")
                        for (h in s.hits) {
                            ListItem(headlineContent = { Text(h.name) }, modifier = Modifier.clickable { vm.give(n, h) }.testTag("give-${h.id}"))
                        }
                    }
                }
            }
        }
    }
}
