//! `player` and `hyperlinks` (issue 11): the program enclosures are played with (an argv,
//! never a shell), and whether the reader's links are OSC 8 hyperlinks.

use serde::Deserialize;
use toml::Spanned;

use super::ConfigError;

/// `hyperlinks = auto | on | off`: OSC 8 hyperlinks in the reader.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HyperlinkSetting {
    /// On for terminals known to draw OSC 8 links (decided once at start, by
    /// [`HyperlinkSetting::resolve`]); off inside tmux and screen, which would pass the
    /// sequence on only when told to (`set -as terminal-features '*:hyperlinks'`: then say
    /// `on`).
    #[default]
    Auto,
    On,
    Off,
}

impl HyperlinkSetting {
    /// `auto` made `on` or `off` from the environment (`var` reads a variable); `on` and
    /// `off` stay. Known to draw OSC 8: kitty, foot, WezTerm, iTerm2, VS Code, GNOME Terminal
    /// and other VTE terminals (VTE 0.50 on), Windows Terminal, Ghostty, Alacritty (0.11 on
    /// announces itself only by `TERM=alacritty`), Konsole.
    pub fn resolve(self, var: impl Fn(&str) -> Option<String>) -> HyperlinkSetting {
        if self != HyperlinkSetting::Auto {
            return self;
        }
        let set = |k: &str| var(k).filter(|v| !v.is_empty());
        let term = set("TERM").unwrap_or_default();
        // A multiplexer between akhbar and the terminal drops or garbles the sequence unless
        // configured to pass it: off, whatever the outer terminal is.
        if set("TMUX").is_some() || set("STY").is_some() || term.starts_with("screen") {
            return HyperlinkSetting::Off;
        }
        let program = set("TERM_PROGRAM").unwrap_or_default().to_ascii_lowercase();
        let known_program = [
            "iterm.app",
            "wezterm",
            "vscode",
            "ghostty",
            "kitty",
            "tabby",
            "hyper",
        ]
        .contains(&program.as_str());
        let vte = set("VTE_VERSION")
            .and_then(|v| v.trim().parse::<u32>().ok())
            .is_some_and(|v| v >= 5000);
        let known_term = [
            "xterm-kitty",
            "foot",
            "foot-extra",
            "wezterm",
            "alacritty",
            "xterm-ghostty",
        ]
        .contains(&term.as_str());
        let on = known_program
            || vte
            || known_term
            || set("KITTY_WINDOW_ID").is_some()
            || set("WT_SESSION").is_some()
            || set("KONSOLE_VERSION").is_some();
        if on {
            HyperlinkSetting::On
        } else {
            HyperlinkSetting::Off
        }
    }
}

/// `player = ["mpv", "--no-video"]`: an argv; `%u` in an argument is replaced by the URL,
/// else the URL is appended. Empty (the default): enclosures open in the browser.
pub(super) fn player(
    raw: Option<Spanned<Vec<String>>>,
    invalid: &dyn Fn(usize, &str, String) -> ConfigError,
) -> Result<Vec<String>, ConfigError> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    let start = raw.span().start;
    let argv = raw.into_inner();
    if argv.first().is_some_and(|p| p.trim().is_empty()) {
        return Err(invalid(
            start,
            "player",
            "the first element is the program to run: it cannot be empty".into(),
        ));
    }
    if argv.iter().any(|a| a.chars().any(char::is_control)) {
        return Err(invalid(
            start,
            "player",
            "an argument holds a control character".into(),
        ));
    }
    Ok(argv)
}

/// The argv that plays `url` with `player`: `%u` replaced, else the URL last.
pub fn player_argv(player: &[String], url: &str) -> Vec<String> {
    let mut argv: Vec<String> = player.to_vec();
    if argv.iter().skip(1).any(|a| a.contains("%u")) {
        for a in argv.iter_mut().skip(1) {
            *a = a.replace("%u", url);
        }
    } else {
        argv.push(url.to_string());
    }
    argv
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn auto_turns_hyperlinks_on_for_known_terminals_only() {
        let auto = HyperlinkSetting::Auto;
        for pairs in [
            &[("TERM", "xterm-kitty")][..],
            &[("KITTY_WINDOW_ID", "1"), ("TERM", "xterm-256color")],
            &[("TERM", "foot")],
            &[("TERM_PROGRAM", "WezTerm")],
            &[("VTE_VERSION", "7600")],
            &[("WT_SESSION", "abc")],
        ] {
            assert_eq!(auto.resolve(env(pairs)), HyperlinkSetting::On, "{pairs:?}");
        }
        for pairs in [
            &[("TERM", "xterm-256color")][..],
            &[("TERM", "linux")],
            &[("VTE_VERSION", "4800")],
            &[
                ("TERM", "xterm-kitty"),
                ("TMUX", "/tmp/tmux-1000/default,1,0"),
            ],
            &[("TERM", "screen-256color"), ("TERM_PROGRAM", "WezTerm")],
            &[],
        ] {
            assert_eq!(auto.resolve(env(pairs)), HyperlinkSetting::Off, "{pairs:?}");
        }
        let tmux = env(&[("TMUX", "x")]);
        assert_eq!(HyperlinkSetting::On.resolve(&tmux), HyperlinkSetting::On);
        assert_eq!(
            HyperlinkSetting::Off.resolve(env(&[("TERM", "foot")])),
            HyperlinkSetting::Off
        );
    }

    #[test]
    fn the_url_is_the_last_argument_or_where_percent_u_says() {
        let url = "https://e.org/a.mp3?x=1;rm -rf ~";
        let mpv = vec!["mpv".to_string(), "--no-video".to_string()];
        assert_eq!(player_argv(&mpv, url), ["mpv", "--no-video", url]);
        let vlc = vec!["vlc".to_string(), "--open=%u".to_string(), "-q".to_string()];
        assert_eq!(
            player_argv(&vlc, url),
            ["vlc", &format!("--open={url}"), "-q"]
        );
    }
}
