//! Issue 10 item 3 (and the `print-unread` part of item 13): a data directory that cannot be
//! written. The cache there is read, changes are kept in memory and saved once the directory
//! can be written again, the status line keeps a marker until then, and a quit with unsaved
//! changes says so and exits non-zero.
//!
//! How the directory is made read-only: `chmod 555` for a normal user. Root writes through
//! permissions, so as root the directory gets the immutable attribute instead (`chattr +i`:
//! nothing can be created in it, which is what SQLite needs for its WAL files). Where neither
//! works (a file system without attributes), the tests say so and skip.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use akhbar::persist::{self, Change, PersistEvent};

use crate::support::builders;
use crate::support::http::{BlockingServer, Reply};
use crate::support::process::{akhbar, skip_missing, under_ci};
use crate::support::tmux::{Tmux, shell_quote};

/// A directory made read-only for as long as this lives (or until [`ReadOnly::undo`]).
struct ReadOnly {
    dir: PathBuf,
    /// `chattr +i` (as root) rather than `chmod`.
    immutable: bool,
    done: bool,
}

impl ReadOnly {
    /// Makes `dir` read-only for this process; `None` (after saying why) where this system
    /// lets neither way stop a write.
    fn make(dir: &Path) -> Option<ReadOnly> {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        let mut guard = ReadOnly {
            dir: dir.to_path_buf(),
            immutable: false,
            done: false,
        };
        if !can_create_in(dir) {
            return Some(guard);
        }
        guard.undo();
        // Root: the immutable attribute stops root as well.
        let attr = Command::new("chattr").arg("+i").arg(dir).output();
        if attr.is_ok_and(|o| o.status.success()) {
            let guard = ReadOnly {
                dir: dir.to_path_buf(),
                immutable: true,
                done: false,
            };
            if !can_create_in(dir) {
                return Some(guard);
            }
        }
        assert!(
            !under_ci(),
            "neither chmod nor chattr +i makes a directory read-only here, and CI=true"
        );
        eprintln!("cannot make a directory read-only here (root, no chattr +i): skipping");
        None
    }

    /// Makes the directory writable again.
    fn undo(&mut self) {
        if self.done {
            return;
        }
        self.done = true;
        if self.immutable {
            let _ = Command::new("chattr").arg("-i").arg(&self.dir).output();
        } else {
            let _ = std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o755));
        }
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        // Never leave a directory the temporary directory's cleanup cannot remove.
        self.undo();
    }
}

fn can_create_in(dir: &Path) -> bool {
    let probe = dir.join(".probe");
    let made = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    made
}

/// A cache in `dir` with articles `a` and `b` of one feed, `a` read; closed cleanly (no WAL
/// files left, as after a normal quit).
fn cache_with_two(dir: &Path) {
    let (cache, _) = persist::open(dir).unwrap();
    let mut a = builders::article("a");
    a.read = true;
    cache.send(Change::UpsertArticles {
        feed_url: "https://e.org/f".into(),
        articles: vec![a, builders::article("b")],
    });
    cache.flush_blocking().unwrap();
}

#[test]
fn a_read_only_cache_is_read_and_its_changes_land_once_the_directory_can_be_written() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("akhbar");
    cache_with_two(&data);
    let Some(mut read_only) = ReadOnly::make(&data) else {
        return;
    };
    let (cache, loaded) = persist::open(&data).unwrap();
    let read: Vec<(&str, bool)> = loaded
        .articles
        .iter()
        .map(|(_, a)| (a.key(), a.read))
        .collect();
    assert_eq!(read, [("a", true), ("b", false)], "the cache as it was");
    // The writer says at once that it cannot save, before any change.
    let first = cache.take_events().unwrap().recv().unwrap();
    assert!(
        matches!(&first, PersistEvent::Error(e) if e.contains("is read-only")),
        "{first:?}"
    );
    cache.send(Change::SetStarred {
        feed_url: "https://e.org/f".into(),
        key: "b".into(),
        starred: true,
    });
    let err = cache.flush_blocking().unwrap_err().to_string();
    assert!(err.contains("1 change kept"), "{err}");
    // The body of a cached article can be read, and searching works, from the read-only file.
    assert!(cache.load_body("https://e.org/f", "b").is_some());
    read_only.undo();
    cache.flush_blocking().unwrap();
    drop(cache);
    let (_, again) = persist::open(&data).unwrap();
    let b = &again
        .articles
        .iter()
        .find(|(_, a)| a.key() == "b")
        .unwrap()
        .1;
    assert!(b.starred, "the change kept in memory landed");
}

