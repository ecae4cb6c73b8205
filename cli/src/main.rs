//! `deko`: the command-line client of Deko and its always-on peer.
//! Parsing is in `args`, each command group in `cmd/`, printing in
//! `output`; every error becomes one line on stderr (JSON under `--json`)
//! and a non-zero exit.

mod alloc;
mod args;
mod cmd;
mod data;
mod error;
mod net;
mod output;
mod parse;
mod progress;
mod reference;
mod relay;

use clap::Parser;
use clap::error::ErrorKind;

fn main() {
    alloc::tune();
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            e.exit()
        }
        Err(e) if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // `deko` alone: the help, as an error (exit code 2).
            let _ = e.print();
            std::process::exit(2);
        }
        Err(e) => {
            let message = error::refused_command_line(&e);
            if std::env::args_os().any(|a| a == "--json") {
                let json = error::error_json(deko_core::ErrorKind::BadInput, &message);
                eprintln!("{json}");
            } else {
                eprintln!("deko: {message}");
            }
            std::process::exit(2);
        }
    };
    if !matches!(
        cli.command,
        args::Command::Serve(_) | args::Command::Relay(_)
    ) {
        restore_sigpipe();
        cmd::init_command_logging();
    }
    let json = cli.json;
    if let Err(e) = cmd::run(cli) {
        if json {
            eprintln!("{}", e.json());
        } else {
            eprintln!("deko: {e}");
        }
        std::process::exit(e.exit_code());
    }
}

/// `deko person list | head` should end quietly when the reader goes away,
/// as other Unix tools do, rather than fail writing to a closed pipe. (Not
/// for `deko serve`, which must outlive whatever reads its output.)
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called at start-up on the main thread before any other thread
    // exists; SIG_DFL is a valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
