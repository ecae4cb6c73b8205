//! The command line as clap parses it: global options and every command
//! with its flags. Each command group is carried out in its own file of
//! `cmd/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Deko: the offline-first CRM, from the command line.
#[derive(Debug, Parser)]
#[command(name = "deko", version, about, long_about = None)]
pub struct Cli {
    /// The data directory (default: $XDG_DATA_HOME/deko or ~/.local/share/deko).
    #[arg(long, global = true, env = "DEKO_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Print data as JSON (field names documented in cli/README.md).
    #[arg(long, global = true)]
    pub json: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Every command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Found a new team; this device becomes its first admin.
    Init {
        /// The team's (company's) name.
        #[arg(long)]
        team: String,
        /// Your name.
        #[arg(long)]
        name: String,
    },
    /// Print a one-time pairing ticket (deko: URI and QR code) for a new device.
    Invite {
        /// The new device may admit and revoke devices too.
        #[arg(long)]
        admin: bool,
        /// How long the ticket stays valid (e.g. 10m, 2h).
        #[arg(long, default_value = "1h")]
        ttl: String,
        /// Address to put in the ticket (HOST:PORT, repeatable; default: where `deko serve` listens).
        #[arg(long = "addr", value_name = "HOST:PORT")]
        addrs: Vec<String>,
        /// Do not print the QR code.
        #[arg(long)]
        no_qr: bool,
    },
    /// Print a ticket other team devices can sync with (no invite in it).
    Ticket {
        /// Address to put in the ticket (HOST:PORT, repeatable).
        #[arg(long = "addr", value_name = "HOST:PORT")]
        addrs: Vec<String>,
        /// Do not print the QR code.
        #[arg(long)]
        no_qr: bool,
    },
    /// Join a team through the running device named in TICKET and fetch its whole database.
    Join {
        /// The deko: ticket from `deko invite`.
        ticket: String,
        /// Your name.
        #[arg(long)]
        name: String,
        /// Give up on a device that does not answer within this time.
        #[arg(long, default_value = "10s")]
        timeout: String,
    },
    /// Run the always-on peer: listen, sync with team peers on the LAN, log sessions.
    Serve(ServeArgs),
    /// Sync with one peer (ticket, device id or HOST:PORT), or with every known peer.
    Sync {
        /// A deko: ticket, a device id or fingerprint, or HOST:PORT.
        peer: Option<String>,
        /// Give up on a peer that does not answer within this time.
        #[arg(long, default_value = "10s")]
        timeout: String,
    },
    /// People (contacts).
    #[command(subcommand)]
    Person(PersonCmd),
    /// Companies (accounts).
    #[command(subcommand)]
    Company(CompanyCmd),
    /// Deals (opportunities).
    #[command(subcommand)]
    Deal(DealCmd),
    /// Tasks (to-dos).
    #[command(subcommand)]
    Task(TaskCmd),
    /// Custom fields on people, companies and deals.
    #[command(subcommand)]
    Field(FieldCmd),
    /// Phone calls.
    #[command(subcommand)]
    Call(CallCmd),
    /// Meetings.
    #[command(subcommand)]
    Meeting(MeetingCmd),
    /// Notes.
    #[command(subcommand)]
    Note(NoteCmd),
    /// Who has this phone number (caller lookup).
    Who {
        /// The number, in any common written form.
        number: String,
    },
    /// Search people, companies, deals, tasks and notes.
    Search {
        /// What to look for (diacritics and case do not matter).
        query: String,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Everything about a person or company, newest first.
    Timeline {
        /// The person or company: its id, or a name (an email, a number) that finds just one.
        #[arg(value_name = "WHO")]
        id: String,
        /// At most this many entries.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Open tasks (all, due today, or overdue).
    Tasks {
        /// Only tasks due today or overdue.
        #[arg(long, value_enum)]
        due: Option<DueFilter>,
    },
    /// The deals by pipeline stage, with totals.
    Pipeline,
    /// The pipeline's stages: add, rename, move (admins only).
    #[command(subcommand)]
    Stage(StageCmd),
    /// Every field edited concurrently, with all its values.
    Conflicts,
    /// Settle a conflict: VALUE (or #N, the N-th listed value) becomes the field's value.
    Resolve {
        /// The person, company, deal or task: its id, or a name that finds just one.
        #[arg(value_name = "WHAT")]
        id: String,
        /// The field in conflict.
        field: String,
        /// The value to keep: one of the listed values, #N, or a new value.
        value: String,
    },
    /// The team's devices (the roster), with fingerprints.
    Devices,
    /// Revoke a device: its later records are refused everywhere, it can no longer sync.
    Revoke {
        /// The device id or fingerprint.
        device: String,
    },
    /// Import people from a vCard file, people or companies from a CSV
    /// export (Pipedrive, HubSpot, Salesforce), or a Deko JSON export.
    Import {
        /// The .vcf, .csv or .json file.
        file: PathBuf,
        /// Show the CSV column mapping and what would be created; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export the database.
    Export {
        /// json (everything), csv (people, or companies with --companies) or vcard (people).
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        /// CSV of companies instead of people.
        #[arg(long)]
        companies: bool,
        /// Write to FILE instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// From a damaged database: every record and entity it still gives
        /// (JSON, without opening the database for use; see `deko doctor`).
        #[arg(long, conflicts_with = "companies")]
        salvage: bool,
    },
    /// Check the database: SQLite's integrity check, then every record
    /// (parses, verifies, chains), the version vector and every entity state.
    Doctor,
    /// Team, this device, peers, counts, version vector and state digest.
    Status,
    /// Show the phone region national numbers are read in, or set it (an ISO
    /// code libphonenumber knows: CZ, DE, RO, ...; `--list` names them all).
    Region {
        /// The new region; shows the current one when left out.
        #[arg(conflicts_with = "list")]
        code: Option<String>,
        /// List every region with its calling code.
        #[arg(long)]
        list: bool,
    },
    /// Show the locale lists are sorted by, or set it (BCP 47: cs, de, en,
    /// de-AT; an empty string goes back to the region's language).
    Locale {
        /// The new locale; shows the current one when left out.
        tag: Option<String>,
    },
    /// Fill the database with generated sample data (companies, people, activities, deals, tasks).
    Demo {
        /// How many people (companies, activities, tasks and deals in proportion).
        #[arg(long, default_value_t = 200)]
        people: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Run a relay server (for devices with no direct route), or ask one how it is doing (--health).
    Relay(RelayArgs),
    /// Set (or --clear) the relay this device uses when no direct address answers.
    SetRelay {
        /// The relay's HOST:PORT (port 7412 when left out).
        #[arg(required_unless_present_any = ["clear", "rotate_token"], conflicts_with = "clear")]
        addr: Option<String>,
        /// The team's relay token (text, 1 to 32 bytes), if the relay wants
        /// one. Anything on the command line is visible to other users of
        /// this machine (`ps`): prefer --token-file or $DEKO_RELAY_TOKEN.
        #[arg(
            long,
            env = "DEKO_RELAY_TOKEN",
            hide_env_values = true,
            conflicts_with = "clear"
        )]
        token: Option<String>,
        /// Read the relay token from this file (its first line).
        #[arg(long, value_name = "PATH", conflicts_with_all = ["clear", "token"])]
        token_file: Option<PathBuf>,
        /// Stop using a relay.
        #[arg(long)]
        clear: bool,
        /// Also make it the team's relay (admins only): every member uses
        /// it from its next sync on, new tickets carry it.
        #[arg(long, conflicts_with = "clear")]
        team: bool,
        /// Give the team's relay a new random token (admins only; after a
        /// device was lost or revoked). It reaches every member with the
        /// next sync; put the printed allow line on the relay and take the
        /// old one off (the relay accepts the old token for its
        /// --token-grace, then cuts devices still using it). Names the relay
        /// with ADDR, else keeps the team's.
        #[arg(long, conflicts_with_all = ["clear", "token", "token_file", "team"])]
        rotate_token: bool,
    },
}

/// Options of `deko relay`.
#[derive(Debug, Args)]
pub struct RelayArgs {
    /// Address to listen on (QUIC over UDP).
    #[arg(long, default_value = "0.0.0.0:7412")]
    pub listen: String,
    /// Do not run a relay: ask the relay at HOST:PORT for its health and counters (exit 0 when healthy).
    #[arg(long, value_name = "HOST:PORT")]
    pub health: Option<String>,
    /// With --health: give up on a relay that does not answer within this time.
    #[arg(long, default_value = "5s")]
    pub timeout: String,
    /// Serve team TEAM_ID (32 hex digits, from `deko status`), with the token
    /// its devices must present (text after the first colon); repeatable.
    /// Tokens on the command line are visible to other users of this
    /// machine (`ps`): prefer --allow-file.
    #[arg(long = "allow", value_name = "TEAM_ID[:TOKEN]")]
    pub allow: Vec<String>,
    /// Read more TEAM_ID[:TOKEN] lines from this file (blank lines and
    /// lines starting with # are skipped). The relay reads it again when it
    /// changes (or on SIGHUP): to rotate a team's token, put the new line in
    /// (from `deko set-relay --rotate-token`) and take the old one out.
    #[arg(long, value_name = "PATH")]
    pub allow_file: Option<PathBuf>,
    /// How long a token taken off the allow list is still accepted, so
    /// that members who have not yet synced their team's new token keep the
    /// relay (0s cuts them at once); then devices using it are cut.
    #[arg(long, default_value = "7d")]
    pub token_grace: String,
    /// Most devices registered at once, all teams together.
    #[arg(long, default_value_t = 10_000)]
    pub max_connections: usize,
    /// Most connections waiting to register, all together (the oldest is
    /// let go for a newer one).
    #[arg(long, default_value_t = 512)]
    pub max_unregistered: usize,
    /// Most connections waiting to register from one address (an IPv6 /64).
    #[arg(long, default_value_t = 16)]
    pub max_unregistered_per_address: usize,
    /// Close a connection that has not registered within this time.
    #[arg(long, default_value = "10s")]
    pub register_within: String,
    /// Most sessions one device may have through the relay at once.
    #[arg(long, default_value_t = 16)]
    pub max_sessions_per_device: usize,
    /// Bytes per second each device may send (e.g. 2MB, 512KiB, 1000000; 0 = unlimited).
    #[arg(long, default_value = "32MiB")]
    pub rate: String,
    /// Close a session with no byte either way for this long.
    #[arg(long, default_value = "60s")]
    pub idle: String,
    /// Log the counters this often (they are also logged on SIGUSR1 and at exit; 0s = never).
    #[arg(long, default_value = "5m")]
    pub stats_interval: String,
}

/// Options of `deko serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (QUIC over UDP).
    #[arg(long, default_value = crate::data::DEFAULT_LISTEN)]
    pub listen: String,
    /// Address to advertise in tickets (HOST:PORT, repeatable; default: this machine's addresses).
    #[arg(long = "addr", value_name = "HOST:PORT")]
    pub addrs: Vec<String>,
    /// Team name, when a fresh data directory gets a new team.
    #[arg(long, default_value = "My Team")]
    pub team: String,
    /// Your name, when a fresh data directory gets a new team (default: $USER).
    #[arg(long)]
    pub name: Option<String>,
    /// How long the invite printed for a new team stays valid.
    #[arg(long, default_value = "24h")]
    pub ttl: String,
    /// Do not announce or look for team peers on the local network.
    #[arg(long)]
    pub no_discovery: bool,
    /// Seconds between LAN discovery rounds.
    #[arg(long, default_value_t = 15)]
    pub discovery_interval: u64,
    /// Do not print the QR code.
    #[arg(long)]
    pub no_qr: bool,
    /// Use the relay at HOST:PORT (stored as this device's relay, like `deko set-relay`).
    #[arg(long, value_name = "HOST:PORT")]
    pub relay: Option<String>,
    /// The team's relay token (text), with --relay. Visible to other users
    /// of this machine on the command line: prefer --relay-token-file or
    /// $DEKO_RELAY_TOKEN.
    #[arg(
        long,
        env = "DEKO_RELAY_TOKEN",
        hide_env_values = true,
        requires = "relay"
    )]
    pub relay_token: Option<String>,
    /// Read the relay token from this file (its first line), with --relay.
    #[arg(
        long,
        value_name = "PATH",
        requires = "relay",
        conflicts_with = "relay_token"
    )]
    pub relay_token_file: Option<PathBuf>,
}

