//! Damaged files: what SQLite would open without complaint (empty, cut short) is caught
//! before, and an unusable file is moved aside with its WAL.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::Utc;

use super::PersistError;

/// Why an attempt to open the file failed.
pub(crate) enum Attempt {
    /// The file cannot be used; move it aside. The text completes "the cache ...".
    Unusable(String),
    Fatal(PersistError),
}

impl From<PersistError> for Attempt {
    fn from(e: PersistError) -> Self {
        Attempt::Fatal(e)
    }
}

/// Catches what SQLite would open without complaint: an empty file (SQLite treats it as a new
/// database) and a file cut short (SQLite only notices when it reaches the missing pages).
pub(crate) fn check_header(path: &Path) -> Result<(), Attempt> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            let dir = path.parent().unwrap_or(Path::new("."));
            return Err(super::lock::io_error(dir, path, e).into());
        }
    };
    let len = file
        .metadata()
        .map_err(|source| PersistError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .len();
    // While a WAL holds committed pages the main file may legitimately lag behind.
    let wal_len = std::fs::metadata(wal_path(path)).map_or(0, |m| m.len());
    if len == 0 {
        return if wal_len == 0 {
            Err(Attempt::Unusable("was empty".into()))
        } else {
            Ok(())
        };
    }
    let mut header = [0u8; 100];
    if len < 100 || file.read_exact(&mut header).is_err() {
        return Err(Attempt::Unusable("is truncated".into()));
    }
    if &header[..16] != b"SQLite format 3\0" {
        return Err(Attempt::Unusable("is not a database (damaged?)".into()));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let change_counter = be32(24);
    let pages = u64::from(be32(28));
    let valid_for = be32(92);
    if wal_len == 0 && change_counter == valid_for && len < pages.saturating_mul(page_size) {
        return Err(Attempt::Unusable("is truncated".into()));
    }
    Ok(())
}

fn wal_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-wal");
    PathBuf::from(s)
}

fn shm_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-shm");
    PathBuf::from(s)
}

/// Renames the file to `<name>.corrupt-<UTC time>` (its WAL along with it, so the pair can
/// still be opened for rescue) and removes the shared-memory index.
pub(crate) fn move_aside(dir: &Path, path: &Path) -> Result<PathBuf, PersistError> {
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let mut aside = PathBuf::from(format!("{}.corrupt-{stamp}", path.display()));
    let mut n = 1;
    while aside.exists() {
        aside = PathBuf::from(format!("{}.corrupt-{stamp}-{n}", path.display()));
        n += 1;
    }
    let io = |source| super::lock::io_error(dir, path, source);
    std::fs::rename(path, &aside).map_err(io)?;
    // A stale WAL must never be replayed into the fresh file.
    match std::fs::rename(wal_path(path), wal_path(&aside)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    match std::fs::remove_file(shm_path(path)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    Ok(aside)
}
