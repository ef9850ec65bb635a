//! Article bodies and full texts kept compressed (zstd) in the cache, issue 15: the bodies were
//! 82% of the file (benches/README "Compressing the bodies").
//!
//! A value is stored as a BLOB holding one zstd frame when that is smaller, and as TEXT
//! otherwise (short or incompressible HTML), so a reader tells the two apart by the value's
//! type and the caches written before version 10 (all TEXT) read as they are. Their rows are
//! repacked in the writer's idle time, a batch per step, from a bookmark (`body_repack`) moved
//! in the same transaction as each step, like the search index's build; new rows are written
//! packed. Freed pages are reused by the rows written after; the file itself shrinks only on a
//! `VACUUM`.
//!
//! Reading is bounded: a frame is inflated as a stream (the header's claimed size is only a
//! hint, capped), never past [`MAX_UNPACKED`], and a damaged value is an error for that one
//! value, which the callers report and skip (the other body of the article still loads).

use std::borrow::Cow;
use std::cell::RefCell;
use std::io::Read;

use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, OptionalExtension, ToSql, params};

/// Below this many bytes a body stays text: a frame's header and the little a short text
/// compresses by are not worth a decompression on every read.
pub(crate) const MIN_PACKED: usize = 128;
/// zstd's default level. On 2,000 bodies of the bench corpus (the zstd CLI, one file each)
/// level 3 left 42.7% of the HTML; level 9 41.4% in 1.7 times the time, level 19 40.1% in
/// 7.7 times: not worth it on the writer's thread.
const LEVEL: i32 = 3;
/// The most a stored value may inflate to: a body comes from one feed document, which
/// `max_feed_size_mb` caps at 4,096 MiB.
pub(crate) const MAX_UNPACKED: u64 = 4096 << 20;
/// Rows repacked per idle step (~1 MiB of HTML: tens of milliseconds).
pub(crate) const REPACK_BATCH: usize = 500;

/// Version 10's addition: the bookmark of the repacking of the rows stored as text before it.
pub(crate) const V9_TO_V10: &str = "
CREATE TABLE IF NOT EXISTS body_repack(
    id INTEGER PRIMARY KEY CHECK (id = 1),
    next_id INTEGER NOT NULL,
    last_id INTEGER NOT NULL
);
INSERT OR IGNORE INTO body_repack(id, next_id, last_id)
    SELECT 1, min(lo), max(hi) FROM
        (SELECT min(article_id) AS lo, max(article_id) AS hi FROM bodies
         UNION ALL SELECT min(article_id), max(article_id) FROM full_texts)
    HAVING max(hi) IS NOT NULL;
";

thread_local! {
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
}

/// `text` compressed, when that saves at least an eighth of it.
pub(crate) fn compress(text: &str) -> Option<Vec<u8>> {
    if text.len() < MIN_PACKED {
        return None;
    }
    let packed = COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = Some(zstd::bulk::Compressor::new(LEVEL).ok()?);
        }
        cell.as_mut()?.compress(text.as_bytes()).ok()
    })?;
    (packed.len() <= text.len() - text.len() / 8).then_some(packed)
}

/// A body as a statement's parameter: NULL, TEXT, or the BLOB of its compressed form.
pub(crate) struct Packed<'a>(pub(crate) Option<&'a str>);

impl ToSql for Packed<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            None => ToSqlOutput::Owned(Value::Null),
            Some(text) => match compress(text) {
                Some(blob) => ToSqlOutput::Owned(Value::Blob(blob)),
                None => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            },
        })
    }
}

/// Why a stored body could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum UnpackError {
    #[error("a stored body is not a zstd frame or is damaged: {0}")]
    Damaged(std::io::Error),
    #[error("a stored body inflates past {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("a stored body is not UTF-8")]
    NotUtf8,
    #[error("a stored body is a number, not text")]
    NotText,
}