/// Which tasks `deko tasks` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DueFilter {
    /// Due today (local time).
    Today,
    /// Due before today.
    Overdue,
}

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Every entity with its fields (deko-export v1).
    Json,
    /// People (or companies) as CSV.
    Csv,
    /// People as vCard 4.0.
    Vcard,
}

/// Fields of a person.
#[derive(Debug, Args, Default)]
pub struct PersonFields {
    /// Full name, read as --given and --family ("Jana Nováková"; the last word is the family name).
    #[arg(value_name = "NAME", conflicts_with_all = ["given", "family"])]
    pub name: Option<String>,
    /// Given name.
    #[arg(long)]
    pub given: Option<String>,
    /// Family name.
    #[arg(long)]
    pub family: Option<String>,
    /// Job title.
    #[arg(long)]
    pub title: Option<String>,
    /// Company: its id or name ("" removes the link).
    #[arg(long)]
    pub company: Option<String>,
    /// Phone number, optionally labelled (mobile:, work:, home:, other:); repeatable, replaces all.
    #[arg(long = "phone")]
    pub phones: Vec<String>,
    /// Email address; repeatable, replaces all.
    #[arg(long = "email")]
    pub emails: Vec<String>,
    /// Postal address.
    #[arg(long)]
    pub address: Option<String>,
    /// Tag; repeatable, replaces all.
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Free note.
    #[arg(long)]
    pub note: Option<String>,
    /// Custom field: NAME=VALUE (empty VALUE clears); repeatable.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub custom: Vec<String>,
}

