//! Routes the core's `log` output to the app (Logcat, os_log) through a
//! foreign [`LogSink`], and with it where and why the library panicked: on a
//! phone nobody reads the process's stderr, where Rust prints that.

use std::cell::Cell;
use std::sync::{Arc, Once, RwLock};

use crate::error::DekoError;

/// How serious a log line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, uniffi::Enum)]
pub enum LogLevel {
    /// Something failed.
    Error,
    /// Something looks wrong.
    Warn,
    /// What happened (a sync, a team founded).
    Info,
    /// Details for developers.
    Debug,
    /// Everything.
    Trace,
}

impl From<log::Level> for LogLevel {
    fn from(l: log::Level) -> Self {
        match l {
            log::Level::Error => LogLevel::Error,
            log::Level::Warn => LogLevel::Warn,
            log::Level::Info => LogLevel::Info,
            log::Level::Debug => LogLevel::Debug,
            log::Level::Trace => LogLevel::Trace,
        }
    }
}

impl From<LogLevel> for log::LevelFilter {
    fn from(l: LogLevel) -> Self {
        match l {
            LogLevel::Error => log::LevelFilter::Error,
            LogLevel::Warn => log::LevelFilter::Warn,
            LogLevel::Info => log::LevelFilter::Info,
            LogLevel::Debug => log::LevelFilter::Debug,
            LogLevel::Trace => log::LevelFilter::Trace,
        }
    }
}

/// Implemented by the app: receives the library's log lines (from any
/// thread). Should return quickly.
#[uniffi::export(foreign)]
pub trait LogSink: Send + Sync {
    /// One log line: its level, where it comes from (a Rust module path)
    /// and the message. Whatever the app's code throws here loses this line
    /// and nothing else: the library call that logged goes on (a `Result`,
    /// so that uniffi hands the exception back instead of panicking).
    fn log(&self, level: LogLevel, target: String, message: String) -> Result<(), DekoError>;
}

static SINK: RwLock<Option<Arc<dyn LogSink>>> = RwLock::new(None);
static INSTALL: Once = Once::new();

thread_local! {
    /// This thread is inside the sink: a panic there is not sent to the sink
    /// again (a panic while panicking aborts the process). An app's sink
    /// cannot panic (what it throws comes back as an error); this guards
    /// against what uniffi itself might raise around the call.
    static IN_SINK: Cell<bool> = const { Cell::new(false) };
}

/// Marks this thread as inside the sink until dropped (also when the sink
/// panics: a caller that catches it, as uniffi does, goes on logging).
struct InSink;

impl InSink {
    fn enter() -> InSink {
        IN_SINK.with(|inside| inside.set(true));
        InSink
    }
}

impl Drop for InSink {
    fn drop(&mut self) {
        IN_SINK.with(|inside| inside.set(false));
    }
}

/// The log target of the panic lines.
pub(crate) const PANIC_TARGET: &str = "deko_ffi::panic";

struct Forward;

impl log::Log for Forward {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }

    fn log(&self, record: &log::Record) {
        let sink = SINK.read().unwrap_or_else(|p| p.into_inner()).clone();
        if let Some(sink) = sink {
            let _inside = InSink::enter();
            // A sink that failed has lost the line; there is nowhere else to say so.
            let _ = sink.log(
                record.level().into(),
                record.target().to_string(),
                record.args().to_string(),
            );
        }
    }

    fn flush(&self) {}
}

/// Sends the library's log lines of `level` and above to `sink` (replacing
/// an earlier sink). If the process already has another Rust logger, that
/// one keeps the lines and a warning says so.
///
/// A panic in the library (a bug: input never causes one) is logged too,
/// as an error line with its place and message, on any thread: the app
/// sees a panicking call fail (uniffi raises it), but a panic in the
/// library's background work (a sync running) only ends that work, and
/// either way the place is what a bug report needs.
#[uniffi::export]
pub fn set_log_sink(sink: Arc<dyn LogSink>, level: LogLevel) {
    *SINK.write().unwrap_or_else(|p| p.into_inner()) = Some(sink);
    INSTALL.call_once(|| {
        if log::set_logger(&Forward).is_err() {
            log::warn!("another logger is installed; the app's log sink gets nothing");
        }
        log_panics();
    });
    log::set_max_level(level.into());
}

