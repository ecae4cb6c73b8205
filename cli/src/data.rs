//! The data directory: where it is, the database in it, and the lock that
//! tells other `deko` processes a `deko serve` runs there (and where it
//! listens, so `deko invite` can put that address in its tickets).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use deko_core::model::Crm;

use crate::error::{CliError, Result};

/// Where `deko serve` listens unless told otherwise (UDP, QUIC).
pub const DEFAULT_PORT: u16 = 7411;
/// [`DEFAULT_PORT`] on every IPv4 interface.
pub const DEFAULT_LISTEN: &str = "0.0.0.0:7411";

const DB_FILE: &str = "deko.db";
const SERVE_LOCK: &str = "serve.lock";

/// The data directory of this invocation.
#[derive(Clone, Debug)]
pub struct DataDir {
    path: PathBuf,
}

impl DataDir {
    /// `--data` / `DEKO_DATA`, else `$XDG_DATA_HOME/deko`, else `~/.local/share/deko`.
    pub fn resolve(given: Option<PathBuf>) -> Result<DataDir> {
        let path = match given {
            Some(p) => p,
            None => match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
                Some(x) => PathBuf::from(x).join("deko"),
                None => match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
                    Some(h) => PathBuf::from(h).join(".local/share/deko"),
                    None => return Err(CliError::NoDataDir),
                },
            },
        };
        Ok(DataDir { path })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The database file.
    pub fn db_path(&self) -> PathBuf {
        self.path.join(DB_FILE)
    }

    /// Whether the database exists.
    pub fn has_db(&self) -> bool {
        self.db_path().is_file()
    }

    /// Opens the database, which must exist and belong to a team.
    pub fn open(&self) -> Result<Crm> {
        if !self.has_db() {
            return Err(CliError::NoDatabase(self.path.clone()));
        }
        secure_dir(&self.path);
        let crm = Crm::open(self.db_path())?;
        if crm.store().team_id().is_none() {
            return Err(CliError::NoDatabase(self.path.clone()));
        }
        Ok(crm)
    }

    /// Opens the database, creating the directory and the file if needed.
    pub fn open_or_create(&self) -> Result<Crm> {
        create_private_dir(&self.path).map_err(|source| CliError::DataDir {
            path: self.path.clone(),
            source,
        })?;
        secure_dir(&self.path);
        // One probe per process: several may start on one directory at once.
        let probe = self
            .path
            .join(format!(".deko-write-test-{}", std::process::id()));
        File::create(&probe)
            .and_then(|_| std::fs::remove_file(&probe))
            .map_err(|source| CliError::DataDir {
                path: self.path.clone(),
                source,
            })?;
        Ok(Crm::open(self.db_path())?)
    }

    /// Removes a database this invocation created and that holds nothing
    /// worth keeping (a join that never reached its peer).
    pub fn remove_db(&self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(self.path.join(format!("{DB_FILE}{suffix}")));
        }
    }

    /// Takes the serve lock (fails if another `deko serve` holds it). It
    /// is released when the process ends, however it ends.
    pub fn lock_serve(&self) -> Result<ServeLock> {
        let path = self.path.join(SERVE_LOCK);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|source| CliError::File {
                path: path.clone(),
                source,
            })?;
        match file.try_lock() {
            Ok(()) => Ok(ServeLock { file, path }),
            Err(std::fs::TryLockError::WouldBlock) => {
                Err(CliError::AlreadyServing(self.path.clone()))
            }
            Err(std::fs::TryLockError::Error(source)) => Err(CliError::File { path, source }),
        }
    }

    /// Where a running `deko serve` on this directory can be reached, if one runs.
    pub fn running_serve(&self) -> Option<Vec<SocketAddr>> {
        let path = self.path.join(SERVE_LOCK);
        let mut file = File::open(&path).ok()?;
        match file.try_lock_shared() {
            Ok(()) => None,
            Err(_) => {
                let mut text = String::new();
                file.read_to_string(&mut text).ok()?;
                Some(
                    text.split_whitespace()
                        .filter_map(|a| a.parse().ok())
                        .collect(),
                )
            }
        }
    }
}

/// Held by a running `deko serve`: an exclusive lock on `serve.lock`, whose
/// content lists the addresses it advertises.
pub struct ServeLock {
    file: File,
    path: PathBuf,
}

impl ServeLock {
    /// Records the advertised addresses for other processes.
    pub fn publish(&mut self, addrs: &[SocketAddr]) -> Result<()> {
        let text: Vec<String> = addrs.iter().map(|a| a.to_string()).collect();
        let err = |source| CliError::File {
            path: self.path.clone(),
            source,
        };
        self.file.set_len(0).map_err(err)?;
        self.file.seek(SeekFrom::Start(0)).map_err(err)?;
        self.file
            .write_all(format!("{}\n", text.join(" ")).as_bytes())
            .map_err(err)?;
        self.file.sync_all().map_err(err)
    }
}

impl Drop for ServeLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

/// Creates `path` and its missing parents; the data directory itself is
/// made 0700 on Unix (it holds the database with the device's key).
fn create_private_dir(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        match std::fs::DirBuilder::new().mode(0o700).create(path) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            other => other,
        }
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(path)
}

/// Makes an existing data directory private (0700) if others could read
/// it, saying so in the log. Best effort: a directory we cannot change is
/// left as it is (the database file itself is 0600 either way).
fn secure_dir(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = std::fs::metadata(path) else {
            return;
        };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            match std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)) {
                Ok(()) => log::warn!(
                    "{} was open to others (mode {mode:o}); it holds this device's key: now 0700",
                    path.display()
                ),
                Err(e) => log::warn!("{} is open to others and stays so: {e}", path.display()),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}
