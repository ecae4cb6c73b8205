package app.deko.ui.nav

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/** The top-level places of the app (bottom bar on a phone, rail on wider screens). */
enum class Section { PEOPLE, TASKS, DEALS, CONFLICTS, TEAM, SETTINGS }

/** Where the user is. Detail routes live on top of their section's root. */
sealed interface Route {
    val section: Section

    data object People : Route { override val section = Section.PEOPLE }
    data class PersonDetail(val id: String) : Route { override val section = Section.PEOPLE }
    data class CompanyDetail(val id: String) : Route { override val section = Section.PEOPLE }
    /** A person's form: [id] null makes a new person, with [number] (a call's unknown number) filled in. */
    data class EditPerson(val id: String?, val number: String? = null) : Route { override val section = Section.PEOPLE }
    data class LogCall(val personId: String?, val number: String? = null, val start: Long? = null, val durationS: Long? = null) : Route {
        override val section = Section.PEOPLE
    }
    data class LogMeeting(val personId: String?) : Route { override val section = Section.PEOPLE }
    data class AddNote(val personId: String?) : Route { override val section = Section.PEOPLE }
    /** Numbers with calls that belong to nobody yet, each to give to a person. */
    data object UnknownNumbers : Route { override val section = Section.PEOPLE }
    data object Tasks : Route { override val section = Section.TASKS }
    data object Deals : Route { override val section = Section.DEALS }
    data object Conflicts : Route { override val section = Section.CONFLICTS }
    data object Team : Route { override val section = Section.TEAM }
    data object Settings : Route { override val section = Section.SETTINGS }
    /** Why "log calls after hanging up" needs its permissions, before the system asks. */
    data object CallsRationale : Route { override val section = Section.SETTINGS }

    companion object {
        fun root(section: Section): Route = when (section) {
            Section.PEOPLE -> People
            Section.TASKS -> Tasks
            Section.DEALS -> Deals
            Section.CONFLICTS -> Conflicts
            Section.TEAM -> Team
            Section.SETTINGS -> Settings
        }
    }
}

/** A back stack: UI state only. */
class Navigator(start: Route = Route.People) {
    private val _stack = MutableStateFlow(listOf(start))
    val stack: StateFlow<List<Route>> = _stack.asStateFlow()
    val current: Route get() = _stack.value.last()

    fun go(route: Route) {
        _stack.value = _stack.value + route
    }

    /** Replaces everything above the section root (list–detail: one detail at a time). */
    fun show(route: Route) {
        _stack.value = listOf(Route.root(route.section)) + if (route == Route.root(route.section)) emptyList() else listOf(route)
    }

    fun select(section: Section) {
        _stack.value = listOf(Route.root(section))
    }

    fun back(): Boolean {
        if (_stack.value.size <= 1) return false
        _stack.value = _stack.value.dropLast(1)
        return true
    }

    /** Pops the top and replaces it with [route]. */
    fun replace(route: Route) {
        _stack.value = _stack.value.dropLast(1) + route
    }
}
