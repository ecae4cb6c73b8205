package app.deko.ui

import org.junit.runner.Description
import org.junit.runner.notification.Failure
import org.junit.runner.notification.RunListener
import java.io.File
import java.util.concurrent.Executors
import java.util.concurrent.ScheduledFuture
import java.util.concurrent.TimeUnit

/**
 * Ends the test JVM when one test runs far longer than any should (the
 * longest takes about 20 s), after printing where its threads are: a call
 * into the library that never returns shows as a JNA frame under an
 * `app.deko` one. A hang then fails the build in minutes, with the stacks
 * in the log's last lines, instead of holding CI until its own limit.
 * `halt`, not `exit`: a shutdown hook waiting on the hung thread would
 * keep the JVM alive. Registered as surefire's JUnit listener (pom.xml).
 */
class HangWatch : RunListener() {
    private val limitS = System.getProperty("deko.test.hang.s")?.toLongOrNull() ?: 300L
    private val timer = Executors.newSingleThreadScheduledExecutor { r -> Thread(r, "hang-watch").apply { isDaemon = true } }
    @Volatile private var pending: ScheduledFuture<*>? = null

    override fun testStarted(description: Description) {
        pending?.cancel(false)
        pending = timer.schedule({ hung(description) }, limitS, TimeUnit.SECONDS)
    }

    override fun testFinished(description: Description) {
        pending?.cancel(false)
        pending = null
    }

    override fun testFailure(failure: Failure) = testFinished(failure.description)

    private fun hung(test: Description) {
        val me = Thread.currentThread()
        val report = buildString {
            appendLine("HANG: ${test.displayName} still runs after $limitS s; the threads of the UI, the app and the library:")
            for ((thread, stack) in Thread.getAllStackTraces()) {
                if (thread == me) continue
                // down to the first frame of ours: the test's step, or the binding called
                val ours = stack.indexOfFirst { it.className.startsWith("app.deko") }
                if (ours < 0 && !thread.name.startsWith("AWT-EventQueue")) continue
                appendLine("  thread \"${thread.name}\" ${thread.state}")
                stack.take(if (ours < 0) 6 else minOf(ours + 2, 18)).forEach { appendLine("    at $it") }
            }
        }
        runCatching { File(System.getProperty("deko.hang.report") ?: "hang-report.txt").writeText(report) }
        System.err.print(report)
        System.err.flush()
        Thread.sleep(1000)
        Runtime.getRuntime().halt(86)
    }
}
