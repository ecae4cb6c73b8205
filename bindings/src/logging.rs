//! Routes the core's `log` output to the app (Logcat, os_log) through a
//! foreign [`LogSink`].

use std::sync::{Arc, Once, RwLock};

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
/// thread). Must not throw and should return quickly.
#[uniffi::export(foreign)]
pub trait LogSink: Send + Sync {
    /// One log line: its level, where it comes from (a Rust module path)
    /// and the message.
    fn log(&self, level: LogLevel, target: String, message: String);
}

static SINK: RwLock<Option<Arc<dyn LogSink>>> = RwLock::new(None);
static INSTALL: Once = Once::new();

struct Forward;

impl log::Log for Forward {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }

    fn log(&self, record: &log::Record) {
        let sink = SINK.read().unwrap_or_else(|p| p.into_inner()).clone();
        if let Some(sink) = sink {
            sink.log(
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
#[uniffi::export]
pub fn set_log_sink(sink: Arc<dyn LogSink>, level: LogLevel) {
    *SINK.write().unwrap_or_else(|p| p.into_inner()) = Some(sink);
    INSTALL.call_once(|| {
        if log::set_logger(&Forward).is_err() {
            log::warn!("another logger is installed; the app's log sink gets nothing");
        }
    });
    log::set_max_level(level.into());
}