/// A stored body: NULL, TEXT as it is, a BLOB inflated.
pub(crate) fn unpack(value: ValueRef<'_>) -> Result<Option<Cow<'_, str>>, UnpackError> {
    unpack_limited(value, MAX_UNPACKED)
}

pub(crate) fn unpack_limited(
    value: ValueRef<'_>,
    limit: u64,
) -> Result<Option<Cow<'_, str>>, UnpackError> {
    match value {
        ValueRef::Null => Ok(None),
        ValueRef::Text(bytes) => std::str::from_utf8(bytes)
            .map(|s| Some(Cow::Borrowed(s)))
            .map_err(|_| UnpackError::NotUtf8),
        ValueRef::Blob(frame) => inflate(frame, limit).map(|s| Some(Cow::Owned(s))),
        ValueRef::Integer(_) | ValueRef::Real(_) => Err(UnpackError::NotText),
    }
}

fn inflate(frame: &[u8], limit: u64) -> Result<String, UnpackError> {
    // The claimed size reserves at most 64 times the frame: a damaged header cannot make us
    // allocate gigabytes up front (the stream below still grows as far as the data goes).
    let hint = zstd::zstd_safe::get_frame_content_size(frame)
        .ok()
        .flatten()
        .unwrap_or(0)
        .min(limit)
        .min((frame.len() as u64).saturating_mul(64));
    let mut out = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    let mut decoder = zstd::stream::read::Decoder::with_buffer(frame)
        .map_err(UnpackError::Damaged)?
        .single_frame();
    decoder
        .by_ref()
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(UnpackError::Damaged)?;
    if out.len() as u64 > limit {
        return Err(UnpackError::TooLarge { limit });
    }
    String::from_utf8(out).map_err(|_| UnpackError::NotUtf8)
}

/// Reads column `index` of `row` as a body; a damaged value is logged and read as missing,
/// so one bad value does not hide the rest of the row.
pub(crate) fn body_at(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Option<String>> {
    Ok(body_ref(row, index)?.map(Cow::into_owned))
}

/// [`body_at`] without copying a text value.
pub(crate) fn body_ref<'r>(
    row: &'r rusqlite::Row<'_>,
    index: usize,
) -> rusqlite::Result<Option<Cow<'r, str>>> {
    match unpack(row.get_ref(index)?) {
        Ok(body) => Ok(body),
        Err(e) => {
            tracing::warn!("{e}; read as missing");
            Ok(None)
        }
    }
}

/// Whether rows stored as text before version 10 are still to be repacked.
pub(crate) fn repack_pending(conn: &Connection) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT count(*) > 0 FROM body_repack")?
        .query_row([], |r| r.get(0))
}

