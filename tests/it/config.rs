//! Config parsing: valid files, defaults patched by the user's file, and errors that name the
//! file, the line and the key.

use std::path::Path;
use std::time::Duration;

use akhbar::config::{BidiSetting, Config, ShapingSetting};
use akhbar::model::Direction;

fn parse(text: &str) -> Result<Config, String> {
    Config::parse(Path::new("/home/u/.config/akhbar/config.toml"), text).map_err(|e| e.to_string())
}

#[test]
fn a_full_config_parses() {
    let c = parse(
        r#"
refresh_interval = "30m"
bidi = "terminal"
shaping = "off"
[[feed]]
url = "https://example.org/rss.xml"
name = "Example"
tags = ["world", "tech"]
direction = "rtl"
interval = "1h 30m"
headers = { "X-Key" = "v" }
username = "me"
password = "pw"
[[feed]]
url = "file:///tmp/x.xml"
"#,
    )
    .unwrap();
    assert_eq!(c.refresh_interval, Duration::from_secs(1800));
    assert_eq!(c.bidi, BidiSetting::Terminal);
    assert_eq!(c.shaping, ShapingSetting::Off);
    assert_eq!(c.feeds.len(), 2);
    let f = &c.feeds[0];
    assert_eq!(f.name.as_deref(), Some("Example"));
    assert_eq!(f.tags, ["world", "tech"]);
    assert_eq!(f.direction, Direction::Rtl);
    assert_eq!(f.interval, Some(Duration::from_secs(5400)));
    assert_eq!(f.headers, [("X-Key".to_string(), "v".to_string())]);
    assert_eq!(f.basic_auth, Some(("me".into(), "pw".into())));
    assert_eq!(c.feeds[1].name, None);
}

#[test]
fn an_empty_file_gives_the_shipped_defaults() {
    let c = parse("").unwrap();
    let d = Config::defaults();
    assert_eq!(c.refresh_interval, Duration::from_secs(900));
    assert_eq!(c.refresh_interval, d.refresh_interval);
    assert_eq!(c.concurrency, 64);
    assert_eq!(c.per_host_concurrency, 4);
    assert_eq!(c.max_feed_bytes, 20 * 1024 * 1024);
    assert_eq!(c.keep_days, 90);
    assert_eq!(c.bidi, BidiSetting::Auto);
}

#[test]
fn the_shipped_default_file_is_the_init_file_and_valid() {
    let c = parse(akhbar::config::DEFAULT_TOML).unwrap();
    assert!(c.feeds.is_empty());
}

#[test]
fn an_unknown_key_names_file_line_and_key() {
    let e = parse("refresh_interval = \"15m\"\nrefersh = 3\n").unwrap_err();
    assert!(
        e.starts_with("/home/u/.config/akhbar/config.toml, line 2, key `refersh`:"),
        "{e}"
    );
    assert!(e.contains("unknown field `refersh`"), "{e}");
}

#[test]
fn a_bad_duration_names_the_key_and_the_value() {
    let e = parse("\n\nrefresh_interval = \"soon\"\n").unwrap_err();
    assert!(e.contains("line 3, key `refresh_interval`"), "{e}");
    assert!(e.contains("`soon` is not a duration"), "{e}");
}

#[test]
fn a_bad_enum_value_lists_the_choices() {
    let e = parse("bidi = \"sideways\"").unwrap_err();
    assert!(e.contains("line 1, key `bidi`"), "{e}");
    assert!(e.contains("auto") && e.contains("terminal"), "{e}");
}

#[test]
fn a_feed_without_a_url_or_with_a_bad_scheme_is_an_error() {
    let e = parse("[[feed]]\nname = \"x\"\n").unwrap_err();
    assert!(e.contains("missing field `url`"), "{e}");
    let e = parse("[[feed]]\nurl = \"ftp://x/y\"\n").unwrap_err();
    assert!(
        e.contains("line 2, key `url`") && e.contains("not a feed address"),
        "{e}"
    );
    let e = parse("[[feed]]\nurl = \"https://x/\"\ndirection = \"up\"\n").unwrap_err();
    assert!(e.contains("line 3, key `direction`"), "{e}");
}

#[test]
fn zero_limits_and_broken_toml_are_errors() {
    let e = parse("concurrency = 0").unwrap_err();
    assert!(e.contains("key `concurrency`: must be at least 1"), "{e}");
    let e = parse("refresh_interval = \"15m").unwrap_err();
    assert!(e.contains("line 1"), "{e}");
    let e = parse("timeout = \"0s\"").unwrap_err();
    assert!(e.contains("more than zero"), "{e}");
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let e = Config::load(Path::new("/nonexistent/akhbar.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("/nonexistent/akhbar.toml: cannot read"),
        "{e}"
    );
}

#[test]
fn init_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sub/config.toml");
    akhbar::config::write_default(&p).unwrap();
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        akhbar::config::DEFAULT_TOML
    );
    std::fs::write(&p, "mine").unwrap();
    assert!(akhbar::config::write_default(&p).is_err());
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "mine");
}

