@file:OptIn(ExperimentalTestApi::class)

package app.deko.ui

import androidx.compose.ui.semantics.SemanticsActions
import androidx.compose.ui.semantics.SemanticsNode
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.*
import androidx.compose.ui.text.TextLayoutResult
import app.deko.ui.i18n.Lang
import app.deko.ui.nav.Navigator
import app.deko.ui.shots.Screens
import app.deko.ui.shots.Showcase
import org.junit.Assert.assertTrue
import org.junit.Test

/** Every interactive element has a label and a 48 dp target; text scales to 200% without clipping. */
class AccessibilityTest {
    private fun label(n: SemanticsNode): String? {
        val c = n.config
        val parts = (c.getOrNull(SemanticsProperties.ContentDescription).orEmpty() + c.getOrNull(SemanticsProperties.Text).orEmpty().map { it.text } +
            listOfNotNull(c.getOrNull(SemanticsProperties.EditableText)?.text?.takeIf { it.isNotEmpty() })).filter { it.isNotBlank() }
        return parts.joinToString(" ").ifEmpty { null }
    }

    private fun ComposeUiTest.problems(screen: String): List<String> {
        val clickable = onAllNodes(SemanticsMatcher.keyIsDefined(SemanticsActions.OnClick)).fetchSemanticsNodes()
        assertTrue("$screen has interactive elements", clickable.isNotEmpty())
        val min = 48f * clickable.first().layoutInfo.density.density - 0.5f
        return clickable.mapNotNull { n ->
            val l = label(n)
            // The touch target (Material's minimum interactive size included), for
            // elements wholly on screen (a row cut by the list's edge is smaller).
            val whole = n.boundsInRoot.width >= n.size.width - 1 && n.boundsInRoot.height >= n.size.height - 1
            val touch = n.touchBoundsInRoot
            when {
                l == null -> "$screen: unlabelled ${n.config}"
                whole && (touch.width < min || touch.height < min) -> "$screen: \"$l\" is ${touch.width} x ${touch.height} px, under 48 dp"
                else -> null
            }
        }
    }

    @Test
    fun everyInteractiveElementIsLabelledAndLargeEnough() = Dbs().use { dbs ->
        val (gw, ids) = Showcase.create(dbs.dir, "a11y.db", Lang.EN)
        val found = mutableListOf<String>()
        for ((name, route) in Screens.routes(ids) + ("first-run" to null)) {
            for (size in listOf(PHONE, TABLET)) uiTest {
                app(if (route == null) dbs.open("fresh-$name.db") else gw, size = size, nav = Navigator().also { if (route != null) it.show(route) })
                waitForIdleScreen(route == null)
                if (route == null) onNodeWithTag("mode-join").performClick()
                found += problems("$name@${size.first}")
            }
        }
        assertTrue(found.joinToString("\n"), found.isEmpty())
    }

    @Test
    fun keyScreensShowAllTextAt200Percent() = Dbs().use { dbs ->
        val (gw, ids) = Showcase.create(dbs.dir, "big.db", Lang.CS)
        val key = Screens.routes(ids).filter { it.first in setOf("people", "person", "log-call", "tasks") } + ("first-run" to null)
        val clipped = mutableListOf<String>()
        for (lang in listOf(Lang.EN, Lang.CS)) for ((name, route) in key) uiTest {
            app(if (route == null) dbs.open("fresh-$name-${lang.tag}.db") else gw, lang = lang, fontScale = 2f, nav = Navigator().also { if (route != null) it.show(route) })
            waitForIdleScreen(route == null)
            for (n in onAllNodes(SemanticsMatcher.keyIsDefined(SemanticsActions.GetTextLayoutResult), useUnmergedTree = true).fetchSemanticsNodes()) {
                val results = mutableListOf<TextLayoutResult>()
                n.config[SemanticsActions.GetTextLayoutResult].action?.invoke(results)
                val r = results.firstOrNull() ?: continue
                // Cut: lines left out or ellipsised, wider than its box, or a line whose
                // baseline falls outside it (line-height padding past the box is not a cut).
                val editable = androidx.compose.ui.semantics.SemanticsProperties.EditableText in n.config
                val lastBaseline = r.getLineBaseline(r.lineCount - 1)
                val cut = r.multiParagraph.didExceedMaxLines || (0 until r.lineCount).any { r.isLineEllipsized(it) } ||
                    (!editable && (0 until r.lineCount).any { r.getLineRight(it) > r.size.width + 1 }) || lastBaseline > r.size.height + 1
                if (cut) clipped += "$name/${lang.tag}: \"${r.layoutInput.text}\" cut (${r.size}, ${r.lineCount} lines, baseline $lastBaseline, text ${r.multiParagraph.height}, maxLines ${r.multiParagraph.didExceedMaxLines}, w ${r.didOverflowWidth})"
            }
        }
        assertTrue(clipped.joinToString("\n"), clipped.isEmpty())
    }
}