#[test]
fn print_unread_works_on_a_read_only_data_directory() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("akhbar");
    cache_with_two(&data);
    let Some(_read_only) = ReadOnly::make(&data) else {
        return;
    };
    let out = akhbar(root.path())
        .arg("--data-dir")
        .arg(&data)
        .arg("print-unread")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "1");
}

#[test]
fn vacuum_on_a_read_only_data_directory_says_so_and_leaves_the_cache_as_it_was() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("akhbar");
    cache_with_two(&data);
    let cache_file = data.join("cache.sqlite");
    let before = std::fs::read(&cache_file).unwrap();
    let Some(mut read_only) = ReadOnly::make(&data) else {
        return;
    };
    let config = root.path().join("config.toml");
    std::fs::write(&config, "[[feed]]\nurl = \"https://e.org/f\"\n").unwrap();
    let out = akhbar(root.path())
        .arg("--config")
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .arg("vacuum")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is read-only"), "{stderr}");
    read_only.undo();
    assert!(
        std::fs::read(&cache_file).unwrap() == before,
        "the cache file was changed by a vacuum that failed"
    );
    let unread = akhbar(root.path())
        .arg("--data-dir")
        .arg(&data)
        .arg("print-unread")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&unread.stdout).trim(), "1");
}

const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>RO News</title><link>http://127.0.0.1/</link>
<item><guid>one</guid><title>Harbour bridge reopens after repairs</title>
<pubDate>Fri, 27 Nov 2026 10:00:00 +0000</pubDate><description>Bridge.</description></item>
<item><guid>two</guid><title>Library extends opening hours</title>
<pubDate>Thu, 26 Nov 2026 10:00:00 +0000</pubDate><description>Library.</description></item>
<item><guid>three</guid><title>Market moves to the square</title>
<pubDate>Wed, 25 Nov 2026 10:00:00 +0000</pubDate><description>Market.</description></item>
</channel></rss>"#;

/// The headline row with `title` has the star marker.
fn starred(screen: &str, title: &str) -> bool {
    screen
        .lines()
        .any(|l| l.contains(title) && l.contains("│ ★ "))
}

/// The starred keys and read keys of `export-state`.
fn state(data: &Path, config: &Path) -> (Vec<String>, Vec<String>) {
    let out = akhbar(data)
        .arg("--config")
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .arg("export-state")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut starred = Vec::new();
    let mut read = Vec::new();
    for articles in json["feeds"].as_object().unwrap().values() {
        for a in articles.as_array().unwrap() {
            let key = a["key"].as_str().unwrap().to_string();
            if a["starred"].as_bool().unwrap() {
                starred.push(key.clone());
            }
            if a["read"].as_bool().unwrap() {
                read.push(key);
            }
        }
    }
    (starred, read)
}

