//! `notify` (a program run after a refresh that brought new articles, as an argv with
//! placeholders) and `notify_terminal` (a notification written to the terminal): what they
//! mean and how they are checked.

use serde::Deserialize;

/// `notify_terminal = "osc9" | "osc777" | "off"`: how the TUI asks the terminal to show a
/// notification (OSC 9: iTerm2, kitty, WezTerm, foot, Windows Terminal; OSC 777: urxvt,
/// VTE terminals such as GNOME Terminal).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotifyTerminal {
    #[default]
    Off,
    Osc9,
    Osc777,
}

/// The placeholders a `notify` argument may hold, each with what it stands for (the README
/// and the error message list them from here).
pub const PLACEHOLDERS: [(char, &str); 4] = [
    ('n', "how many new articles"),
    ('f', "how many feeds brought them"),
    ('u', "unread articles in all"),
    ('%', "a literal %"),
];

/// Checks a `notify` argv: empty (nothing runs) or a program and its arguments, whose `%`
/// are all known placeholders. The error is the message for the config error.
pub fn check(argv: &[String]) -> Result<(), String> {
    if argv.first().is_some_and(|p| p.trim().is_empty()) {
        return Err("the first item is the program to run: it cannot be empty".into());
    }
    for arg in argv {
        let mut chars = arg.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                continue;
            }
            match chars.next() {
                Some(p) if PLACEHOLDERS.iter().any(|(k, _)| *k == p) => {}
                other => {
                    let known: Vec<String> = PLACEHOLDERS
                        .iter()
                        .map(|(k, what)| format!("%{k} ({what})"))
                        .collect();
                    return Err(format!(
                        "`{arg}`: `%{}` is no placeholder; they are {}",
                        other.map(String::from).unwrap_or_default(),
                        known.join(", ")
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn known_placeholders_pass_and_others_are_named() {
        assert_eq!(check(&v(&[])), Ok(()));
        assert_eq!(
            check(&v(&["notify-send", "%n new (%f feeds, %u unread) 100%%"])),
            Ok(())
        );
        let e = check(&v(&["notify-send", "%x new"])).unwrap_err();
        assert!(e.contains("`%x` is no placeholder"), "{e}");
        let e = check(&v(&["notify-send", "50%"])).unwrap_err();
        assert!(e.contains("`%` is no placeholder"), "{e}");
        assert!(check(&v(&[" ", "x"])).is_err());
    }
}
