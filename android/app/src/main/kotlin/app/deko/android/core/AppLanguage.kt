package app.deko.android.core

import android.content.Context
import app.deko.ui.i18n.Lang
import app.deko.ui.i18n.S
import app.deko.ui.i18n.Strings

/**
 * The language the user chose in the app's settings, for texts shown
 * outside the Compose screens (notifications, rationales): the same
 * preference the screens keep (SharedPreferences `deko-ui`, key `lang`,
 * written by the ui's androidPlatform) and the same strings source.
 */
object AppLanguage {
    const val PREFS = "deko-ui"
    const val KEY = "lang"

    fun of(context: Context): Lang {
        val tag = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE).getString(KEY, null)
        return Lang.entries.find { it.tag == tag } ?: Lang.EN
    }

    fun set(context: Context, lang: Lang) {
        context.getSharedPreferences(PREFS, Context.MODE_PRIVATE).edit().putString(KEY, lang.tag).apply()
    }
}

/** A text of the strings source in the app's language. */
fun Context.text(key: S, vararg args: Any): String = Strings.get(AppLanguage.of(this), key, *args)
