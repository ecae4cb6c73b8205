//! The one error type of the command line. Every error is printed as one
//! line on standard error (under `--json`, as `{"error": {"kind",
//! "message"}}` with the kinds of the core's `ErrorKind`, the apps'
//! `DekoError`) and ends the process with a non-zero code; user mistakes
//! never panic.

use std::path::PathBuf;

use deko_core::ErrorKind;

/// Result alias of the command line.
pub type Result<T, E = CliError> = std::result::Result<T, E>;

/// Everything that can go wrong in a `deko` command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The core refused or failed (its messages are sentences already).
    #[error("{0}")]
    Core(#[from] deko_core::Error),

    /// `deko doctor` found the database damaged (after printing what).
    #[error("{0}")]
    Unhealthy(String),

    /// A value given on the command line cannot be used.
    #[error("{0}")]
    Usage(String),

    /// The data directory holds no database yet.
    #[error(
        "no Deko database in {0}: run `deko init --team NAME --name PERSON`, `deko join TICKET --name PERSON` or `deko serve` first"
    )]
    NoDatabase(PathBuf),

    /// The data directory cannot be created or used.
    #[error("cannot use data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },

    /// A file cannot be read or written.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },

    /// No data directory could be found (no HOME, no XDG_DATA_HOME, no --data).
    #[error("cannot find a data directory: pass --data DIR or set DEKO_DATA")]
    NoDataDir,

    /// Another `deko serve` already runs on this data directory.
    #[error("`deko serve` is already running on {0}")]
    AlreadyServing(PathBuf),

    /// A peer did not answer in time.
    #[error("{0} did not answer within {1}")]
    Timeout(String, String),

    /// `deko serve` cannot listen where it was asked to.
    #[error("cannot listen on {addr}: {source} (choose another address with --listen)")]
    Listen {
        /// The address.
        addr: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },

    /// A command failed for a reason of kind `kind` (syncing with every
    /// known peer, the relay's health, the runtime), said in `message`.
    #[error("{message}")]
    Failed {
        /// What kind of failure.
        kind: ErrorKind,
        /// The sentence for people.
        message: String,
    },

    /// The sync ran, but records from the peer were refused for good (a
    /// bad signature, a broken chain, ...): counted by reason.
    #[error("{}", deko_core::sync::RefusalSummary(.0))]
    Refused(Vec<deko_core::sync::RefusalCount>),
}

impl CliError {
    /// Shorthand for [`CliError::Usage`].
    pub fn usage(msg: impl Into<String>) -> Self {
        CliError::Usage(msg.into())
    }

    /// Shorthand for [`CliError::Failed`].
    pub fn failed(kind: ErrorKind, message: impl Into<String>) -> Self {
        CliError::Failed {
            kind,
            message: message.into(),
        }
    }

    /// What kind of failure this is, in the core's (and the apps') terms:
    /// the core's own kind, or the nearest one for the command line's
    /// errors.
    pub fn kind(&self) -> ErrorKind {
        match self {
            CliError::Core(e) => e.kind(),
            CliError::Usage(_) | CliError::NoDataDir => ErrorKind::BadInput,
            CliError::NoDatabase(_) => ErrorKind::NotAMember,
            CliError::DataDir { source, .. } => ErrorKind::of_io(source),
            CliError::File { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                ErrorKind::NotFound
            }
            CliError::File { source, .. } => ErrorKind::of_io(source),
            CliError::AlreadyServing(_) => ErrorKind::State,
            CliError::Timeout(..) => ErrorKind::TimedOut,
            CliError::Listen { .. } => ErrorKind::Network,
            CliError::Failed { kind, .. } => *kind,
            CliError::Refused(_) => ErrorKind::InvalidRecord,
            CliError::Unhealthy(_) => ErrorKind::Corrupt,
        }
    }

    /// The error as `--json` prints it on standard error.
    pub fn json(&self) -> serde_json::Value {
        error_json(self.kind(), &self.to_string())
    }

    /// The process exit code: 2 for mistakes in the command line (as clap
    /// uses), 1 for everything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) => 2,
            _ => 1,
        }
    }
}

/// `{"error": {"kind", "message"}}`: an error under `--json`.
pub fn error_json(kind: ErrorKind, message: &str) -> serde_json::Value {
    serde_json::json!({"error": {"kind": kind, "message": message}})
}

/// The one line `deko` prints for a command line clap refuses: clap's
/// sentence with what it lists (the missing arguments) and its tip (a
/// similar subcommand), then the help of the very command given (`deko
/// call log --help`), read from clap's usage line.
pub fn refused_command_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let mut sentence = String::new();
    let mut listed = Vec::new();
    let mut tips = Vec::new();
    let mut help = "deko --help".to_string();
    for line in text.lines().map(str::trim) {
        if let Some(usage) = line.strip_prefix("Usage:") {
            let command: Vec<&str> = usage
                .split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect();
            if !command.is_empty() {
                help = format!("{} --help", command.join(" "));
            }
            break;
        }
        if line.is_empty() || line.starts_with("For more information") {
            continue;
        }
        if let Some(tip) = line.strip_prefix("tip:") {
            tips.push(tip.trim().to_string());
        } else if sentence.is_empty() {
            sentence = line
                .strip_prefix("error:")
                .unwrap_or(line)
                .trim()
                .to_string();
        } else {
            listed.push(line.to_string());
        }
    }
    if sentence.is_empty() {
        sentence = "invalid command line".into();
    }
    if !listed.is_empty() {
        sentence = format!("{} {}", sentence, listed.join(", "));
    }
    for tip in tips {
        sentence = format!("{sentence}; {tip}");
    }
    format!("{sentence} (see `{help}`)")
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::refused_command_line;
    use crate::args::Cli;

    fn refused(args: &[&str]) -> String {
        let e = Cli::try_parse_from(args).expect_err("a refused command line");
        refused_command_line(&e)
    }

    #[test]
    fn a_refused_command_line_names_what_is_missing_and_the_right_help() {
        assert_eq!(
            refused(&["deko", "call", "log"]),
            "the following required arguments were not provided: <NUMBER> (see `deko call log --help`)"
        );
        assert_eq!(
            refused(&["deko", "person", "add", "Jana", "Nováková"]),
            "unexpected argument 'Nováková' found (see `deko person add --help`)"
        );
        assert_eq!(
            refused(&["deko", "company", "add", "X", "--name", "Y"]),
            "the argument '[NAME]' cannot be used with '--name <NAME>' (see `deko company add --help`)"
        );
    }

    #[test]
    fn a_mistyped_subcommand_gets_clap_s_tip() {
        let said = refused(&["deko", "persn", "list"]);
        assert!(
            said.starts_with("unrecognized subcommand 'persn'"),
            "{said}"
        );
        assert!(
            said.contains("; a similar subcommand exists: 'person'"),
            "{said}"
        );
        assert!(said.ends_with("(see `deko --help`)"), "{said}");
    }
}
