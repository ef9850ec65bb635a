//! Reading the config again while the TUI runs (`Ctrl-R`, SIGHUP): the keys, the theme and
//! the feeds (added, removed, changed) apply at once; a config error keeps the running
//! config and is shown in the status line. Read/starred state and the positions are the
//! app's and stay as they are. What the running workers were started with (the network
//! settings, `[sync]`) waits for the next start.

use akhbar::app::Msg;
use akhbar::config::Config;
use akhbar::view::theme::{ColorSupport, install};

/// The configured theme as this terminal shows it (`NO_COLOR`, `COLORTERM`, `TERM`).
pub fn install_theme(config: &Config) {
    install(config.theme.clone().for_terminal(ColorSupport::from_env()));
}

/// Reads `config`'s file again. A valid file becomes the running config (its theme
/// installed) and the messages carry its feeds and keys; an invalid one changes nothing and
/// the message says why.
pub fn reload(config: &mut Config) -> Vec<Msg> {
    let Some(path) = config.path.clone() else {
        return vec![Msg::Notice(
            "no config file to read again (running on the defaults)".into(),
        )];
    };
    match Config::load(&path) {
        Err(e) => vec![Msg::Notice(format!(
            "config not reloaded, the running one stays: {e}"
        ))],
        Ok(new) => {
            let note = describe(config, &new);
            install_theme(&new);
            let keys = new.keys.clone();
            let feeds = new.feeds.clone();
            let reader = akhbar::runtime::reader_options(&new, None);
            let queries = new.queries.clone();
            // The sync worker runs with the account it started with.
            let sync = config.sync.take();
            *config = Config { sync, ..new };
            vec![
                Msg::FeedsConfigured(feeds),
                Msg::Reconfigured { keys, note },
                Msg::ReaderConfigured(reader),
                Msg::Queries(queries),
            ]
        }
    }
}

/// The editor's argv for `path`: `$VISUAL`, else `$EDITOR`, else `vi`, split as a shell
/// would split words (quotes kept) but never run through one.
pub fn editor_argv(
    visual: Option<&str>,
    editor: Option<&str>,
    path: &std::path::Path,
) -> Option<Vec<String>> {
    let chosen = [visual, editor]
        .into_iter()
        .flatten()
        .find(|v| !v.trim().is_empty())
        .unwrap_or("vi");
    let mut argv = shlex::split(chosen).filter(|a| !a.is_empty())?;
    argv.push(path.display().to_string());
    Some(argv)
}

/// What the status line says after a reload.
fn describe(old: &Config, new: &Config) -> String {
    let known = |list: &Config, url: &str| list.feeds.iter().any(|f| f.url == url);
    let added = new.feeds.iter().filter(|f| !known(old, &f.url)).count();
    let removed = old.feeds.iter().filter(|f| !known(new, &f.url)).count();
    let changed = new
        .feeds
        .iter()
        .filter(|f| old.feeds.iter().any(|o| o.url == f.url && o != *f))
        .count();
    let mut note = if added + removed + changed == 0 {
        "config reloaded".to_string()
    } else {
        format!("config reloaded; feeds: {added} added, {removed} removed, {changed} changed")
    };
    if old.sync != new.sync {
        note.push_str("; [sync] changes apply at the next start");
    }
    note
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_editor_comes_from_visual_then_editor_split_into_words() {
        let p = std::path::Path::new("/home/u/my config.toml");
        let argv = |v, e| editor_argv(v, e, p).unwrap();
        assert_eq!(
            argv(Some("code --wait"), Some("nano")),
            ["code", "--wait", "/home/u/my config.toml"]
        );
        assert_eq!(
            argv(Some(" "), Some("'/opt/my ed' -x")),
            ["/opt/my ed", "-x", "/home/u/my config.toml"]
        );
        assert_eq!(argv(None, None), ["vi", "/home/u/my config.toml"]);
        assert_eq!(
            argv(None, Some("nano; rm -rf ~")),
            ["nano;", "rm", "-rf", "~", "/home/u/my config.toml"]
        );
        assert_eq!(editor_argv(Some("'unclosed"), None, p), None);
    }

    #[test]
    fn a_valid_file_becomes_the_config_and_a_broken_one_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "[[feed]]\nurl = \"https://example.org/a.xml\"\n[keys]\ndown = \"J\"\n",
        )
        .unwrap();
        let mut config = Config::load(&path).unwrap();
        std::fs::write(
            &path,
            "concurrency = 7\n[[feed]]\nurl = \"https://example.org/b.xml\"\n[[query]]\nname = \"Q\"\nfilter = 'unread = \"yes\"'\n[keys]\ndown = \"x\"\n",
        )
        .unwrap();
        let msgs = reload(&mut config);
        assert!(
            matches!(&msgs[0], Msg::FeedsConfigured(f) if f.len() == 1 && f[0].url.ends_with("/b.xml")),
            "{msgs:?}"
        );
        match &msgs[1] {
            Msg::Reconfigured { keys, note } => {
                assert_eq!(
                    keys,
                    &[(akhbar::action::Action::Down, vec!["x".to_string()])]
                );
                assert!(note.contains("1 added, 1 removed"), "{note}");
            }
            other => panic!("{other:?}"),
        }
        assert!(
            msgs.iter()
                .any(|m| matches!(m, Msg::Queries(q) if q.len() == 1 && q[0].name == "Q")),
            "{msgs:?}"
        );
        assert_eq!(config.concurrency, 7);
        assert_eq!(config.feeds[0].url, "https://example.org/b.xml");
        std::fs::write(&path, "concurrency = 0\n").unwrap();
        match &reload(&mut config)[..] {
            [Msg::Notice(n)] => {
                assert!(n.starts_with("config not reloaded"), "{n}");
                assert!(n.contains("line 1, key `concurrency`"), "{n}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(config.concurrency, 7, "the running config stays");
        assert_eq!(config.feeds[0].url, "https://example.org/b.xml");
        let mut defaults = Config::defaults();
        assert!(matches!(&reload(&mut defaults)[..], [Msg::Notice(_)]));
    }
}
