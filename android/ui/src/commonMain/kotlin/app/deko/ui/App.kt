package app.deko.ui

import androidx.compose.foundation.layout.*
import androidx.compose.material3.*
import androidx.compose.runtime.*
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import app.deko.ui.data.DekoGateway
import app.deko.ui.format.Clock
import app.deko.ui.format.Formats
import app.deko.ui.format.LocalFormats
import app.deko.ui.i18n.Lang
import app.deko.ui.i18n.LocalLang
import app.deko.ui.i18n.S
import app.deko.ui.i18n.t
import app.deko.ui.nav.Navigator
import app.deko.ui.nav.Route
import app.deko.ui.nav.Section
import app.deko.ui.screens.*
import app.deko.ui.theme.DekoTheme
import app.deko.ui.vm.AppViewModel
import app.deko.ui.vm.CallLogging
import app.deko.ui.vm.CallLoggingViewModel
import app.deko.ui.vm.FirstRunMode
import app.deko.ui.vm.Phase
import app.deko.ui.vm.TicketScanner
import app.deko.ui.vm.UiPrefs

/** What differs per platform, handed in by the desktop app, the Android app, tests and renders. */
class Platform(
    val clock: Clock,
    val formats: (Lang) -> Formats,
    val prefs: UiPrefs,
    /** Dial a number (phones); null where the device cannot call. */
    val dial: ((String) -> Unit)? = null,
    /** Put text on the clipboard (invite links). */
    val copy: ((String) -> Unit)? = null,
    /** Start sync when the database belongs to a team (renders keep it off). */
    val startSync: Boolean = true,
    /** Following calls to offer logging them (the Android app); null where the device cannot. */
    val callLogging: CallLogging? = null,
    /** Reading a ticket's QR code (the camera, a picture); null where the platform cannot: no "Scan QR code" button. */
    val scanner: TicketScanner? = null,
)

/** Width from which screens show a list and a detail side by side. */
val WIDE = 840.dp

/** The whole app: first run (starting at [firstRun]'s choice), or the sections with their screens. */
@Composable
fun DekoApp(gateway: DekoGateway, platform: Platform, navigator: Navigator = remember { Navigator() }, firstRun: FirstRunMode = FirstRunMode.CHOOSE) {
    val scope = rememberCoroutineScope()
    val app = remember(gateway) { AppViewModel(gateway, scope, platform.prefs, platform.startSync) }
    val state by app.state.collectAsState()
    val calls = remember(platform) { CallLoggingViewModel(platform.callLogging) }
    val formats = remember(state.lang) { platform.formats(state.lang) }
    CompositionLocalProvider(LocalLang provides state.lang, LocalFormats provides formats) {
        DekoTheme(state.theme) {
            Surface(Modifier.fillMaxSize(), color = MaterialTheme.colorScheme.background) {
                when (state.phase) {
                    Phase.LOADING -> Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) {
                        CircularProgressIndicator(Modifier.semantics { contentDescription = "…" })
                    }
                    Phase.FIRST_RUN -> FirstRunScreen(gateway, onDone = { navigator.select(Section.PEOPLE); app.teamReady() }, platform.scanner, firstRun)
                    Phase.MAIN -> MainScreen(gateway, platform, navigator, app, calls)
                }
            }
        }
    }
}

private val PHONE_SECTIONS = listOf(Section.PEOPLE, Section.TASKS, Section.DEALS, Section.TEAM, Section.SETTINGS)

@Composable
fun sectionLabel(s: Section): String = when (s) {
    Section.PEOPLE -> t(S.People)
    Section.TASKS -> t(S.Tasks)
    Section.DEALS -> t(S.Deals)
    Section.CONFLICTS -> t(S.Conflicts)
    Section.TEAM -> t(S.TeamSync)
    Section.SETTINGS -> t(S.Settings)
}

private fun glyph(s: Section) = when (s) {
    Section.PEOPLE -> "☺"
    Section.TASKS -> "✓"
    Section.DEALS -> "€"
    Section.CONFLICTS -> "⚠"
    Section.TEAM -> "⇄"
    Section.SETTINGS -> "⚙"
}

