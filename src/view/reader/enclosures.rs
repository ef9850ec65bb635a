//! The Enclosures block after an article's body (issue 11): each attached file numbered,
//! with its type, size, length of play and file name on one row and its address under it.
//! The play key opens the first one, or asks which when there are several. Always left to
//! right; a right-to-left file name is isolated so it cannot pull the other fields along.

use crate::model::{Direction, Enclosure};
use crate::text::{self, TextOptions, sanitize};
use crate::view::line::{StyledLine, plain};
use crate::view::theme;

/// The block's heading.
pub const ENCLOSURES_HEADING: &str = "Enclosures";

/// A size as people read it: `950 B`, `12.3 MB` (powers of 1000, as players and stores show).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A length of play: `41:20`, `1:02:03`.
pub fn clock_duration(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// The file name at the end of the URL's path, percent-decoded and made safe to draw (no
/// controls, no bidi controls); `None` for a URL without one.
pub fn file_name(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let last = parsed.path_segments()?.rev().find(|s| !s.is_empty())?;
    let decoded = percent_encoding::percent_decode_str(last).decode_utf8_lossy();
    Some(sanitize::for_terminal(&decoded)).filter(|n| !n.is_empty())
}

/// What the row says of one enclosure: its type, size, length and file name, the known ones.
pub fn describe(e: &Enclosure) -> String {
    let mut fields: Vec<String> = Vec::new();
    if !e.mime.is_empty() {
        fields.push(sanitize::for_terminal(&e.mime));
    }
    if let Some(n) = e.length_bytes {
        fields.push(human_size(n));
    }
    if let Some(s) = e.duration_s {
        fields.push(clock_duration(s));
    }
    if let Some(name) = file_name(&e.url) {
        // First strong isolate: an Arabic or Hebrew name reorders inside itself only.
        fields.push(format!("\u{2068}{name}\u{2069}"));
    }
    fields.join(" · ")
}

/// The block's lines (none without enclosures): the heading, then per enclosure its
/// numbered row and its address (credentials hidden), wrapped to `width`.
pub(super) fn enclosure_lines(
    list: &[Enclosure],
    width: usize,
    opts: &TextOptions,
) -> Vec<StyledLine> {
    let mut out = Vec::new();
    if list.is_empty() {
        return out;
    }
    out.push(StyledLine::from_visual(
        plain(ENCLOSURES_HEADING),
        theme::heading(),
    ));
    let label_w = format!("({}) ", list.len()).len();
    let text_w = width.saturating_sub(label_w).max(1);
    for (i, e) in list.iter().enumerate() {
        let label = format!("({}) ", i + 1);
        let about = describe(e);
        let about = if about.is_empty() {
            "?".to_string()
        } else {
            about
        };
        let url = sanitize::redact_credentials(&sanitize::sanitize_url(&e.url));
        let rows = text::layout_paragraph(&about, Direction::Ltr, false, text_w, opts)
            .into_iter()
            .map(|l| (l, theme::meta(), None))
            .chain(
                text::layout_paragraph(&url, Direction::Ltr, false, text_w, opts)
                    .into_iter()
                    .map(|l| (l, theme::link(), Some(e.url.as_str()))),
            );
        for (j, (l, style, target)) in rows.enumerate() {
            let mut line = StyledLine::default();
            let shown = if j == 0 { label.as_str() } else { "" };
            line.push(plain(&format!("{shown:<label_w$}")), theme::dim());
            match target {
                Some(t) => line.push_link(l, style, t),
                None => line.push(l, style),
            }
            out.push(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_read_as_people_write_them() {
        assert_eq!(human_size(950), "950 B");
        assert_eq!(human_size(12_345_678), "12.3 MB");
        assert_eq!(human_size(999_960), "1.0 MB");
        assert_eq!(human_size(2_048_000), "2.0 MB");
        assert_eq!(human_size(31_457_280_000), "31.5 GB");
        assert_eq!(clock_duration(2480), "41:20");
        assert_eq!(clock_duration(59), "0:59");
        assert_eq!(clock_duration(3723), "1:02:03");
    }

    #[test]
    fn a_file_name_is_decoded_and_cannot_carry_controls() {
        assert_eq!(
            file_name("https://e.org/pod/ep%2012.mp3?x=1").as_deref(),
            Some("ep 12.mp3")
        );
        assert_eq!(
            file_name("https://e.org/%E2%80%AEevil%1b[2J.mp3").as_deref(),
            Some("evil[2J.mp3")
        );
        assert_eq!(file_name("https://e.org/"), None);
        assert_eq!(
            file_name("https://e.org/%D8%AD%D9%84%D9%82%D8%A9.mp3").as_deref(),
            Some("حلقة.mp3")
        );
    }
}