/// Repacks the next `batch` bodies (and the full texts among the same articles) in one
/// transaction with the bookmark. `None` when there was nothing to do, else whether more is
/// left.
pub(crate) fn repack_step(conn: &mut Connection, batch: usize) -> rusqlite::Result<Option<bool>> {
    let tx = conn.transaction()?;
    let Some((next, last)) = tx
        .prepare_cached("SELECT next_id, last_id FROM body_repack")?
        .query_row([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
        .optional()?
    else {
        return Ok(None);
    };
    let mut seen = 0usize;
    let mut last_seen = next - 1;
    // Read the batch, then write it: no update while the select still steps over the table.
    // A column that stays as it is goes as NULL and keeps its value (`coalesce`).
    let mut changed: Vec<(i64, Repacked, Repacked)> = Vec::new();
    {
        let mut rows = tx.prepare_cached(
            "SELECT article_id, summary_html, content_html FROM bodies
             WHERE article_id BETWEEN ?1 AND ?2 ORDER BY article_id LIMIT ?3",
        )?;
        let mut rows = rows.query(params![
            next,
            last,
            i64::try_from(batch).unwrap_or(i64::MAX)
        ])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            seen += 1;
            last_seen = id;
            let summary = repacked(row.get_ref(1)?);
            let content = repacked(row.get_ref(2)?);
            if summary.is_some() || content.is_some() {
                changed.push((id, summary, content));
            }
        }
    }
    {
        let mut update = tx.prepare_cached(
            "UPDATE bodies SET summary_html = coalesce(?2, summary_html),
                 content_html = coalesce(?3, content_html) WHERE article_id = ?1",
        )?;
        for (id, summary, content) in changed {
            update.execute(params![id, summary, content])?;
        }
    }
    let finished = seen < batch || last_seen >= last;
    let upto = if finished { last } else { last_seen };
    let mut full: Vec<(i64, Vec<u8>)> = Vec::new();
    {
        let mut rows = tx.prepare_cached(
            "SELECT article_id, html FROM full_texts
             WHERE article_id BETWEEN ?1 AND ?2 AND typeof(html) = 'text'",
        )?;
        let mut rows = rows.query(params![next, upto])?;
        while let Some(row) = rows.next()? {
            if let Some(blob) = repacked(row.get_ref(1)?) {
                full.push((row.get(0)?, blob));
            }
        }
    }
    {
        let mut update =
            tx.prepare_cached("UPDATE full_texts SET html = ?2 WHERE article_id = ?1")?;
        for (id, blob) in full {
            update.execute(params![id, blob])?;
        }
    }
    if finished {
        tx.execute("DELETE FROM body_repack", [])?;
    } else {
        tx.execute("UPDATE body_repack SET next_id = ?1", [last_seen + 1])?;
    }
    tx.commit()?;
    Ok(Some(!finished))
}

/// A column's new packed value, `None` where it stays as it is.
type Repacked = Option<Vec<u8>>;

/// The packed form of a value stored as text, if packing it saves space.
fn repacked(value: ValueRef<'_>) -> Option<Vec<u8>> {
    match value {
        ValueRef::Text(bytes) => compress(std::str::from_utf8(bytes).ok()?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn stored(text: Option<&str>) -> Value {
        match Packed(text).to_sql().unwrap() {
            ToSqlOutput::Owned(v) => v,
            ToSqlOutput::Borrowed(ValueRef::Text(t)) => {
                Value::Text(String::from_utf8(t.to_vec()).unwrap())
            }
            _ => unreachable!(),
        }
    }

    fn read(value: &Value) -> Result<Option<String>, UnpackError> {
        unpack(ValueRef::from(value)).map(|v| v.map(Cow::into_owned))
    }

    fn news(paragraphs: usize) -> String {
        (0..paragraphs)
            .map(|i| {
                format!(
                    "<p>خبر عاجل رقم {i}: the council met on 2026-12-0{}.</p>",
                    i % 9
                )
            })
            .collect()
    }

    #[test]
    fn a_long_body_is_stored_compressed_and_reads_back() {
        let body = news(40);
        let value = stored(Some(&body));
        let Value::Blob(blob) = &value else {
            panic!("stored as {value:?}")
        };
        assert!(
            blob.len() * 3 < body.len(),
            "{} of {}",
            blob.len(),
            body.len()
        );
        assert_eq!(read(&value).unwrap().as_deref(), Some(body.as_str()));
    }

    #[test]
    fn short_and_incompressible_bodies_stay_text() {
        let short = "<p>قصير</p>";
        assert_eq!(stored(Some(short)), Value::Text(short.into()));
        // Every byte different from the last: nothing for zstd to find.
        let mut x = 0x2545_f491_u32;
        let noise: String = (0..600)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                char::from(b'!' + (x % 94) as u8)
            })
            .collect();
        assert_eq!(stored(Some(&noise)), Value::Text(noise.clone()));
        assert_eq!(stored(None), Value::Null);
        assert_eq!(read(&Value::Text(noise.clone())).unwrap(), Some(noise));
        assert_eq!(read(&Value::Null).unwrap(), None);
    }

    #[test]
    fn a_damaged_value_is_an_error_not_a_panic() {
        let body = news(40);
        let Value::Blob(mut blob) = stored(Some(&body)) else {
            panic!()
        };
        let n = blob.len();
        blob.truncate(n / 2);
        assert!(matches!(
            read(&Value::Blob(blob.clone())),
            Err(UnpackError::Damaged(_))
        ));
        assert!(matches!(
            read(&Value::Blob(b"not zstd".to_vec())),
            Err(UnpackError::Damaged(_))
        ));
        assert!(matches!(
            read(&Value::Integer(7)),
            Err(UnpackError::NotText)
        ));
        assert!(matches!(
            unpack(ValueRef::Text(&[0xff, 0xfe])),
            Err(UnpackError::NotUtf8)
        ));
        let latin1 = zstd::bulk::compress(&[0xe9; 400], 3).unwrap();
        assert!(matches!(
            read(&Value::Blob(latin1)),
            Err(UnpackError::NotUtf8)
        ));
    }

    #[test]
    fn inflating_stops_at_the_limit() {
        // 10 MB of one byte is a frame of a few hundred bytes: a bomb in small.
        let bomb = zstd::bulk::compress(&vec![b'a'; 10_000_000], 3).unwrap();
        assert!(bomb.len() < 2_000, "{}", bomb.len());
        let value = Value::Blob(bomb);
        assert!(matches!(
            unpack_limited(ValueRef::from(&value), 1_000_000),
            Err(UnpackError::TooLarge { limit: 1_000_000 })
        ));
        let whole = unpack_limited(ValueRef::from(&value), 10_000_000)
            .unwrap()
            .unwrap();
        assert_eq!(whole.len(), 10_000_000);
    }

    #[test]
    fn repacking_compresses_old_text_rows_and_keeps_every_value() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE bodies(article_id INTEGER PRIMARY KEY, summary_html, content_html);
             CREATE TABLE full_texts(article_id INTEGER PRIMARY KEY, html);",
        )
        .unwrap();
        let long = news(30);
        let mut want = Vec::new();
        for id in 1..=1_234i64 {
            let summary = (id % 3 != 0).then(|| format!("{long}<p>{id}</p>"));
            let content = match id % 4 {
                0 => None,
                1 => Some("<p>short</p>".to_owned()),
                _ => Some(format!("<p>{id}</p>{long}")),
            };
            conn.execute(
                "INSERT INTO bodies VALUES (?1, ?2, ?3)",
                params![id, summary, content],
            )
            .unwrap();
            want.push((id, summary, content));
        }
        conn.execute("INSERT INTO full_texts VALUES (1200, ?1)", [&long])
            .unwrap();
        conn.execute_batch(V9_TO_V10).unwrap();
        assert!(repack_pending(&conn).unwrap());
        let mut steps = 0;
        while let Some(more) = repack_step(&mut conn, REPACK_BATCH).unwrap() {
            steps += 1;
            if !more {
                break;
            }
        }
        assert_eq!(steps, 3);
        assert!(!repack_pending(&conn).unwrap());
        assert_eq!(repack_step(&mut conn, REPACK_BATCH).unwrap(), None);
        let texts: i64 = conn
            .query_row(
                "SELECT count(*) FROM bodies WHERE typeof(summary_html) = 'text'
                    OR (typeof(content_html) = 'text' AND length(content_html) > 100)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(texts, 0);
        let mut stmt = conn
            .prepare("SELECT article_id, summary_html, content_html FROM bodies ORDER BY 1")
            .unwrap();
        let got: Vec<(i64, Option<String>, Option<String>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, body_at(r, 1)?, body_at(r, 2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(got, want);
        let full: Option<String> = conn
            .query_row("SELECT html FROM full_texts", [], |r| body_at(r, 0))
            .unwrap();
        assert_eq!(full.as_deref(), Some(long.as_str()));
        let kind: String = conn
            .query_row("SELECT typeof(html) FROM full_texts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kind, "blob");
    }

    proptest! {
        #[test]
        fn every_body_reads_back_as_it_was_stored(
            body in proptest::option::of("[ -~א-תء-ي\u{64b}-\u{652}<>/]{0,3000}"),
            repeat in 1usize..4,
        ) {
            let body = body.map(|b| b.repeat(repeat));
            let value = stored(body.as_deref());
            prop_assert_eq!(read(&value).unwrap(), body);
        }
    }
}
