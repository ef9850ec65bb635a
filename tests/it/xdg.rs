//! Issue 14: every file akhbar uses is where the XDG base directories say, each variable
//! honoured when set (to an absolute path), the platform's default under `$HOME` when it is
//! unset or empty, and the flags (`--config`, `--data-dir`, `--log-file`) over both. The
//! binary runs with a clean environment (`support::process::akhbar`) and a `HOME` of its own,
//! so a file written anywhere else would show.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::http::{BlockingServer, Reply};
use crate::support::process::akhbar;

const FEED: &str = "<rss version=\"2.0\"><channel><title>X</title><item><guid>1</guid><title>One</title></item></channel></rss>";

/// Every file under `dir`, relative to it, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

fn run(cmd: &mut Command) -> Output {
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{o:?}");
    o
}

/// The four directories, each a temporary one, and a HOME apart from them.
struct Dirs {
    _root: tempfile::TempDir,
    home: PathBuf,
    config: PathBuf,
    data: PathBuf,
    state: PathBuf,
    cache: PathBuf,
}

impl Dirs {
    fn new() -> Dirs {
        let root = tempfile::tempdir().unwrap();
        let sub = |n: &str| {
            let p = root.path().join(n);
            std::fs::create_dir_all(&p).unwrap();
            p
        };
        Dirs {
            home: sub("home"),
            config: sub("config"),
            data: sub("data"),
            state: sub("state"),
            cache: sub("cache"),
            _root: root,
        }
    }

    fn akhbar(&self) -> Command {
        let mut cmd = akhbar(&self.home);
        cmd.env("XDG_CONFIG_HOME", &self.config)
            .env("XDG_DATA_HOME", &self.data)
            .env("XDG_STATE_HOME", &self.state)
            .env("XDG_CACHE_HOME", &self.cache);
        cmd
    }
}

fn p(s: &str) -> PathBuf {
    PathBuf::from(s)
}

#[test]
fn each_file_goes_to_its_xdg_directory_and_nothing_to_home() {
    let server = BlockingServer::start(|_| Reply::ok("application/rss+xml", FEED));
    let d = Dirs::new();
    run(d.akhbar().arg("--init"));
    assert_eq!(files(&d.config), [p("akhbar/config.toml")]);
    let config = d.config.join("akhbar/config.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&format!("[[feed]]\nurl = \"{}\"\n", server.url("/f.xml")));
    std::fs::write(&config, text).unwrap();
    run(d.akhbar().arg("refresh"));
    let data = files(&d.data);
    assert!(data.contains(&p("akhbar/cache.sqlite")), "{data:?}");
    assert!(data.iter().all(|f| f.starts_with("akhbar")), "{data:?}");
    assert_eq!(files(&d.state), [p("akhbar/akhbar.log")]);
    let o = run(d.akhbar().arg("print-unread"));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "1",
        "read from the data dir"
    );
    assert_eq!(
        files(&d.cache),
        Vec::<PathBuf>::new(),
        "nothing is a throw-away cache"
    );
    assert_eq!(files(&d.home), Vec::<PathBuf>::new(), "nothing under HOME");
}

#[test]
fn unset_empty_or_relative_variables_fall_back_to_the_defaults_under_home() {
    let server = BlockingServer::start(|_| Reply::ok("application/rss+xml", FEED));
    let vars = [
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_STATE_HOME",
        "XDG_CACHE_HOME",
    ];
    // Unset; empty; relative (not a base directory, the spec says: ignored like an empty one).
    for value in [None, Some(""), Some("relative/dir")] {
        let home = tempfile::tempdir().unwrap();
        let cmd = |args: &[&str]| {
            let mut cmd = akhbar(home.path());
            // A relative directory taken as one would land here, under HOME.
            cmd.args(args).current_dir(home.path());
            if let Some(v) = value {
                for var in vars {
                    cmd.env(var, v);
                }
            }
            cmd
        };
        run(&mut cmd(&["--init"]));
        let config = home.path().join(".config/akhbar/config.toml");
        let mut text = std::fs::read_to_string(&config).unwrap();
        text.push_str(&format!("[[feed]]\nurl = \"{}\"\n", server.url("/f.xml")));
        std::fs::write(&config, text).unwrap();
        run(&mut cmd(&["refresh"]));
        let all = files(home.path());
        for f in [
            ".config/akhbar/config.toml",
            ".local/share/akhbar/cache.sqlite",
            ".local/state/akhbar/akhbar.log",
        ] {
            assert!(all.contains(&p(f)), "{value:?}: {f} in {all:?}");
        }
        assert!(
            all.iter()
                .all(|f| f.starts_with(".config") || f.starts_with(".local")),
            "{value:?}: {all:?}"
        );
    }
}