#[test]
fn the_tui_on_a_read_only_directory_shows_the_cache_keeps_changes_and_never_quits_as_if_saved() {
    if !Tmux::available() {
        skip_missing("tmux", "tmux");
        return;
    }
    let down = Arc::new(AtomicBool::new(false));
    let server = {
        let down = down.clone();
        BlockingServer::start(move |_| {
            if down.load(Ordering::SeqCst) {
                Reply::empty("503 Service Unavailable")
            } else {
                Reply::ok("application/rss+xml; charset=utf-8", FEED)
            }
        })
    };
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let config = home.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "refresh_interval = \"1h\"\nbidi = \"app\"\n[[feed]]\nurl = \"{}\"\n",
            server.url("/feed.xml")
        ),
    )
    .unwrap();
    // The cache: three articles, "two" read (through the binary, as a user would).
    let run = |args: &[&str]| {
        let out = akhbar(home.path())
            .arg("--config")
            .arg(&config)
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(&["refresh"]);
    let exported = run(&["export-state"]);
    let state_file = home.path().join("state.json");
    let mut json: serde_json::Value = serde_json::from_str(&exported).unwrap();
    for articles in json["feeds"].as_object_mut().unwrap().values_mut() {
        for a in articles.as_array_mut().unwrap() {
            if a["key"] == "two" {
                a["read"] = true.into();
            }
        }
    }
    std::fs::write(&state_file, json.to_string()).unwrap();
    run(&["import-state", state_file.to_str().unwrap()]);
    assert_eq!(state(&data, &config), (vec![], vec!["two".to_string()]));

    let Some(mut read_only) = ReadOnly::make(&data) else {
        return;
    };
    down.store(true, Ordering::SeqCst);
    let shell = format!(
        "env -i PATH=/usr/bin:/bin HOME={h} XDG_STATE_HOME={h}/state TERM=xterm-256color PS1='RO-PROMPT$ ' bash --norc --noprofile",
        h = home.path().display()
    );
    let tmux = Tmux::start("readonly", 110, 30, &shell);
    tmux.wait_for("the shell prompt", |s| s.contains("RO-PROMPT$"));
    let start = format!(
        "{} --config {} --data-dir {}; echo rc=$?",
        env!("CARGO_BIN_EXE_akhbar"),
        shell_quote(&config),
        shell_quote(&data)
    );

    // 1. The cached articles show with their state (before: nothing, "cache unavailable"),
    // the marker says saving does not work, and a quit with a change unsaved says so.
    tmux.send_keys(&[&start, "Enter"]);
    let screen = tmux.wait_for("the cached headlines", |s| {
        s.contains("Harbour bridge reopens after repairs") && s.contains("NOT SAVED")
    });
    let row = |title: &str| {
        screen
            .lines()
            .find(|l| l.contains(title))
            .unwrap_or_default()
            .to_string()
    };
    assert!(row("Harbour bridge").contains('●'), "unread:\n{screen}");
    assert!(!row("Library extends").contains('●'), "read:\n{screen}");
    tmux.send_keys(&["s"]);
    tmux.wait_for("the star", |s| starred(s, "Harbour bridge"));
    tmux.send_keys(&["q"]);
    let screen = tmux.wait_for("the exit status", |s| {
        s.contains("rc=0") || s.contains("rc=1")
    });
    assert!(screen.contains("rc=1"), "{screen}");
    assert!(
        screen.contains("could not save the cache") && screen.contains("is read-only"),
        "{screen}"
    );
    tmux.send_keys(&["clear", "Enter"]);
    tmux.wait_for("a clear screen", |s| !s.contains("rc=1"));

    // 2. Changes made while read-only land once the directory can be written.
    tmux.send_keys(&[&start, "Enter"]);
    tmux.wait_for("the marker", |s| {
        s.contains("Harbour bridge reopens after repairs") && s.contains("NOT SAVED")
    });
    tmux.send_keys(&["s"]);
    tmux.wait_for("the star", |s| starred(s, "Harbour bridge"));
    read_only.undo();
    // The next change makes the writer try again (it also retries on its own, within 30 s).
    tmux.send_keys(&["j", "j", "s"]);
    tmux.wait_for("the saved state", |s| {
        starred(s, "Market moves") && !s.contains("NOT SAVED")
    });
    tmux.send_keys(&["q"]);
    let screen = tmux.wait_for("the exit status", |s| {
        s.contains("rc=0") || s.contains("rc=1")
    });
    assert!(screen.contains("rc=0"), "{screen}");
    let (mut starred_keys, read) = state(&data, &config);
    starred_keys.sort();
    assert_eq!(starred_keys, ["one", "three"]);
    assert_eq!(read, ["two"]);
}
