//! The messages overlay's lines: every status message of the session, newest first, with its
//! time, wrapped to the box (a long error or a corrupt cache's new location reads in full).

use chrono::{DateTime, Utc};

use super::dates::time_of_day;
use super::line::{StyledLine, plain};
use super::theme;
use crate::clock::Zone;
use crate::model::Direction;
use crate::text::{self, TextOptions};

/// The lines at `width` for messages given oldest first.
pub fn messages_lines<'a>(
    messages: impl DoubleEndedIterator<Item = &'a (DateTime<Utc>, String)>,
    zone: Zone,
    width: usize,
    opts: &TextOptions,
) -> Vec<StyledLine> {
    const TIME_W: usize = 6;
    let mut out = Vec::new();
    if width <= TIME_W {
        return out;
    }
    for (at, msg) in messages.rev() {
        let lines = text::layout_paragraph(msg, Direction::Auto, false, width - TIME_W, opts);
        for (i, l) in lines.into_iter().enumerate() {
            let mut line = StyledLine::default();
            let time = if i == 0 {
                format!("{} ", time_of_day(*at, zone))
            } else {
                " ".repeat(TIME_W)
            };
            line.push(plain(&time), theme::dim());
            line.push(l, Default::default());
            out.push(line);
        }
    }
    if out.is_empty() {
        out.push(StyledLine::from_visual(
            plain("No messages yet."),
            theme::dim(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_long_message_is_wrapped_whole_newest_first() {
        let t = Utc.with_ymd_and_hms(2026, 12, 1, 9, 5, 0).unwrap();
        let long = "the cache was damaged and moved aside to /home/someone/.local/share/akhbar/cache.sqlite.corrupt-20261201T090500 (a new one was started)";
        let msgs = [(t, "first".to_string()), (t, long.to_string())];
        let lines = messages_lines(msgs.iter(), Zone::UTC, 40, &TextOptions::default());
        let text: Vec<String> = lines.iter().map(StyledLine::text).collect();
        assert!(text[0].starts_with("09:05 the cache"), "{text:?}");
        assert_eq!(text.last().unwrap(), "09:05 first");
        // Every character is there, in order (the path is wider than the box: it is broken
        // where it must be, not cut).
        let joined: String = text[..text.len() - 1]
            .iter()
            .flat_map(|l| l.chars().skip(6))
            .filter(|c| *c != ' ')
            .collect();
        assert_eq!(joined, long.replace(' ', ""));
        assert!(lines.iter().all(|l| l.width <= 40));
    }
}
