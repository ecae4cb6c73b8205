package app.deko.android.input

import android.view.KeyEvent
import app.deko.ui.nav.Route
import app.deko.ui.nav.Section

/** What a shortcut does: the same set as the desktop app's menu (Ctrl+N, Ctrl+L, Ctrl+R, Ctrl+1…6). */
sealed interface ShortcutAction {
    data class Show(val route: Route) : ShortcutAction
    data class Select(val section: Section) : ShortcutAction
    data object SyncNow : ShortcutAction
}

/** Keyboard shortcuts on a tablet with a keyboard: Ctrl + key to an action, or null. */
object KeyboardShortcuts {
    fun action(keyCode: Int, ctrl: Boolean): ShortcutAction? {
        if (!ctrl) return null
        return when (keyCode) {
            KeyEvent.KEYCODE_N -> ShortcutAction.Show(Route.EditPerson(null))
            KeyEvent.KEYCODE_L -> ShortcutAction.Show(Route.LogCall(null))
            KeyEvent.KEYCODE_R -> ShortcutAction.SyncNow
            in KeyEvent.KEYCODE_1..KeyEvent.KEYCODE_6 -> ShortcutAction.Select(Section.entries[keyCode - KeyEvent.KEYCODE_1])
            else -> null
        }
    }

    fun action(event: KeyEvent): ShortcutAction? =
        if (event.action == KeyEvent.ACTION_DOWN) action(event.keyCode, event.isCtrlPressed) else null
}