/// Fields of a company.
#[derive(Debug, Args, Default)]
pub struct CompanyFields {
    /// Name.
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
    /// Name (the same as NAME).
    #[arg(long = "name", value_name = "NAME", conflicts_with = "name")]
    pub name_flag: Option<String>,
    /// Phone number, optionally labelled; repeatable, replaces all.
    #[arg(long = "phone")]
    pub phones: Vec<String>,
    /// Email address; repeatable, replaces all.
    #[arg(long = "email")]
    pub emails: Vec<String>,
    /// Web site.
    #[arg(long)]
    pub website: Option<String>,
    /// Postal address.
    #[arg(long)]
    pub address: Option<String>,
    /// Industry.
    #[arg(long)]
    pub industry: Option<String>,
    /// Free note.
    #[arg(long)]
    pub note: Option<String>,
    /// Custom field: NAME=VALUE (empty VALUE clears); repeatable.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub custom: Vec<String>,
}

/// Fields of a deal.
#[derive(Debug, Args, Default)]
pub struct DealFields {
    /// Title.
    #[arg(value_name = "TITLE")]
    pub title: Option<String>,
    /// Title (the same as TITLE).
    #[arg(long = "title", value_name = "TITLE", conflicts_with = "title")]
    pub title_flag: Option<String>,
    /// Customer company: its id or name ("" removes it).
    #[arg(long)]
    pub company: Option<String>,
    /// Contact person: their id or name ("" removes it).
    #[arg(long)]
    pub contact: Option<String>,
    /// Value, e.g. "12500" or "12500.50 EUR" ("" removes it).
    #[arg(long)]
    pub value: Option<String>,
    /// Currency of --value when it names none.
    #[arg(long, default_value = "EUR")]
    pub currency: String,
    /// Pipeline stage: its name or id.
    #[arg(long)]
    pub stage: Option<String>,
    /// Expected close (date or time; 2w: in two weeks; "" removes it).
    #[arg(long)]
    pub close: Option<String>,
    /// Custom field: NAME=VALUE (empty VALUE clears); repeatable.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub custom: Vec<String>,
}

