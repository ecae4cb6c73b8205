package app.deko.android.calls

import android.content.Context
import android.content.Intent
import app.deko.ui.data.CallDirection
import app.deko.ui.nav.Route

/**
 * "Open the log-a-call sheet with these": what a call notification's tap
 * (Add note), "Attach to…" and "New person" hand to the activity, as Intent
 * extras. The activity turns it into the ui's [Route] (the sheet prefilled
 * with number, start, duration and person, or the new-person form).
 */
data class LogCallRequest(
    val number: String?,
    val start: Long,
    val durationS: Long,
    val direction: CallDirection,
    val personId: String?,
    val newPerson: Boolean = false,
) {
    fun route(): Route = if (newPerson) Route.EditPerson(null, number) else Route.LogCall(personId, number, start, durationS)

    fun intent(context: Context): Intent = Intent(ACTION).setClassName(context, MAIN_ACTIVITY)
        .addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TOP)
        .putExtra(EXTRA_NUMBER, number)
        .putExtra(EXTRA_START, start)
        .putExtra(EXTRA_DURATION, durationS)
        .putExtra(EXTRA_DIRECTION, direction.name)
        .putExtra(EXTRA_PERSON, personId)
        .putExtra(EXTRA_NEW_PERSON, newPerson)

    companion object {
        const val ACTION = "app.deko.action.LOG_CALL"
        /** The Compose activity (src/compose: built by Gradle only), named here so this file needs no androidx. */
        const val MAIN_ACTIVITY = "app.deko.android.MainActivity"
        private const val EXTRA_NUMBER = "number"
        private const val EXTRA_START = "start"
        private const val EXTRA_DURATION = "duration_s"
        private const val EXTRA_DIRECTION = "direction"
        private const val EXTRA_PERSON = "person"
        private const val EXTRA_NEW_PERSON = "new_person"

        /** The request an intent carries, or null when it is not one (or is malformed: it may come from anywhere). */
        fun of(intent: Intent?): LogCallRequest? {
            if (intent?.action != ACTION) return null
            val start = intent.getLongExtra(EXTRA_START, -1).takeIf { it >= 0 } ?: return null
            return LogCallRequest(
                number = intent.getStringExtra(EXTRA_NUMBER)?.takeIf { it.isNotBlank() },
                start = start,
                durationS = intent.getLongExtra(EXTRA_DURATION, 0).coerceAtLeast(0),
                direction = CallDirection.entries.find { it.name == intent.getStringExtra(EXTRA_DIRECTION) } ?: CallDirection.OUT,
                personId = intent.getStringExtra(EXTRA_PERSON)?.takeIf { it.isNotBlank() },
                newPerson = intent.getBooleanExtra(EXTRA_NEW_PERSON, false),
            )
        }
    }
}
