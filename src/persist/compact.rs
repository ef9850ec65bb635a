//! `akhbar vacuum` (newsboat's `--vacuum`): finishes compressing what an older version stored
//! as text (the writer does it in its idle time; this does the rest at once), then rebuilds the
//! file without its free pages. Holds the data directory's lock, so it never runs beside a
//! reader or a refresh on the same cache.

use std::path::Path;

use super::lock::DirLock;
use super::packed::{self, REPACK_BATCH};
use super::sqlerr::db_error;
use super::{CACHE_FILE, PersistError, schema};

/// What [`vacuum`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Vacuumed {
    /// The cache's size before and after (the file with its write-ahead log), in bytes.
    pub before: u64,
    pub after: u64,
    /// Steps of repacking rows stored as text that were still to do.
    pub repacked_steps: u64,
}

/// Compacts `<data_dir>/cache.sqlite`. No cache yet: nothing to do (sizes 0).
pub fn vacuum(data_dir: &Path) -> Result<Vacuumed, PersistError> {
    let path = data_dir.join(CACHE_FILE);
    if !path.exists() {
        return Ok(Vacuumed::default());
    }
    let _lock = DirLock::acquire(data_dir)?;
    let before = size_on_disk(&path);
    // Migrates an older cache first, as every writable open does.
    let mut conn = schema::open_writable(data_dir)?;
    let mut repacked_steps = 0;
    while let Some(more) =
        packed::repack_step(&mut conn, REPACK_BATCH).map_err(|e| db_error(&path, &e))?
    {
        repacked_steps += 1;
        if !more {
            break;
        }
    }
    conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")
        .map_err(|e| db_error(&path, &e))?;
    drop(conn);
    Ok(Vacuumed {
        before,
        after: size_on_disk(&path),
        repacked_steps,
    })
}

fn size_on_disk(path: &Path) -> u64 {
    let len = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    len(path) + len(Path::new(&wal))
}