/// Fields of a task.
#[derive(Debug, Args, Default)]
pub struct TaskFields {
    /// What to do.
    #[arg(value_name = "TITLE")]
    pub title: Option<String>,
    /// What to do (the same as TITLE).
    #[arg(long = "title", value_name = "TITLE", conflicts_with = "title")]
    pub title_flag: Option<String>,
    /// When it is due (e.g. 2026-12-01, "2026-12-01 14:00", 2d: in two days; "" removes it).
    #[arg(long, allow_hyphen_values = true)]
    pub due: Option<String>,
    /// About whom: a person's id or name ("" removes it).
    #[arg(long)]
    pub person: Option<String>,
    /// About which company: its id or name ("" removes it).
    #[arg(long)]
    pub company: Option<String>,
    /// About which deal: its id or title ("" removes it).
    #[arg(long)]
    pub deal: Option<String>,
}

/// Paging of lists.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// At most this many.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Skip this many first.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Most recently changed first instead of by name.
    #[arg(long)]
    pub recent: bool,
}

/// `deko person list`: the paging of every list, and who is due a call.
#[derive(Debug, Args)]
pub struct PersonList {
    #[command(flatten)]
    pub list: ListArgs,
    /// Only people with no call or meeting for this long (e.g. 30d, 6w), never contacted first, then longest ago.
    #[arg(long, value_name = "DURATION", conflicts_with = "recent")]
    pub not_contacted: Option<String>,
}