#[test]
fn appending_feeds_keeps_comments_and_skips_known_urls() {
    use akhbar::config::{NewFeed, append_feeds};
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("config.toml");
    std::fs::write(&p, "# my comment\nrefresh_interval = \"5m\" # inline\n\n[[feed]]\nurl = \"https://a.example/rss\"\n").unwrap();
    let n = append_feeds(
        &p,
        &[
            NewFeed {
                url: "https://a.example/rss".into(),
                name: None,
                tags: vec![],
                hidden: false,
            },
            NewFeed {
                url: "https://b.example/atom".into(),
                name: Some("Bee \"quoted\"".into()),
                tags: vec!["x".into()],
                hidden: false,
            },
        ],
    )
    .unwrap();
    assert_eq!(n, 1);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(
        text.starts_with("# my comment\nrefresh_interval = \"5m\" # inline\n"),
        "{text}"
    );
    let c = Config::load(&p).unwrap();
    assert_eq!(c.feeds.len(), 2);
    assert_eq!(c.feeds[1].name.as_deref(), Some("Bee \"quoted\""));
    assert_eq!(c.feeds[1].tags, ["x"]);
}

#[test]
fn appending_to_a_missing_file_starts_from_the_commented_default() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("new/config.toml");
    let n = akhbar::config::append_feeds(
        &p,
        &[akhbar::config::NewFeed {
            url: "https://c.example/".into(),
            name: None,
            tags: vec![],
            hidden: false,
        }],
    )
    .unwrap();
    assert_eq!(n, 1);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains("# akhbar configuration."));
    assert_eq!(Config::load(&p).unwrap().feeds[0].url, "https://c.example/");
}

#[test]
fn appending_never_touches_a_broken_config() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("config.toml");
    std::fs::write(&p, "refresh = [").unwrap();
    assert!(
        akhbar::config::append_feeds(
            &p,
            &[akhbar::config::NewFeed {
                url: "https://c.example/".into(),
                name: None,
                tags: vec![],
                hidden: false,
            }]
        )
        .is_err()
    );
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "refresh = [");
}

#[test]
fn keys_can_be_rebound_by_action_name() {
    use akhbar::action::Action;
    let c = parse("[keys]\ndown = [\"j\", \"<C-n>\"]\nopen-in-browser = \"O\"\n").unwrap();
    assert!(
        c.keys
            .contains(&(Action::Down, vec!["j".to_string(), "<C-n>".to_string()])),
        "{:?}",
        c.keys
    );
    assert!(
        c.keys
            .contains(&(Action::OpenInBrowser, vec!["O".to_string()]))
    );
    let km = akhbar::keymap::Keymap::new(&c.keys).unwrap();
    let ev = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('O'),
        crossterm::event::KeyModifiers::SHIFT,
    );
    assert_eq!(
        km.lookup(akhbar::action::Scope::List, &ev),
        Some(Action::OpenInBrowser)
    );
}

#[test]
fn an_unknown_action_or_key_in_keys_is_an_error_with_its_line() {
    let e = parse("[keys]\n\nfly = \"f\"\n").unwrap_err();
    assert!(e.contains("line 3, key `fly`: no action `fly`"), "{e}");
    assert!(
        e.contains("open-in-browser"),
        "the message lists the actions: {e}"
    );
    let e = parse("[keys]\ndown = \"<Hyper-j>\"\n").unwrap_err();
    assert!(
        e.contains("line 2, key `down`") && e.contains("is not a key"),
        "{e}"
    );
}

#[test]
fn a_malformed_or_repeated_feed_url_is_an_error_without_its_password() {
    let e = parse("[[feed]]\nurl = \"https://u:secret@exa mple.org/\"\n").unwrap_err();
    assert!(
        e.contains("line 2, key `url`") && e.contains("not a valid address"),
        "{e}"
    );
    assert!(!e.contains("secret"), "{e}");
    let e =
        parse("[[feed]]\nurl = \"https://a.example/\"\n[[feed]]\nurl = \"https://a.example/\"\n")
            .unwrap_err();
    assert!(
        e.contains("line 4, key `url`") && e.contains("configured twice"),
        "{e}"
    );
    let e = parse("[[feed]]\nurl = \"htps://u:pw@x/\"\n").unwrap_err();
    assert!(e.contains("htps://***@x/") && !e.contains("pw"), "{e}");
}

#[test]
fn appending_keeps_a_symlinked_config_and_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.toml");
    std::fs::write(
        &real,
        "# secret\n[[feed]]\nurl = \"https://a.example/\"\nusername = \"me\"\npassword = \"pw\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.path().join("config.toml");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    akhbar::config::append_feeds(
        &link,
        &[akhbar::config::NewFeed {
            url: "https://b.example/".into(),
            name: None,
            tags: vec![],
            hidden: false,
        }],
    )
    .unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(Config::load(&link).unwrap().feeds.len(), 2);
}

#[test]
fn a_key_bound_to_two_actions_is_an_error() {
    let e = parse("[keys]\nrefresh = \"j\"\n").unwrap_err();
    assert!(
        e.contains("`j` is bound to both `down` and `refresh`"),
        "{e}"
    );
    assert!(e.contains("line 2"), "{e}");
    assert!(
        parse("[keys]\nrefresh = \"j\"\ndown = \"<Down>\"\n").is_ok(),
        "moving `down` away frees `j`"
    );
}
