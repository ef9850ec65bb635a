//! How values are stored in rows: dates as (seconds, nanoseconds), categories and enclosures
//! as one text each.

use chrono::{DateTime, Utc};

use crate::model::Enclosure;

/// Categories are sanitized text (no C0 controls), so the unit separator cannot occur in them.
const CATEGORY_SEPARATOR: char = '\u{1f}';

pub(crate) fn split_time(t: DateTime<Utc>) -> (i64, i64) {
    (t.timestamp(), i64::from(t.timestamp_subsec_nanos()))
}

pub(crate) fn split_opt_time(t: Option<DateTime<Utc>>) -> (Option<i64>, Option<i64>) {
    match t {
        Some(t) => {
            let (s, ns) = split_time(t);
            (Some(s), Some(ns))
        }
        None => (None, None),
    }
}

pub(crate) fn join_time(s: Option<i64>, ns: Option<i64>) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(s?, u32::try_from(ns.unwrap_or(0)).unwrap_or(0))
}

pub(crate) fn join_categories<'a>(categories: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut categories = categories.peekable();
    categories.peek()?;
    let mut out = String::new();
    for (i, c) in categories.enumerate() {
        if i > 0 {
            out.push(CATEGORY_SEPARATOR);
        }
        // Defensive: a stray separator would split one category into two.
        out.extend(c.chars().filter(|&ch| ch != CATEGORY_SEPARATOR));
    }
    Some(out)
}

/// Enclosures are one text: records split by the record separator, fields (url, mime,
/// length, duration; a number left empty when unknown) by the unit separator. Both are C0
/// controls, which sanitized URLs and types never hold.
const RECORD_SEPARATOR: char = '\u{1e}';

pub(crate) fn join_enclosures(enclosures: &[Enclosure]) -> Option<String> {
    if enclosures.is_empty() {
        return None;
    }
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|&c| c != CATEGORY_SEPARATOR && c != RECORD_SEPARATOR)
            .collect()
    };
    let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    let records: Vec<String> = enclosures
        .iter()
        .map(|e| {
            [
                clean(&e.url),
                clean(&e.mime),
                number(e.length_bytes),
                number(e.duration_s),
            ]
            .join(&CATEGORY_SEPARATOR.to_string())
        })
        .collect();
    Some(records.join(&RECORD_SEPARATOR.to_string()))
}

/// The enclosures of [`join_enclosures`]' text; a damaged record (no URL) is left out.
pub(crate) fn split_enclosures(text: Option<&str>) -> Vec<Enclosure> {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return Vec::new();
    };
    text.split(RECORD_SEPARATOR)
        .filter_map(|record| {
            let mut fields = record.split(CATEGORY_SEPARATOR);
            let url = fields.next().filter(|u| !u.is_empty())?.to_string();
            let mime = fields.next().unwrap_or("").to_string();
            let mut number = || fields.next().and_then(|n| n.parse::<u64>().ok());
            let length_bytes = number();
            let duration_s = number();
            Some(Enclosure {
                url,
                mime,
                length_bytes,
                duration_s,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enclosures_survive_their_text_form() {
        let list = vec![
            Enclosure {
                url: "https://e.org/ep1.mp3?a=1&b=2".into(),
                mime: "audio/mpeg".into(),
                length_bytes: Some(12_345_678),
                duration_s: Some(2480),
            },
            Enclosure {
                url: "https://e.org/v.mp4".into(),
                mime: String::new(),
                length_bytes: None,
                duration_s: None,
            },
        ];
        let text = join_enclosures(&list);
        assert_eq!(split_enclosures(text.as_deref()), list);
        assert_eq!(join_enclosures(&[]), None);
        assert!(split_enclosures(None).is_empty());
    }

    #[test]
    fn a_record_without_a_url_is_dropped() {
        let text = "\u{1f}audio/mpeg\u{1f}1\u{1f}2\u{1e}https://e.org/a\u{1f}\u{1f}\u{1f}";
        let got = split_enclosures(Some(text));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].url, "https://e.org/a");
    }
}