@Composable
private fun MainScreen(gw: DekoGateway, platform: Platform, nav: Navigator, app: AppViewModel, calls: CallLoggingViewModel) {
    val stack by nav.stack.collectAsState()
    val appState by app.state.collectAsState()
    val route = stack.last()
    BoxWithConstraints(Modifier.fillMaxSize()) {
        val wide = maxWidth >= WIDE
        if (wide) {
            Row(Modifier.fillMaxSize()) {
                NavigationRail(Modifier.testTag("rail")) {
                    Spacer(Modifier.height(8.dp))
                    for (s in Section.entries) {
                        NavigationRailItem(
                            selected = route.section == s,
                            onClick = { nav.select(s) },
                            icon = { SectionIcon(s, if (s == Section.CONFLICTS) appState.conflicts else 0) },
                            label = { Text(when (s) { Section.TEAM -> t(S.NavTeam); Section.SETTINGS -> t(S.NavSettings); else -> sectionLabel(s) }, textAlign = androidx.compose.ui.text.style.TextAlign.Center) },
                            modifier = Modifier.testTag("nav-${s.name.lowercase()}"),
                        )
                    }
                }
                VerticalDivider()
                Box(Modifier.weight(1f)) { SectionContent(gw, platform, nav, app, calls, route, wide = true) }
            }
        } else {
            Scaffold(
                bottomBar = {
                    NavigationBar {
                        // With large text the labels cannot fit five across: the glyphs
                        // stay, and each item keeps its name for screen readers.
                        val labels = LocalDensity.current.fontScale < 1.3f
                        for (s in PHONE_SECTIONS) {
                            val name = when (s) { Section.TEAM -> t(S.NavTeam); Section.SETTINGS -> t(S.NavSettings); else -> sectionLabel(s) }
                            NavigationBarItem(
                                selected = route.section == s,
                                onClick = { nav.select(s) },
                                icon = { SectionIcon(s, 0) },
                                label = if (labels) ({ Text(name, maxLines = 1, style = MaterialTheme.typography.labelSmall) }) else null,
                                modifier = Modifier.testTag("nav-${s.name.lowercase()}").semantics { contentDescription = name },
                            )
                        }
                    }
                },
            ) { pad ->
                Box(Modifier.padding(pad)) { SectionContent(gw, platform, nav, app, calls, route, wide = false) }
            }
        }
    }
}

@Composable
private fun SectionIcon(s: Section, badge: Int) {
    if (badge > 0) {
        // The glyph sits in an icon-sized box so the badge goes at its corner, not over it.
        BadgedBox(badge = { Badge(Modifier.offset(x = 6.dp, y = (-2).dp)) { Text(badge.toString()) } }) {
            Box(Modifier.size(24.dp), contentAlignment = Alignment.Center) { Text(glyph(s), style = MaterialTheme.typography.titleMedium) }
        }
    } else {
        Text(glyph(s), style = MaterialTheme.typography.titleMedium)
    }
}

@Composable
private fun SectionContent(gw: DekoGateway, platform: Platform, nav: Navigator, app: AppViewModel, calls: CallLoggingViewModel, route: Route, wide: Boolean) {
    when (route.section) {
        Section.PEOPLE -> {
            if (wide) {
                Row(Modifier.fillMaxSize()) {
                    Box(Modifier.width(400.dp).fillMaxHeight()) { PeopleListScreen(gw, platform, nav, app, route) }
                    VerticalDivider()
                    Box(Modifier.weight(1f).fillMaxHeight()) {
                        if (route == Route.People) {
                            EmptyState(t(S.People), t(S.PickSomeone), Modifier.align(Alignment.Center))
                        } else {
                            PeopleDetailRoute(gw, platform, nav, route, wide = true)
                        }
                    }
                }
            } else if (route == Route.People) {
                PeopleListScreen(gw, platform, nav, app, route)
            } else {
                PeopleDetailRoute(gw, platform, nav, route, wide = false)
            }
        }
        Section.TASKS -> TasksScreen(gw, platform, nav)
        Section.DEALS -> DealsScreen(gw)
        Section.CONFLICTS -> ConflictsScreen(gw, onChanged = { app.refreshConflicts() })
        Section.TEAM -> TeamScreen(gw, platform, nav, app)
        Section.SETTINGS -> if (route == Route.CallsRationale) CallsRationaleScreen(calls, nav) else SettingsScreen(gw, app, calls, nav)
    }
}

@Composable
private fun PeopleDetailRoute(gw: DekoGateway, platform: Platform, nav: Navigator, route: Route, wide: Boolean) {
    key(route) {
        when (route) {
            is Route.PersonDetail -> PersonDetailScreen(gw, platform, nav, route.id, wide)
            is Route.CompanyDetail -> CompanyDetailScreen(gw, platform, nav, route.id, wide)
            is Route.EditPerson -> EditPersonScreen(gw, nav, route.id, route.number)
            is Route.LogCall -> CallSheet(gw, platform, nav, route)
            is Route.LogMeeting -> ActivitySheet(gw, platform, nav, route.personId, meeting = true)
            is Route.AddNote -> ActivitySheet(gw, platform, nav, route.personId, meeting = false)
            Route.UnknownNumbers -> UnknownNumbersScreen(gw, nav)
            else -> {}
        }
    }
}
