@file:OptIn(ExperimentalTestApi::class)

package app.deko.ui

import androidx.compose.ui.test.*
import app.deko.ui.i18n.Lang
import app.deko.ui.i18n.S
import app.deko.ui.i18n.Strings
import app.deko.ui.nav.Navigator
import app.deko.ui.shots.Screens
import app.deko.ui.shots.Showcase
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

class StringsTest {
    private val args = Regex("\\{\\d}")

    @Test
    fun everyLanguageHasEveryKeyWithTheSameArguments() {
        for (lang in Lang.entries) {
            val table = Strings.table(lang)
            val missing = S.entries.filter { table[it].isNullOrBlank() }
            assertEquals("$lang lacks keys", emptyList<S>(), missing)
            for (k in S.entries) {
                assertEquals("$lang $k arguments", args.findAll(Strings.table(Lang.EN)[k]!!).map { it.value }.toSet(), args.findAll(table[k]!!).map { it.value }.toSet())
            }
        }
    }

    /** The English texts a Czech screen must not show: every English string that Czech words differently. */
    private fun englishOnly(): List<Regex> {
        val en = Strings.table(Lang.EN)
        val cs = Strings.table(Lang.CS)
        return S.entries.filter { en[it] != cs[it] }.map { k ->
            val parts = en[k]!!.split(args).map { Regex.escape(it) }
            Regex(parts.joinToString(".*"))
        } + listOf(Regex("Today .*"), Regex("Yesterday .*"))
    }

    @Test
    fun aCzechScreenShowsNoEnglish() = Dbs().use { dbs ->
        val (gw, ids) = Showcase.create(dbs.dir, "cs.db", Lang.CS)
        val english = englishOnly()
        for ((name, route) in Screens.routes(ids) + ("first-run" to null)) {
            uiTest {
                val target = if (route == null) dbs.open("empty-$name.db") else gw
                app(target, lang = Lang.CS, nav = Navigator().also { if (route != null) it.show(route) })
                waitForIdleScreen(route == null)
                val shown = texts()
                val bad = shown.filter { text -> english.any { it.matches(text) } }
                assertTrue("English on the Czech $name screen: $bad (all: $shown)", bad.isEmpty())
                assertTrue("the Czech $name screen shows Czech: $shown", shown.any { t -> Strings.table(Lang.CS).values.any { it == t } })
            }
        }
    }
}

/** Waits until the screen has loaded its data (its main list or form is there). */
fun ComposeUiTest.waitForIdleScreen(firstRun: Boolean) {
    if (firstRun) waitForTag("first-run") else waitFor(
        hasTestTag("people-list") or hasTestTag("detail") or hasTestTag("edit-form") or hasTestTag("call-sheet") or
            hasTestTag("activity-sheet") or hasTestTag("tasks") or hasTestTag("settings") or hasTestTag("team") or
            hasTestTag("conflicts") or hasTestTag("pipeline") or hasTestTag("calls-rationale") or hasTestTag("unknown-numbers"),
    )
    waitForIdle()
    Thread.sleep(300)
    waitForIdle()
}