impl ListArgs {
    /// The order asked for.
    pub fn sort(&self) -> deko_core::model::SortBy {
        if self.recent {
            deko_core::model::SortBy::Updated
        } else {
            deko_core::model::SortBy::Name
        }
    }

    /// The page asked for.
    pub fn page(&self) -> deko_core::model::Page {
        deko_core::model::Page {
            offset: self.offset,
            limit: self.limit,
        }
    }
}

/// What every command group over one kind of entity (person, company,
/// deal, task) does, with that kind's fields `F`.
#[derive(Debug, Subcommand)]
pub enum EntityCmd<F: Args> {
    /// Add one.
    Add(F),
    /// Change fields of one (only the flags given).
    Edit {
        /// Its id, or a name that finds just one.
        #[arg(value_name = "WHICH")]
        id: String,
        #[command(flatten)]
        fields: F,
    },
    /// Show one (people and companies with their latest interactions).
    Show {
        /// Its id, or a name that finds just one.
        #[arg(value_name = "WHICH")]
        id: String,
    },
    /// Move one to the trash.
    Delete {
        /// Its id, or a name that finds just one.
        #[arg(value_name = "WHICH")]
        id: String,
    },
    /// Bring one back from the trash.
    Restore {
        /// Its id.
        id: String,
    },
}

/// `deko person ...`
// Parsed once per run: the size of its variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum PersonCmd {
    /// List people.
    List(PersonList),
    #[command(flatten)]
    Entity(EntityCmd<PersonFields>),
}

/// `deko company ...`
// Parsed once per run: the size of its variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum CompanyCmd {
    /// List companies.
    List(ListArgs),
    #[command(flatten)]
    Entity(EntityCmd<CompanyFields>),
}

/// `deko deal ...`
// Parsed once per run: the size of its variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum DealCmd {
    /// List deals (all stages).
    List,
    #[command(flatten)]
    Entity(EntityCmd<DealFields>),
}

/// `deko task ...`
// Parsed once per run: the size of its variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum TaskCmd {
    /// Mark a task done (or not done with --undo).
    Done {
        /// The task: its id, or a title that finds just one.
        #[arg(value_name = "TASK")]
        id: String,
        /// Mark it not done.
        #[arg(long)]
        undo: bool,
    },
    #[command(flatten)]
    Entity(EntityCmd<TaskFields>),
}

/// `deko field ...`
#[derive(Debug, Subcommand)]
pub enum FieldCmd {
    /// Define a custom field (admins only).
    Add {
        /// The field's name.
        name: String,
        /// On what: person, company or deal.
        #[arg(long = "on", default_value = "person")]
        target: String,
        /// text, number, date, choice or yesno.
        #[arg(long = "type", default_value = "text")]
        field_type: String,
        /// A choice (for choice fields); repeatable.
        #[arg(long = "choice")]
        choices: Vec<String>,
    },
    /// List custom fields.
    List,
    /// Rename a custom field; its values stay (admins only).
    Rename {
        /// The field's name (or id).
        name: String,
        /// Its new name.
        new_name: String,
        /// On what: person, company or deal.
        #[arg(long = "on", default_value = "person")]
        target: String,
    },
}

