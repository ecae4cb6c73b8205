@file:OptIn(ExperimentalTestApi::class)

package app.deko.ui

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.requiredSize
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.*
import androidx.compose.ui.unit.Density
import androidx.compose.ui.unit.dp
import app.deko.ui.data.PersonForm
import app.deko.ui.data.PhoneKind
import app.deko.ui.data.PhoneNumber
import app.deko.ui.i18n.Lang
import app.deko.ui.jvm.FfiGateway
import app.deko.ui.jvm.JvmFormats
import app.deko.ui.jvm.SystemClock
import app.deko.ui.nav.Navigator
import app.deko.ui.vm.MemoryPrefs
import app.deko.ui.vm.TicketScanner
import kotlinx.coroutines.runBlocking
import java.io.File
import java.nio.file.Files

/** Real databases (the real library, through the generated Kotlin and JNA) in a temporary folder. */
class Dbs : AutoCloseable {
    val dir: File = Files.createTempDirectory("deko-ui").toFile()
    private val open = mutableListOf<FfiGateway>()

    fun open(name: String, region: String? = "CZ"): FfiGateway =
        FfiGateway.open(File(dir, name).path, region, listen = "127.0.0.1:0").also { open += it }

    /** A database that founded a team. */
    fun founder(name: String = "a.db", you: String = "Alena Malá"): FfiGateway =
        open(name).also { runBlocking { it.createTeam("Acme s.r.o.", you) } }

    override fun close() {
        open.asReversed().forEach { runCatching { it.close() } }
        dir.deleteRecursively()
    }
}

fun platform(lang: Lang = Lang.EN, startSync: Boolean = false, scanner: TicketScanner? = null, theme: String = "LIGHT") = Platform(
    clock = SystemClock(),
    formats = { JvmFormats(it) },
    prefs = MemoryPrefs(mapOf("lang" to lang.tag, "theme" to theme)),
    startSync = startSync,
    scanner = scanner,
)

val PHONE = 411.dp to 891.dp
val TABLET = 1280.dp to 800.dp

/** The app at a device's size (and font scale), as a user would see it. */
@Composable
fun Device(size: Pair<androidx.compose.ui.unit.Dp, androidx.compose.ui.unit.Dp> = PHONE, fontScale: Float = 1f, content: @Composable () -> Unit) {
    val d = LocalDensity.current
    CompositionLocalProvider(LocalDensity provides Density(d.density, fontScale)) {
        Box(Modifier.requiredSize(size.first, size.second)) { content() }
    }
}

fun ComposeUiTest.app(
    gw: FfiGateway, lang: Lang = Lang.EN, size: Pair<androidx.compose.ui.unit.Dp, androidx.compose.ui.unit.Dp> = PHONE, nav: Navigator = Navigator(),
    startSync: Boolean = false, fontScale: Float = 1f, scanner: TicketScanner? = null,
) {
    val p = platform(lang, startSync, scanner)
    setContent { Device(size, fontScale) { DekoApp(gw, p, nav) } }
}

/** On the first-run screen, joins a team with [ticket] as [name], as a user types and taps. */
fun ComposeUiTest.joinOnScreen(ticket: String, name: String = "Bohdan") {
    waitForTag("first-run")
    onNodeWithTag("mode-join").performClick()
    onNodeWithTag("ticket").performTextInput(ticket)
    onNodeWithTag("your-name").performTextInput(name)
    onNodeWithTag("join").performClick()
}

/** Waits (a bound, not a timing assertion) for a node to appear. */
fun ComposeUiTest.waitFor(matcher: SemanticsMatcher, seconds: Int = 15) {
    try {
        waitUntil(timeoutMillis = seconds * 1000L) { onAllNodes(matcher, useUnmergedTree = true).fetchSemanticsNodes().isNotEmpty() }
    } catch (e: Throwable) {
        throw AssertionError("gave up waiting for ${matcher.description}; the screen shows: ${texts().joinToString(" | ")}", e)
    }
}

fun ComposeUiTest.waitForTag(tag: String, seconds: Int = 15) = waitFor(hasTestTag(tag), seconds)
fun ComposeUiTest.waitForText(text: String, substring: Boolean = false, seconds: Int = 15) = waitFor(hasText(text, substring = substring), seconds)

fun ComposeUiTest.waitGone(matcher: SemanticsMatcher, seconds: Int = 15) =
    waitUntil(timeoutMillis = seconds * 1000L) { onAllNodes(matcher, useUnmergedTree = true).fetchSemanticsNodes().isEmpty() }

/** Every text on the screen (unmerged), for messages and the language checks. */
fun ComposeUiTest.texts(): List<String> =
    onAllNodes(SemanticsMatcher("any") { true }, useUnmergedTree = true).fetchSemanticsNodes().flatMap { n ->
        val c = n.config
        (if (SemanticsProperties.Text in c) c[SemanticsProperties.Text].map { it.text } else emptyList()) +
            (if (SemanticsProperties.EditableText in c) listOf(c[SemanticsProperties.EditableText].text) else emptyList())
    }

fun ComposeUiTest.typeInto(tag: String, text: String) {
    onNodeWithTag(tag).performTextClearance()
    onNodeWithTag(tag).performTextInput(text)
}

suspend fun FfiGateway.person(given: String, family: String, phone: String? = null, company: String = "", title: String = ""): String =
    savePerson(null, PersonForm(given, family, title, company, listOfNotNull(phone?.let { PhoneNumber(PhoneKind.MOBILE, it) }), emptyList(), ""))

/**
 * A UI test on a root big enough for a phone (411×891 dp) or a tablet (1280×800 dp), at density 1.
 *
 * The composition's coroutines (the view models' scopes) run on a queued test
 * dispatcher (the v2 API), as on a phone's main thread: a coroutine resumed
 * after a call into the core on an IO thread continues on the UI thread. The
 * v1 API's unconfined dispatcher continued it on the IO thread, so state reached
 * the screen through a write from another thread, and about 1 in 40 such
 * updates never recomposed the screen (seen as rare 15 s timeouts; 7 in 300
 * repetitions of one test, none in 300 with this).
 */
fun uiTest(block: suspend ComposeUiTest.() -> Unit) =
    androidx.compose.ui.test.v2.runSkikoComposeUiTest(androidx.compose.ui.geometry.Size(1300f, 1000f), Density(1f)) { block() }

/** The text of the node with [tag], with the locale's no-break spaces as plain spaces. */
fun ComposeUiTest.textOf(tag: String): String =
    onNodeWithTag(tag, useUnmergedTree = true).fetchSemanticsNode().config[SemanticsProperties.Text]
        .joinToString { it.text }.replace('\u00a0', ' ').replace('\u202f', ' ')
