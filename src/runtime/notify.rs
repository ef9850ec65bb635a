//! Telling the user a refresh brought new articles: the `notify` program (an argv with
//! placeholders, run without a shell, waited for off the render loop so no zombie is
//! left) and the terminal's own notification (OSC 9 / OSC 777).

use std::process::{Command, Stdio};

use tokio::sync::mpsc::UnboundedSender;

use crate::app::{Msg, NewArticles};
use crate::config::NotifyTerminal;
use crate::text::sanitize::{for_terminal, is_c0_c1};

/// `template` with its placeholders filled in: `%n` new articles, `%f` feeds that brought
/// them, `%u` unread in all, `%%` a `%`. None when there is nothing to run.
pub fn argv(template: &[String], news: &NewArticles) -> Option<Vec<String>> {
    if template.is_empty() {
        return None;
    }
    let fill = |arg: &String| {
        let mut out = String::with_capacity(arg.len());
        let mut chars = arg.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push_str(&news.new.to_string()),
                Some('f') => out.push_str(&news.feeds.len().to_string()),
                Some('u') => out.push_str(&news.unread.to_string()),
                Some('%') => out.push('%'),
                // The config checked them; anything else stays as written.
                Some(other) => {
                    out.push('%');
                    out.push(other);
                }
                None => out.push('%'),
            }
        }
        out
    };
    Some(template.iter().map(fill).collect())
}

/// The one line a notification says: `3 new articles (Daily, World)`.
pub fn summary(news: &NewArticles) -> String {
    let noun = if news.new == 1 {
        "new article"
    } else {
        "new articles"
    };
    let mut names: Vec<&str> = news.feeds.iter().take(3).map(String::as_str).collect();
    if news.feeds.len() > 3 {
        names.push("…");
    }
    format!("{} {noun} ({})", news.new, names.join(", "))
}

/// The escape sequence that asks the terminal to show `text` (None: `off`). The text is one
/// line with no control character (no ESC, BEL or C1 that could end the sequence early or
/// start another one) and no bidi control; OSC 777's fields lose their `;`.
pub fn osc(kind: NotifyTerminal, text: &str) -> Option<String> {
    let clean: String = for_terminal(text)
        .chars()
        .filter(|&c| !is_c0_c1(c))
        .collect();
    match kind {
        NotifyTerminal::Off => None,
        NotifyTerminal::Osc9 => Some(format!("\x1b]9;akhbar: {clean}\x07")),
        NotifyTerminal::Osc777 => Some(format!(
            "\x1b]777;notify;akhbar;{}\x07",
            clean.replace(';', ",")
        )),
    }
}

/// Runs `argv` and waits for it: its output goes nowhere (the TUI owns the terminal).
/// The error says why it failed (not found, ended with a status).
pub fn run(argv: &[String]) -> Result<(), String> {
    let (program, args) = argv.split_first().ok_or("no program")?;
    let shown = for_terminal(program);
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("notify: cannot run `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("notify: `{shown}` ended with {status}"))
    }
}

/// [`run`] on a thread of its own; a failure comes back as a status-line notice.
pub fn spawn(argv: Vec<String>, tx: UnboundedSender<Msg>) {
    let spawned = std::thread::Builder::new()
        .name("notify".into())
        .spawn(move || {
            if let Err(e) = run(&argv) {
                let _ = tx.send(Msg::Notice(e));
            }
        });
    if let Err(e) = spawned {
        tracing::warn!("cannot start the notify thread: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn news() -> NewArticles {
        NewArticles {
            new: 12,
            feeds: vec!["Daily".into(), "World".into()],
            unread: 340,
        }
    }

    #[test]
    fn placeholders_are_filled_in_each_argument_alone() {
        let t: Vec<String> = [
            "notify-send",
            "akhbar",
            "%n new from %f feeds, %u unread, 100%%",
            "%x",
        ]
        .map(String::from)
        .into();
        assert_eq!(
            argv(&t, &news()).unwrap(),
            [
                "notify-send",
                "akhbar",
                "12 new from 2 feeds, 340 unread, 100%",
                "%x"
            ]
        );
        assert_eq!(argv(&[], &news()), None);
    }

    #[test]
    fn the_terminal_notification_carries_no_control_character_from_a_title() {
        let evil = NewArticles {
            feeds: vec!["Evil\x1b]0;pwned\x07\u{9c}\x1b[2J; x\u{202e}".into()],
            ..news()
        };
        let text = summary(&evil);
        let nine = osc(NotifyTerminal::Osc9, &text).unwrap();
        let body = nine
            .strip_prefix("\x1b]9;")
            .and_then(|b| b.strip_suffix('\x07'))
            .unwrap();
        assert!(
            !body.chars().any(|c| is_c0_c1(c) || c == '\u{202e}'),
            "{body:?}"
        );
        assert!(
            body.starts_with("akhbar: 12 new articles (Evil"),
            "{body:?}"
        );
        let seven = osc(NotifyTerminal::Osc777, &text).unwrap();
        let body = seven
            .strip_prefix("\x1b]777;notify;akhbar;")
            .and_then(|b| b.strip_suffix('\x07'))
            .unwrap();
        assert!(!body.chars().any(|c| is_c0_c1(c) || c == ';'), "{body:?}");
        assert_eq!(osc(NotifyTerminal::Off, &text), None);
    }

    #[test]
    fn a_missing_program_or_a_failing_one_is_an_error_not_a_panic() {
        let e = run(&["/nonexistent/akhbar-notify".to_string()]).unwrap_err();
        assert!(e.contains("cannot run"), "{e}");
        let e = run(&["false".to_string()]).unwrap_err();
        assert!(e.contains("ended with"), "{e}");
        assert_eq!(run(&["true".to_string()]), Ok(()));
    }
}
