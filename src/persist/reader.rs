//! Read-only connections that also work in a directory akhbar cannot write: a WAL database
//! needs its `-shm` file, which SQLite cannot create there, so such a cache is opened as
//! immutable instead (nothing else can write it either while the directory stays read-only).

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

/// A read-only connection to `path`, and whether it is immutable. An immutable connection does
/// not see later commits: callers drop it after use instead of keeping it, so that once the
/// directory is writable again (and the writer commits) the next open is a normal one.
pub(crate) fn open_reader(path: &Path, busy: Duration) -> rusqlite::Result<(Connection, bool)> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(busy)?;
    // SQLite opens lazily: the first read is what finds out whether the WAL index can be had.
    match probe(&conn) {
        Ok(()) => return Ok((conn, false)),
        Err(e) if !cannot_open_wal(&e) => return Err(e),
        Err(_) => {}
    }
    drop(conn);
    let conn =
        Connection::open_with_flags(immutable_uri(path), flags | OpenFlags::SQLITE_OPEN_URI)?;
    probe(&conn)?;
    Ok((conn, true))
}

fn probe(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
}

/// What SQLite answers when a WAL database's `-shm` cannot be created or opened.
fn cannot_open_wal(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied)
    )
}

/// `file:` URI of `path` with `immutable=1`; the path is percent-encoded (a `?` or `#` in a
/// directory name must not end the path).
fn immutable_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let base = url::Url::from_file_path(&absolute)
        .map(String::from)
        .unwrap_or_else(|()| format!("file:{}", absolute.display()));
    format!("{base}?immutable=1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_immutable_uri_escapes_what_would_end_the_path() {
        let uri = immutable_uri(Path::new("/tmp/a?b#c/cache.sqlite"));
        assert_eq!(uri, "file:///tmp/a%3Fb%23c/cache.sqlite?immutable=1");
    }
}
