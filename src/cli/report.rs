//! The one way the binary prints text: errors, warnings and summaries can quote feeds,
//! servers and files, so every line is cleaned of control and bidi-override characters
//! (`text::sanitize::for_terminal`) before it reaches the terminal.

use std::fmt::Display;

use akhbar::text::sanitize::for_terminal;

/// Cleans every line of `text`; continuation lines are indented under the first.
fn clean(text: &str) -> String {
    let lines: Vec<String> = text.lines().map(for_terminal).collect();
    lines.join("\n  ")
}

/// An error or warning on stderr: `akhbar: ...`.
pub fn error(msg: impl Display) {
    eprintln!("akhbar: {}", clean(&msg.to_string()));
}

/// A line of a command's report on stdout (refresh failures, summaries, what was added).
pub fn line(msg: impl Display) {
    println!("{}", clean(&msg.to_string()));
}

/// The live line on stderr (`akhbar refresh`'s progress), rewritten in place: `None` clears
/// it. Only for a terminal; the caller checks.
pub fn live(text: Option<&str>) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = match text {
        Some(t) => write!(err, "\r\x1b[2K{}", for_terminal(t)),
        None => write!(err, "\r\x1b[2K"),
    };
    let _ = err.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_sequences_from_feeds_never_reach_the_terminal() {
        let text = clean("bad feed \u{1b}]52;c;aGk=\u{7} title \u{202e}evil\nsecond\u{1b}[2J line");
        assert!(!text.contains('\u{1b}'), "{text:?}");
        assert!(!text.contains('\u{7}'), "{text:?}");
        assert!(!text.contains('\u{202e}'), "{text:?}");
        assert!(text.contains("\n  second"), "{text:?}");
    }
}
