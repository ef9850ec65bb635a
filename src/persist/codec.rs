//! How values are stored in rows: dates as (seconds, nanoseconds), categories as one text.

use chrono::{DateTime, Utc};

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

pub(crate) fn join_categories(categories: &[String]) -> Option<String> {
    if categories.is_empty() {
        return None;
    }
    let mut out = String::new();
    for (i, c) in categories.iter().enumerate() {
        if i > 0 {
            out.push(CATEGORY_SEPARATOR);
        }
        // Defensive: a stray separator would split one category into two.
        out.extend(c.chars().filter(|&ch| ch != CATEGORY_SEPARATOR));
    }
    Some(out)
}

pub(crate) fn split_categories(text: Option<&str>) -> Vec<String> {
    match text {
        Some(t) => t.split(CATEGORY_SEPARATOR).map(str::to_owned).collect(),
        None => Vec::new(),
    }
}
