package app.deko.ui

import app.deko.ffi.InternalException
import app.deko.ffi.LogLevel
import app.deko.ffi.LogSink
import app.deko.ffi.setLogSink
import app.deko.ui.data.ErrorKind
import app.deko.ui.data.Problem
import app.deko.ui.i18n.Lang
import app.deko.ui.i18n.S
import app.deko.ui.i18n.Strings
import app.deko.ui.i18n.explain
import app.deko.ui.jvm.FfiGateway
import app.deko.ui.jvm.ui
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File
import java.nio.file.Files

/**
 * A call that fails inside the library (uniffi raises a Rust panic as
 * `InternalException`) reaches the screens as a core failure they show,
 * not as an exception no view-model catches, which would end the app; and
 * the app's own callbacks cannot make the library fail.
 */
class CoreFailureTest {
    @Test
    fun aPanicInTheLibraryIsAFailureTheScreensExplain() {
        val failure = InternalException("index out of bounds: the len is 3 but the index is 7").ui()
        assertEquals(ErrorKind.INTERNAL, failure.kind)
        assertTrue(failure.detail, failure.detail.contains("the len is 3 but the index is 7"))
        assertTrue(failure.cause is InternalException)
        for (lang in Lang.entries) {
            val shown = Strings.explain(lang, failure.problem)
            assertEquals(Strings.get(lang, S.ErrInternal), shown)
            assertNotEquals("a sentence of its own, not the library's words", failure.detail, shown)
        }
    }

    /** An app's log sink that throws (an app bug). */
    private class Throwing : LogSink {
        val calls = java.util.concurrent.atomic.AtomicInteger()
        override fun log(level: LogLevel, target: String, message: String) {
            calls.incrementAndGet()
            throw IllegalStateException("the sink is broken")
        }
    }

    private class Quiet : LogSink {
        override fun log(level: LogLevel, target: String, message: String) = Unit
    }

    /**
     * A log sink that throws loses its lines and nothing else. (Before the
     * sink's method returned a `Result`, uniffi raised what it threw as a
     * panic inside the very call that logged: `createTeam` failed with
     * `InternalException`, which escaped the gateway.)
     */
    @Test
    fun aThrowingLogSinkLosesItsLinesAndBreaksNothing() = runBlocking {
        val dir = Files.createTempDirectory("deko-sink").toFile()
        val sink = Throwing()
        try {
            FfiGateway.open(File(dir, "deko.db").path, "CZ").use { gw ->
                setLogSink(sink, LogLevel.INFO)
                gw.createTeam("Acme s.r.o.", "Alena Malá") // logs the founding
                assertTrue("the sink was called", sink.calls.get() > 0)
                assertEquals(emptyList<Any>(), gw.companies(0, 10))
            }
        } finally {
            setLogSink(Quiet(), LogLevel.ERROR)
            dir.deleteRecursively()
        }
    }

    @Test
    fun everyKindIsExplainedInEveryLanguage() {
        for (lang in Lang.entries) for (kind in ErrorKind.entries) {
            assertTrue("$kind in $lang", Strings.explain(lang, Problem(kind, "the core's sentence")).isNotBlank())
        }
    }
}
