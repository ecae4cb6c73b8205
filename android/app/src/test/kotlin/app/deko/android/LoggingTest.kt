package app.deko.android

import android.util.Log
import app.deko.android.core.AppCore
import app.deko.android.core.LogcatSink
import app.deko.ffi.LogLevel
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.shadows.ShadowLog

/** The core's log lines reach Logcat once the app opens its database, as on a phone. */
@RunWith(RobolectricTestRunner::class)
class LoggingTest {
    @Test
    fun theCoresLinesReachLogcatFromTheAppsOwnOpen() {
        val context = RuntimeEnvironment.getApplication()
        val core = AppCore.open(context)
        try {
            core.db.createTeam("Logged Team", "Alena")
            val lines = ShadowLog.getLogsForTag(LogcatSink.TAG)
            assertTrue(
                "the founding was logged: ${lines.map { it.msg }}",
                lines.any { it.type == Log.INFO && it.msg.startsWith("deko_core") && it.msg.contains("founded team") && it.msg.contains("Logged Team") },
            )
        } finally {
            core.close()
            AppCore.databaseFile(context).delete()
        }
    }

    @Test
    fun everyLevelHasItsLogcatPriority() {
        assertEquals(
            listOf(Log.ERROR, Log.WARN, Log.INFO, Log.DEBUG, Log.VERBOSE),
            listOf(LogLevel.ERROR, LogLevel.WARN, LogLevel.INFO, LogLevel.DEBUG, LogLevel.TRACE).map(LogcatSink::priority),
        )
    }
}