#[test]
fn the_flags_win_over_the_variables() {
    let server = BlockingServer::start(|_| Reply::ok("application/rss+xml", FEED));
    let d = Dirs::new();
    let elsewhere = tempfile::tempdir().unwrap();
    let config = elsewhere.path().join("my.toml");
    std::fs::write(
        &config,
        format!("[[feed]]\nurl = \"{}\"\n", server.url("/f.xml")),
    )
    .unwrap();
    let data = elsewhere.path().join("db");
    let log = elsewhere.path().join("logs/a.log");
    run(d
        .akhbar()
        .arg("refresh")
        .arg("--config")
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .arg("--log-file")
        .arg(&log));
    assert!(data.join("cache.sqlite").exists());
    assert!(log.exists());
    for dir in [&d.config, &d.data, &d.state, &d.cache, &d.home] {
        assert_eq!(files(dir), Vec::<PathBuf>::new(), "{dir:?}");
    }
}

/// The shell blocks of the README's "Install" section.
fn install_blocks() -> Vec<String> {
    let readme = include_str!("../../README.md");
    let start = readme.find("\n## Install\n").expect("an Install section");
    let section = &readme[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    section
        .split("```sh\n")
        .skip(1)
        .filter_map(|b| b.split_once("```").map(|(code, _)| code.to_string()))
        .collect()
}

/// The README's completion and man page steps, run as written by bash on an empty HOME with
/// the binary where `cargo install` puts it: every file lands, bash takes the completion,
/// and man finds the page.
#[test]
fn the_readme_install_steps_work_on_a_clean_home() {
    let blocks = install_blocks();
    assert_eq!(blocks.len(), 2, "{blocks:?}");
    assert!(
        blocks[0].starts_with("cargo install --path ."),
        "{}",
        blocks[0]
    );
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join(".cargo/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_akhbar"), bin.join("akhbar")).unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let shell = |script: &str| {
        Command::new("bash")
            .args(["--norc", "--noprofile", "-e", "-c", script])
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", &path)
            .current_dir(home.path())
            .output()
            .unwrap()
    };
    let o = shell(&blocks[1]);
    assert!(o.status.success(), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stdout).starts_with("akhbar "),
        "{o:?}"
    );
    let wrote = files(home.path());
    for f in [
        ".local/share/bash-completion/completions/akhbar",
        ".zfunc/_akhbar",
        ".config/fish/completions/akhbar.fish",
        ".cargo/share/man/man1/akhbar.1",
    ] {
        let full = home.path().join(f);
        assert!(
            std::fs::metadata(&full).is_ok_and(|m| m.len() > 100),
            "{f} in {wrote:?}"
        );
    }
    let o = shell("source ~/.local/share/bash-completion/completions/akhbar && complete -p akhbar");
    assert!(o.status.success(), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("akhbar"),
        "{o:?}"
    );
    if !crate::support::process::program_runs("man", &["--version"]) {
        crate::support::process::skip_missing("man", "man-db");
        return;
    }
    let o = shell("man -w akhbar");
    assert!(o.status.success(), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stdout).contains(".cargo/share/man/man1/akhbar.1"),
        "{o:?}"
    );
}