/// `deko stage ...`: the pipeline's stages (admins change them).
#[derive(Debug, Subcommand)]
pub enum StageCmd {
    /// Add a stage at the end of the pipeline.
    Add {
        /// Its name.
        name: String,
        /// open (deals still in progress), won or lost.
        #[arg(long, default_value = "open")]
        outcome: String,
    },
    /// Rename a stage; its deals stay in it.
    Rename {
        /// The stage: its name or id.
        stage: String,
        /// Its new name.
        new_name: String,
    },
    /// Move a stage to a place in the pipeline (1 = first).
    Move {
        /// The stage: its name or id.
        stage: String,
        /// Its new place, from 1.
        position: usize,
    },
}

/// `deko call log`: what the phone reports after hanging up, and what the
/// call sheet adds (whom an unknown number is given to, a follow-up task).
#[derive(Debug, Args)]
pub struct CallLog {
    /// The other side's number, in any common written form.
    #[arg(value_name = "NUMBER", required_unless_present = "number_flag")]
    pub number: Option<String>,
    /// The number (the same as NUMBER).
    #[arg(long = "number", value_name = "NUMBER", conflicts_with = "number")]
    pub number_flag: Option<String>,
    /// in, out or missed.
    #[arg(long, default_value = "out")]
    pub direction: String,
    /// When it started (default: now minus its duration; 2h or -2h: two hours ago).
    #[arg(long, allow_hyphen_values = true)]
    pub at: Option<String>,
    /// How long it lasted (e.g. 4m30s).
    #[arg(long, default_value = "0s")]
    pub duration: String,
    /// A note.
    #[arg(long)]
    pub note: Option<String>,
    /// How it went.
    #[arg(long)]
    pub outcome: Option<String>,
    /// Give the number to this person when no person has it yet (their id or a name that finds just one).
    #[arg(long, value_name = "WHO")]
    pub to: Option<String>,
    /// Add a task to follow the call up, due then (3d: in three days), about the person called.
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
    pub follow_up: Option<String>,
    /// The follow-up task's title (default: "Follow up with NAME").
    #[arg(long, value_name = "TITLE", requires = "follow_up")]
    pub follow_up_title: Option<String>,
}

/// `deko call ...`
#[derive(Debug, Subcommand)]
pub enum CallCmd {
    /// Log a call; the number is matched to a person as the phone app does.
    Log(CallLog),
    /// Numbers that called or were called and belong to nobody yet, most recent first.
    Unknown {
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Give a number to a person: it joins their phones, and every call with it that was linked to nobody is theirs.
    Attach {
        /// The number, in any common written form.
        number: String,
        /// The person: their id or a name that finds just one.
        #[arg(value_name = "WHO")]
        person: String,
        /// mobile, work, home or other.
        #[arg(long, default_value = "mobile")]
        label: String,
    },
}

/// `deko meeting ...`
#[derive(Debug, Subcommand)]
pub enum MeetingCmd {
    /// Record a meeting.
    Log {
        /// When it started (default: now).
        #[arg(long, allow_hyphen_values = true)]
        at: Option<String>,
        /// How long it lasted (e.g. 1h).
        #[arg(long)]
        duration: Option<String>,
        /// Where.
        #[arg(long)]
        place: Option<String>,
        /// An attendee: a person's id or name; repeatable.
        #[arg(long = "person")]
        people: Vec<String>,
        /// The company: its id or name.
        #[arg(long)]
        company: Option<String>,
        /// A note.
        #[arg(long)]
        note: Option<String>,
    },
}

/// `deko note ...`
#[derive(Debug, Subcommand)]
pub enum NoteCmd {
    /// Write a note about people and/or a company.
    Add {
        /// The text.
        text: String,
        /// About whom: a person's id or name; repeatable.
        #[arg(long = "person")]
        people: Vec<String>,
        /// About which company: its id or name.
        #[arg(long)]
        company: Option<String>,
        /// When (default: now).
        #[arg(long, allow_hyphen_values = true)]
        at: Option<String>,
    },
}
