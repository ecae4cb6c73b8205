//! Running `deko` as a separate process against its own data directory.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

/// The binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_deko")
}

/// A command for `deko` with `--data dir`, isolated from the caller's environment.
pub fn command(dir: &Path) -> Command {
    let mut c = Command::new(bin());
    c.arg("--data")
        .arg(dir)
        .env_remove("DEKO_DATA")
        .env_remove("DEKO_LOG")
        .env_remove("DEKO_RELAY_TOKEN")
        .env("DEKO_LOG_STYLE", "never")
        .stdin(Stdio::null());
    c
}

/// One device: a temporary data directory.
pub struct Dev {
    _tmp: tempfile::TempDir,
    pub dir: PathBuf,
}

impl Dev {
    pub fn new() -> Dev {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("deko");
        Dev { _tmp: tmp, dir }
    }

    /// Runs `deko ARGS`, whatever the outcome.
    pub fn run(&self, args: &[&str]) -> Output {
        command(&self.dir).args(args).output().unwrap()
    }

    /// Runs `deko ARGS`, which must succeed; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "deko {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs `deko --json ARGS`, which must succeed; returns the JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        let text = self.ok(&a);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    /// Runs `deko ARGS`, which must fail with one clear line on stderr;
    /// returns that line.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "deko {args:?} should fail");
        assert_ne!(out.status.code(), Some(101), "deko {args:?} panicked");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            !err.contains("panicked") && !err.contains("backtrace"),
            "{err}"
        );
        let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "one line of error expected: {err}");
        assert!(lines[0].starts_with("deko: "), "{err}");
        lines[0].to_string()
    }

    /// `deko status --json`.
    pub fn status(&self) -> Value {
        self.json(&["status"])
    }

    /// The state digest.
    pub fn digest(&self) -> String {
        self.status()["state_digest"].as_str().unwrap().to_string()
    }

    /// A count from `status`.
    pub fn count(&self, what: &str) -> u64 {
        self.status()["counts"][what].as_u64().unwrap()
    }

    /// Founds a team here.
    pub fn init(&self, name: &str) {
        self.ok(&["init", "--team", "Acme", "--name", name]);
    }

    /// Joins with `ticket`.
    pub fn join(&self, ticket: &str, name: &str) -> Value {
        self.json(&["join", ticket, "--name", name])
    }

    /// Adds a person; returns the id.
    pub fn add_person(&self, args: &[&str]) -> String {
        let mut a = vec!["person", "add"];
        a.extend_from_slice(args);
        self.json(&a)["id"].as_str().unwrap().to_string()
    }

    /// Records in the log, read straight from the database file.
    pub fn records_in_file(&self) -> i64 {
        let conn = rusqlite::Connection::open_with_flags(
            self.dir.join("deko.db"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        conn.busy_timeout(Duration::from_secs(5)).unwrap();
        conn.query_row("SELECT count(*) FROM records", [], |r| r.get(0))
            .unwrap_or(0)
    }
}

/// A running `deko serve`.
pub struct Serve {
    child: Child,
    /// What it printed first (JSON: ticket, listen, device, fresh).
    pub info: Value,
    log: Arc<Mutex<String>>,
    /// Reads stderr into `log` until the process closes it.
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Serve {
    /// Starts `deko --json serve` on a free loopback port, without LAN
    /// discovery, and waits until it listens.
    pub fn start(dev: &Dev, extra: &[&str]) -> Serve {
        let mut args = vec![
            "--json",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--no-discovery",
        ];
        args.extend_from_slice(extra);
        Serve::spawn(dev, &args)
    }

    /// Starts `deko ARGS` (a long-running command that prints one line of
    /// JSON when ready, such as `--json serve` or `--json relay`) and waits
    /// for that line.
    pub fn spawn(dev: &Dev, args: &[&str]) -> Serve {
        let mut child = command(&dev.dir)
            .env("DEKO_LOG", "info")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let mut stderr = child.stderr.take().unwrap();
        let l = log.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                l.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let first = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                panic!("{args:?} did not start: {}", log.lock().unwrap());
            }
        };
        let info: Value = serde_json::from_str(&first).unwrap();
        Serve {
            child,
            info,
            log,
            reader: Some(reader),
        }
    }

    /// The ticket it printed.
    pub fn ticket(&self) -> String {
        self.info["ticket"].as_str().unwrap().to_string()
    }

    /// Where it listens.
    pub fn addr(&self) -> String {
        self.info["listen"].as_str().unwrap().to_string()
    }

    /// Its log so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits; returns the exit code.
    pub fn terminate(mut self) -> (Option<i32>, String) {
        signal(&self.child, "TERM");
        let status = wait_timeout(&mut self.child, Duration::from_secs(30));
        // The process is gone: its log ends when the reader reaches EOF.
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        (status, self.log())
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends a signal to a child process (by its id).
pub fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(child.id().to_string())
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{sig} failed");
}

/// Waits for a child at most `limit`; its exit code (None if killed by a signal or still running).
pub fn wait_timeout(child: &mut Child, limit: Duration) -> Option<i32> {
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("process did not stop within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A loopback address where nothing listens (a port just freed).
pub fn dead_addr() -> String {
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.local_addr().unwrap().to_string()
}
