package app.deko.desktop

import app.deko.ffi.LogLevel
import app.deko.ffi.LogSink
import app.deko.ffi.setLogSink
import java.io.PrintStream

/**
 * The core's log lines on stderr, as the `deko` command line writes its own
 * (`deko: warn: …`), with the Rust module each comes from. `DEKO_LOG` picks
 * the level as for the command line (`error`, `warn`, `info`, `debug`,
 * `trace`; the first of a comma-separated list); warnings and errors by
 * default, so a notebook's terminal only shows what needs attention.
 */
class StderrLog(private val out: PrintStream = System.err) : LogSink {
    override fun log(level: LogLevel, target: String, message: String) {
        out.println("deko: ${level.name.lowercase()}: $target: $message")
    }

    companion object {
        /** The level `DEKO_LOG` asks for; [LogLevel.WARN] when unset or not a level. */
        fun level(env: Map<String, String> = System.getenv()): LogLevel {
            val first = env["DEKO_LOG"]?.split(',')?.firstOrNull()?.trim()?.uppercase() ?: return LogLevel.WARN
            return LogLevel.entries.find { it.name == first } ?: LogLevel.WARN
        }

        /** Sends the core's lines of [level] and above to stderr. */
        fun install(level: LogLevel = level()) = setLogSink(StderrLog(), level)
    }
}
