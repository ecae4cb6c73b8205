//! The database file's permissions: it holds the device's signing key,
//! invite secrets and relay tokens, so only its owner may read it. New files
//! are created 0600 (SQLite gives the WAL and shared-memory files the same
//! mode); existing ones readable by others are fixed at open, with a log
//! line.

use std::path::Path;

use crate::error::Result;

/// Makes sure the database at `path` (and its `-wal`/`-shm` companions)
/// exists with mode 0600 on Unix; elsewhere the platform's own protection
/// of an app's files applies.
pub(crate) fn secure(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::fs::OpenOptions;
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};

        if path.to_string_lossy().starts_with("file:") {
            return Ok(());
        }
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e.into()),
        }
        for suffix in ["", "-wal", "-shm"] {
            let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            let Ok(meta) = std::fs::metadata(&file) else {
                continue;
            };
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
                log::warn!(
                    "{} was readable by others (mode {mode:o}); it holds this device's key: now 0600",
                    file.display()
                );
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
