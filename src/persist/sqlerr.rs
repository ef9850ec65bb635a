//! SQLite errors as one line a user understands.

use std::path::Path;

use rusqlite::ErrorCode;

use super::PersistError;

pub(crate) fn db_error(path: &Path, e: &rusqlite::Error) -> PersistError {
    PersistError::Database {
        path: path.to_path_buf(),
        message: describe(e),
    }
}

/// One line a user understands.
pub(crate) fn describe(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => "disk full".into(),
        Some(ErrorCode::ReadOnly) | Some(ErrorCode::PermissionDenied) => {
            "the data directory is read-only".into()
        }
        Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => {
            "the cache file is damaged".into()
        }
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            "the cache is busy (another process holds it)".into()
        }
        _ => e.to_string(),
    }
}
