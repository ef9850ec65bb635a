//! End to end (issue 11): the built binary in tmux against a podcast feed served by this
//! test. The reader lists the enclosure with its type, size and length; `p` runs `player`
//! (a script that writes down the arguments it was given) with the enclosure's URL; with
//! two enclosures `p` asks and `2` plays the second.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::http::{BlockingServer, Reply};
use crate::support::process::skip_missing;
use crate::support::tmux::{Tmux, shell_quote};

const EP12: &str = "http://127.0.0.1:9/media/ep12.mp3";
const PART_B: &str = "http://127.0.0.1:9/media/part-b.ogg";

fn feed() -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Pod E2E</title><link>http://127.0.0.1/</link><language>en</language>
<item><guid>ep12</guid><title>Episode twelve: water</title><link>http://127.0.0.1/ep12</link>
<pubDate>Fri, 27 Nov 2026 10:00:00 +0000</pubDate>
<description><![CDATA[<p>About desalination.</p>]]></description>
<enclosure url="{EP12}" length="12345678" type="audio/mpeg"/>
<itunes:duration>41:20</itunes:duration></item>
<item><guid>two</guid><title>Double episode</title><link>http://127.0.0.1/two</link>
<pubDate>Thu, 26 Nov 2026 10:00:00 +0000</pubDate>
<description><![CDATA[<p>Two parts.</p>]]></description>
<enclosure url="http://127.0.0.1:9/media/part-a.ogg" length="1000" type="audio/ogg"/>
<enclosure url="{PART_B}" length="2000" type="audio/ogg"/>
</item>
</channel></rss>"#
    )
}

/// A player that writes the arguments after its first (the file to write) one a line.
fn recorder(dir: &Path) -> PathBuf {
    let path = dir.join("player.sh");
    std::fs::write(
        &path,
        "#!/bin/sh\nout=\"$1\"; shift\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$out.tmp\"\nmv \"$out.tmp\" \"$out\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn wait_for_file(path: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(s) = std::fs::read_to_string(path) {
            return s;
        }
        assert!(
            Instant::now() < deadline,
            "the player never wrote {}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn an_enclosure_is_listed_in_the_reader_and_the_play_key_runs_the_player_with_its_url() {
    if !Tmux::available() {
        skip_missing("tmux", "tmux");
        return;
    }
    let body = feed();
    let server = BlockingServer::start(move |_| Reply::ok("application/rss+xml", body.clone()));
    let dir = tempfile::tempdir().unwrap();
    let player = recorder(dir.path());
    let played = dir.path().join("played.txt");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "refresh_interval = \"1h\"\nbidi = \"app\"\nplayer = [{:?}, {:?}, \"--no-video\"]\n\
             [[feed]]\nurl = \"{}\"\n",
            player.display().to_string(),
            played.display().to_string(),
            server.url("/pod.xml")
        ),
    )
    .unwrap();
    let home = dir.path().display().to_string();
    let shell = format!(
        "env -i PATH=/usr/bin:/bin HOME={home} XDG_DATA_HOME={home}/data XDG_STATE_HOME={home}/state TERM=xterm-256color PS1='MEDIA$ ' bash --norc --noprofile"
    );
    let tmux = Tmux::start("media", 100, 30, &shell);
    tmux.wait_for("the shell prompt", |s| s.contains("MEDIA$"));
    let run = format!(
        "{} --config {}",
        env!("CARGO_BIN_EXE_akhbar"),
        shell_quote(&config)
    );
    tmux.send_keys(&[&run, "Enter"]);
    tmux.wait_for("the episodes", |s| {
        s.contains("Episode twelve: water") && s.contains("Double episode")
    });
    tmux.send_keys(&["Enter"]);
    let screen = tmux.wait_for("the enclosure in the reader", |s| s.contains("Enclosures"));
    let row = screen
        .lines()
        .find(|l| l.contains("(1)"))
        .unwrap_or_else(|| panic!("no enclosure row:\n{screen}"));
    for want in ["audio/mpeg", "12.3 MB", "41:20", "ep12.mp3"] {
        assert!(row.contains(want), "{want} in {row:?}\n{screen}");
    }
    assert!(screen.contains(EP12), "{screen}");
    tmux.send_keys(&["p"]);
    assert_eq!(wait_for_file(&played), format!("--no-video\n{EP12}\n"));
    tmux.wait_for("the notice", |s| s.contains("playing ep12.mp3"));

    // Back to the list, the second episode: `p` asks which, `2` plays the second.
    std::fs::remove_file(&played).unwrap();
    tmux.send_keys(&["q"]);
    tmux.wait_for("the list again", |s| !s.contains("Enclosures"));
    tmux.send_keys(&["j"]);
    tmux.send_keys(&["p"]);
    tmux.wait_for("the question", |s| s.contains("play which enclosure? 1-2"));
    tmux.send_keys(&["2"]);
    assert_eq!(wait_for_file(&played), format!("--no-video\n{PART_B}\n"));

    tmux.send_keys(&["q"]);
    tmux.wait_for("the prompt back", |s| {
        s.lines()
            .rfind(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim() == "MEDIA$")
    });
}
