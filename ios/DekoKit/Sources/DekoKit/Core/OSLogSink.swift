import Foundation
import os

/// The core's log lines in the unified log (Console.app, `log stream
/// --predicate 'subsystem == "app.deko.ios"'`), one category per Rust module:
/// what a sync did, why a peer's record was refused, and where the library
/// panicked if it ever does. Messages may name customers or teams, so they
/// keep os_log's default for dynamic text: private (redacted) unless a
/// debugger is attached.
public final class OSLogSink: LogSink {
    private let subsystem: String

    public init(subsystem: String = "app.deko.ios") {
        self.subsystem = subsystem
    }

    public func log(level: LogLevel, target: String, message: String) {
        let logger = Logger(subsystem: subsystem, category: target)
        switch level {
        case .error: logger.error("\(message)")
        case .warn: logger.warning("\(message)")
        case .info: logger.info("\(message)")
        case .debug: logger.debug("\(message)")
        case .trace: logger.trace("\(message)")
        }
    }

    /// Sends the core's lines of `level` and above to the unified log (once
    /// per process is enough; again replaces the sink).
    public static func install(level: LogLevel = .info) {
        setLogSink(sink: OSLogSink(), level: level)
    }
}
