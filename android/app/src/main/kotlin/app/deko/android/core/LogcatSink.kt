package app.deko.android.core

import android.util.Log
import app.deko.ffi.LogLevel
import app.deko.ffi.LogSink
import app.deko.ffi.setLogSink

/**
 * The core's log lines in Logcat, under the tag [TAG], each prefixed with
 * the Rust module it comes from: what a sync did, why a peer's record was
 * refused, and where the library panicked if it ever does.
 */
class LogcatSink : LogSink {
    override fun log(level: LogLevel, target: String, message: String) {
        Log.println(priority(level), TAG, "$target: $message")
    }

    companion object {
        const val TAG = "Deko"

        /** Logcat's priority for a core log level. */
        fun priority(level: LogLevel): Int = when (level) {
            LogLevel.ERROR -> Log.ERROR
            LogLevel.WARN -> Log.WARN
            LogLevel.INFO -> Log.INFO
            LogLevel.DEBUG -> Log.DEBUG
            LogLevel.TRACE -> Log.VERBOSE
        }

        /** Sends the core's lines of [level] and above to Logcat (once per process is enough; again replaces). */
        fun install(level: LogLevel = LogLevel.INFO) = setLogSink(LogcatSink(), level)
    }
}