/// Puts a panic hook before the process's own (which still runs: it prints
/// to stderr, where a desktop or a test shows it) that logs each panic.
fn log_panics() {
    let earlier = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !IN_SINK.with(Cell::get) {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
                .unwrap_or("(no message)");
            let place = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_else(|| "an unknown place".into());
            let thread = std::thread::current();
            log::error!(
                target: PANIC_TARGET,
                "panic on thread {} at {place}: {message}",
                thread.name().unwrap_or("(unnamed)")
            );
        }
        earlier(info);
    }));
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// A sink keeping its lines, as the apps' tests' sinks do.
    #[derive(Default)]
    struct Lines(Mutex<Vec<(LogLevel, String, String)>>);

    impl LogSink for Lines {
        fn log(&self, level: LogLevel, target: String, message: String) -> Result<(), DekoError> {
            self.0.lock().unwrap().push((level, target, message));
            Ok(())
        }
    }

    /// A sink that fails, as an app's sink that throws does through uniffi.
    struct Fails;

    impl LogSink for Fails {
        fn log(&self, _: LogLevel, _: String, _: String) -> Result<(), DekoError> {
            Err(DekoError::State {
                detail: "the app's callback failed".into(),
            })
        }
    }

    /// The panic lines of this file's panics (the hook is the process's:
    /// other tests of this binary panic on purpose meanwhile).
    fn panic_lines(lines: &Lines) -> Vec<(LogLevel, String)> {
        lines
            .0
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, target, message)| target == PANIC_TARGET && message.contains(file!()))
            .map(|(level, _, message)| (*level, message.clone()))
            .collect()
    }

    fn has_line(lines: &Lines, text: &str) -> bool {
        lines.0.lock().unwrap().iter().any(|(_, _, m)| m == text)
    }

    // One test: the sink and the hook are the process's.
    #[test]
    fn panics_reach_the_sink_with_their_place_and_a_failing_sink_only_loses_lines() {
        let lines = Arc::new(Lines::default());
        set_log_sink(lines.clone(), LogLevel::Info);

        let worker = std::thread::Builder::new()
            .name("sync".into())
            .spawn(|| panic!("a broken invariant: {}", 42))
            .unwrap();
        assert!(worker.join().is_err());
        let logged = panic_lines(&lines);
        assert_eq!(logged.len(), 1, "{logged:?}");
        let (level, message) = &logged[0];
        assert_eq!(*level, LogLevel::Error);
        assert!(message.starts_with("panic on thread sync at "), "{message}");
        assert!(message.ends_with(": a broken invariant: 42"), "{message}");

        // A panic with a plain text payload, caught on the panicking thread
        // (as uniffi catches one in a call).
        assert!(std::panic::catch_unwind(|| panic!("plain")).is_err());
        assert!(panic_lines(&lines)[1].1.ends_with(": plain"));

        // Ordinary lines still arrive.
        log::info!("after the panics");
        assert!(has_line(&lines, "after the panics"));

        // A failing sink loses its lines and nothing else: logging returns,
        // and a panic meanwhile is an ordinary panic (the hook's call to
        // the sink fails quietly instead of panicking while panicking,
        // which would abort the process).
        set_log_sink(Arc::new(Fails), LogLevel::Info);
        log::error!("to a failing sink");
        assert!(std::panic::catch_unwind(|| panic!("while the sink fails")).is_err());
        set_log_sink(lines.clone(), LogLevel::Info);
        assert!(!has_line(&lines, "to a failing sink"));
        assert!(std::panic::catch_unwind(|| panic!("after the failing sink")).is_err());
        let logged = panic_lines(&lines);
        assert_eq!(logged.len(), 3, "{logged:?}");
        assert!(logged[2].1.ends_with(": after the failing sink"));
    }
}
