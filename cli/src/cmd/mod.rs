//! Carries out a parsed command: one file per command group.

mod activity;
mod company;
mod conflicts;
mod deal;
mod doctor;
mod entity;
mod field;
mod find;
mod io;
mod person;
mod region;
mod relay;
mod serve;
mod status;
mod sync;
mod task;
mod team;

use crate::args::{Cli, Command};
use crate::data::DataDir;
use crate::error::{CliError, Result};
use crate::output::Out;

/// Logging for one-shot commands, which speak through their own output:
/// only the notices a user must see (a data directory or database that was
/// open to others and was closed) as `deko: warn: …` lines on stderr;
/// `DEKO_LOG` asks for more. `serve` and `relay` log everything, with
/// timestamps (`serve::init_logging`).
pub fn init_command_logging() {
    use std::io::Write;
    let env = env_logger::Env::default()
        .filter_or(
            "DEKO_LOG",
            "off,deko_core::store::files=warn,deko::data=warn",
        )
        .write_style("DEKO_LOG_STYLE");
    let _ = env_logger::Builder::from_env(env)
        .format(|buf, record| {
            let level = record.level().as_str().to_ascii_lowercase();
            writeln!(buf, "deko: {level}: {}", record.args())
        })
        .try_init();
}

/// Runs one command.
pub fn run(cli: Cli) -> Result<()> {
    let data = DataDir::resolve(cli.data)?;
    let out = Out { json: cli.json };
    match cli.command {
        Command::Init { team, name } => team::init(&data, out, &team, &name),
        Command::Invite {
            admin,
            ttl,
            addrs,
            no_qr,
        } => team::invite(&data, out, admin, &ttl, &addrs, no_qr),
        Command::Ticket { addrs, no_qr } => team::ticket(&data, out, &addrs, no_qr),
        Command::Join {
            ticket,
            name,
            timeout,
        } => runtime()?.block_on(sync::join(&data, out, &ticket, &name, &timeout)),
        Command::Serve(args) => runtime()?.block_on(serve::serve(&data, out, args)),
        Command::Sync { peer, timeout } => {
            runtime()?.block_on(sync::sync(&data, out, peer.as_deref(), &timeout))
        }
        Command::Person(c) => person::run(&data, out, c),
        Command::Company(c) => company::run(&data, out, c),
        Command::Deal(c) => deal::run(&data, out, c),
        Command::Task(c) => task::run(&data, out, c),
        Command::Field(c) => field::run(&data, out, c),
        Command::Call(c) => activity::call(&data, out, c),
        Command::Meeting(c) => activity::meeting(&data, out, c),
        Command::Note(c) => activity::note(&data, out, c),
        Command::Who { number } => activity::who(&data, out, &number),
        Command::Search { query, limit } => find::search(&data, out, &query, limit),
        Command::Timeline { id, limit } => find::timeline(&data, out, &id, limit),
        Command::Tasks { due } => task::list(&data, out, due),
        Command::Pipeline => deal::pipeline(&data, out),
        Command::Stage(c) => deal::stages(&data, out, c),
        Command::Conflicts => conflicts::list(&data, out),
        Command::Resolve { id, field, value } => {
            conflicts::resolve(&data, out, &id, &field, &value)
        }
        Command::Devices => team::devices(&data, out),
        Command::Revoke { device } => team::revoke(&data, out, &device),
        Command::Import { file, dry_run } => io::import(&data, out, &file, dry_run),
        Command::Export {
            format,
            out: file,
            salvage: true,
            ..
        } => io::salvage(&data, format, file.as_deref()),
        Command::Export {
            format,
            companies,
            out: file,
            salvage: false,
        } => io::export(&data, format, companies, file.as_deref()),
        Command::Doctor => doctor::doctor(&data, out),
        Command::Status => status::status(&data, out),
        Command::Region { code, list } => region::region(&data, out, code.as_deref(), list),
        Command::Locale { tag } => region::locale(&data, out, tag.as_deref()),
        Command::Demo { people, seed } => io::demo(&data, out, people, seed),
        Command::Relay(args) => runtime()?.block_on(relay::run(&data, out, args)),
        Command::SetRelay {
            addr,
            token,
            token_file,
            clear,
            team,
            rotate_token,
        } => {
            if rotate_token {
                return relay::rotate(&data, out, addr.as_deref());
            }
            let token = crate::relay::token_from(token, token_file.as_deref())?;
            relay::set(&data, out, addr.as_deref(), token.as_deref(), clear, team)
        }
    }
}

/// The multi-threaded runtime the node needs.
fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            CliError::failed(
                deko_core::ErrorKind::Network,
                format!("cannot start the network runtime: {e}"),
            )
        })
}
