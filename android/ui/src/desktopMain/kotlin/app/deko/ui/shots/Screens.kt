package app.deko.ui.shots

import app.deko.ui.nav.Route

/** Every screen, by name, on showcase data: what the renders, language and accessibility tests walk through. */
object Screens {
    fun routes(s: Showcase.Ids): List<Pair<String, Route>> = listOf(
        "people" to Route.People,
        "person" to Route.PersonDetail(s.jan),
        "company" to Route.CompanyDetail(s.company),
        "edit-person" to Route.EditPerson(s.jan),
        "log-call" to Route.LogCall(s.jan),
        "log-meeting" to Route.LogMeeting(s.jan),
        "unknown-numbers" to Route.UnknownNumbers,
        "tasks" to Route.Tasks,
        "deals" to Route.Deals,
        "conflicts" to Route.Conflicts,
        "team" to Route.Team,
        "settings" to Route.Settings,
        "calls-rationale" to Route.CallsRationale,
    )
}
