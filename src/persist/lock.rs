//! The data-directory lock: one writer per cache, and a clear answer for the second one.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use fs4::FileExt;
use fs4::TryLockError;

use super::{LOCK_FILE, PersistError};

/// How often, and how long apart, a busy lock is tried again (0.3 s in all).
const LOCK_RETRIES: u32 = 15;
const LOCK_RETRY_EVERY: std::time::Duration = std::time::Duration::from_millis(20);

/// Held for as long as the cache is open; the OS drops the lock when the process dies,
/// so a kill -9 never leaves a stale lock behind.
#[derive(Debug)]
pub(crate) struct DirLock {
    _file: File,
}

impl DirLock {
    pub(crate) fn acquire(dir: &Path) -> Result<Self, PersistError> {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, dir, e))?;
        check_writable(dir)?;
        let path = dir.join(LOCK_FILE);
        // No truncate before we hold the lock: the holder's pid is in there.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| io_error(dir, &path, e))?;
        // Qualified call: std's inherent `File::try_lock` is newer than our MSRV.
        // A lock just let go can still be held for a moment: by an akhbar that is quitting as
        // this one starts, or by a child between fork and exec, which shares the parent's
        // open files (seen as a flaky test while another test spawned a process). So a busy
        // lock is tried again for a short while before the answer is "locked".
        let mut attempt = FileExt::try_lock(&file);
        for _ in 0..LOCK_RETRIES {
            if !matches!(attempt, Err(TryLockError::WouldBlock)) {
                break;
            }
            std::thread::sleep(LOCK_RETRY_EVERY);
            attempt = FileExt::try_lock(&file);
        }
        match attempt {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                return Err(PersistError::Locked {
                    dir: dir.to_path_buf(),
                    pid: text.trim().parse().ok(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(io_error(dir, &path, e)),
        }
        // Best effort: the pid only makes the "locked" message friendlier.
        let _ = file.set_len(0);
        let _ = file.seek(SeekFrom::Start(0));
        let _ = write!(file, "{}", std::process::id());
        let _ = file.flush();
        Ok(Self { _file: file })
    }
}

/// Creating a file is the only reliable test (permissions, read-only mounts, ACLs).
fn check_writable(dir: &Path) -> Result<(), PersistError> {
    let probe = dir.join(format!(".write-test-{}", std::process::id()));
    match File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(io_error(dir, dir, e)),
    }
}

pub(crate) fn io_error(dir: &Path, path: &Path, e: std::io::Error) -> PersistError {
    if is_read_only(&e) {
        PersistError::ReadOnly {
            dir: dir.to_path_buf(),
        }
    } else {
        PersistError::Io {
            path: PathBuf::from(path),
            source: e,
        }
    }
}

fn is_read_only(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
    )
}
