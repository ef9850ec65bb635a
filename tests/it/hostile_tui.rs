//! The TUI against a feed of terminal attacks (issue 15): akhbar runs in tmux, every byte it
//! writes is recorded raw (`pipe-pane`), the article list and an opened article are drawn,
//! and none of the feed's sequences (OSC 52 clipboard writes, OSC 8 links, window titles,
//! DCS, C1 controls, bidi overrides and isolates) is in what reached the terminal. With
//! `hyperlinks = "on"` akhbar writes OSC 8 itself: only its own well-formed ones, with a
//! sanitized web target, are allowed, and a good link must be among them.

use std::time::{Duration, Instant};

use crate::support::http::{BlockingServer, Reply};
use crate::support::process::skip_missing;
use crate::support::tmux::{Tmux, shell_quote};

fn feed() -> String {
    let payloads = [
        "\u{1b}]52;c;cm0gLXJmIH4K\u{7}CLIP",
        "\u{1b}]8;;file:///etc/passwd\u{1b}\\LINK\u{1b}]8;;\u{1b}\\",
        "\u{1b}]0;PWNED\u{7}TITLE",
        "\u{1b}P+q\u{1b}\\DCS",
        "\u{9b}31mC1CSI \u{9d}0;C1OSC\u{9c}",
        "user\u{202e} \u{2066}// admin\u{2069} \u{2066}TROJAN",
    ];
    let mut items = String::new();
    for (i, p) in payloads.iter().enumerate() {
        let x = p.replace('&', "&amp;").replace('<', "&lt;");
        items.push_str(&format!(
            "<item><guid>e{i}</guid><title>Evil{i} {x}</title><author>{x}</author>\
             <link>http://127.0.0.1/{i}</link><description><![CDATA[<p>Body{i} {p}</p>\
             <p><a href=\"{x}\">{x}</a></p>]]></description></item>"
        ));
    }
    // The first item also links somewhere good, and to a file and a script.
    items = items.replacen(
        "<p>Body0 ",
        "<p><a href=\"https://good.example/ok\">GOOD</a> <a href=\"file:///etc/passwd\">FILE</a> \
         <a href=\"javascript:alert(1)\">JS</a></p><p>Body0 ",
        1,
    );
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Hostile\u{1b}]0;FEEDTITLE\u{7}</title>{items}</channel></rss>"
    )
}

const OSC8_OPEN: &str = "\u{1b}]8;;";
const ST: &str = "\u{1b}\\";

/// `raw` without akhbar's own OSC 8 hyperlinks (`ESC ] 8 ; ; TARGET ESC \` ... `ESC ] 8 ; ;
/// ESC \`, the target http, https or mailto of printable ASCII without `;`), and their
/// targets. Any other OSC 8 is left in, for [`injected`] to find.
fn without_own_hyperlinks(raw: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut targets = Vec::new();
    let mut rest = raw;
    while let Some(at) = rest.find(OSC8_OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OSC8_OPEN.len()..];
        let well_formed = after.find(ST).map(|end| &after[..end]).filter(|t| {
            (t.is_empty()
                || ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|s| t.starts_with(s)))
                && t.bytes().all(|b| (0x21..0x7f).contains(&b) && b != b';')
        });
        match well_formed {
            Some(t) => {
                if !t.is_empty() {
                    targets.push(t.to_string());
                }
                rest = &after[t.len() + ST.len()..];
            }
            None => {
                out.push_str(OSC8_OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, targets)
}

/// Which injected sequence `raw` carries, if any.
fn injected(raw: &[u8]) -> Option<&'static str> {
    let (text, _) = without_own_hyperlinks(&String::from_utf8_lossy(raw));
    // The payloads' printable rest (`]0;PWNED`) may show as text: only the escapes matter.
    let bad: [(&str, &str); 4] = [
        ("\u{1b}]52", "an OSC 52 clipboard write"),
        ("\u{1b}]8;", "an OSC 8 link"),
        ("\u{1b}]0;", "a window title"),
        ("\u{1b}P", "a DCS string"),
    ];
    for (seq, what) in bad {
        if text.contains(seq) {
            return Some(what);
        }
    }
    if text.chars().any(|c| matches!(c, '\u{80}'..='\u{9f}')) {
        return Some("a C1 control");
    }
    if text
        .chars()
        .any(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
    {
        return Some("a bidi embedding, override or isolate");
    }
    None
}

#[test]
fn no_sequence_from_a_hostile_feed_reaches_the_terminal_in_the_list_or_the_reader() {
    if !Tmux::available() {
        skip_missing("tmux", "tmux");
        return;
    }
    let body = feed();
    let server = BlockingServer::start(move |_| Reply::ok("application/rss+xml", body.clone()));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "refresh_interval = \"1h\"\nbidi = \"app\"\nhyperlinks = \"on\"\n[[feed]]\nurl = \"{}\"\n",
            server.url("/feed.xml")
        ),
    )
    .unwrap();
    let raw = dir.path().join("raw");
    let home = dir.path().display().to_string();
    let shell = format!(
        "env -i PATH=/usr/bin:/bin HOME={home} XDG_DATA_HOME={home}/data XDG_STATE_HOME={home}/state TERM=xterm-256color PS1='HOSTILE$ ' bash --norc --noprofile"
    );
    let tmux = Tmux::start("hostile", 100, 30, &shell);
    tmux.wait_for("the shell prompt", |s| s.contains("HOSTILE$"));
    tmux.cmd(&[
        "pipe-pane",
        "-o",
        "-t",
        "e2e",
        &format!("cat > {}", shell_quote(&raw)),
    ]);
    let run = format!(
        "{} --config {}",
        env!("CARGO_BIN_EXE_akhbar"),
        shell_quote(&config)
    );
    tmux.send_keys(&[&run, "Enter"]);
    tmux.wait_for("the hostile articles", |s| {
        s.contains("Evil0") && s.contains("Evil5")
    });
    tmux.send_keys(&["Enter"]);
    tmux.wait_for("an opened article", |s| s.contains("Body"));
    tmux.send_keys(&["q"]);
    tmux.wait_for("the list again", |s| !s.contains("Body"));
    tmux.send_keys(&["q"]);
    tmux.wait_for("the prompt back", |s| {
        s.lines()
            .rfind(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim() == "HOSTILE$")
    });
    tmux.cmd(&["pipe-pane", "-t", "e2e"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    let bytes = loop {
        let bytes = std::fs::read(&raw).unwrap_or_default();
        if String::from_utf8_lossy(&bytes).contains("Evil5") || Instant::now() > deadline {
            break bytes;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        String::from_utf8_lossy(&bytes).contains("Evil5"),
        "the raw stream was recorded ({} bytes)",
        bytes.len()
    );
    assert_eq!(injected(&bytes), None, "in the raw output of the TUI");
    let (_, targets) = without_own_hyperlinks(&String::from_utf8_lossy(&bytes));
    assert!(
        targets.iter().any(|t| t == "https://good.example/ok"),
        "the good link is an OSC 8 hyperlink: {targets:?}"
    );
    assert!(
        !targets
            .iter()
            .any(|t| t.contains("passwd") || t.contains("javascript") || t.contains("file:")),
        "{targets:?}"
    );
}

#[test]
fn the_raw_stream_check_sees_each_kind_of_injected_sequence() {
    for raw in [
        "a\u{1b}]52;c;eA==\u{7}",
        "\u{1b}]8;;file:///x\u{1b}\\",
        "\u{1b}]0;t\u{7}",
        "\u{1b}P+q\u{1b}\\",
        "x\u{9b}2J",
        "user\u{202e}",
        "\u{2066}iso",
    ] {
        assert!(injected(raw.as_bytes()).is_some(), "{raw:?}");
    }
    assert_eq!(
        injected("\u{1b}[31mplain\u{1b}[0m ]0;PWNED".as_bytes()),
        None
    );
    // akhbar's own hyperlinks pass; a hostile target or a stray opener does not.
    let own = "\u{1b}]8;;https://e.org/a%3Bb\u{1b}\\go\u{1b}]8;;\u{1b}\\";
    assert_eq!(injected(own.as_bytes()), None);
    for bad in [
        "\u{1b}]8;;file:///etc/passwd\u{1b}\\x\u{1b}]8;;\u{1b}\\",
        "\u{1b}]8;;https://e.org/a;b\u{1b}\\x",
        "\u{1b}]8;id=1;https://e.org/\u{1b}\\x",
        "\u{1b}]8;;https://e.org/ x\u{1b}\\",
        "\u{1b}]8;;https://e.org/",
    ] {
        assert!(injected(bad.as_bytes()).is_some(), "{bad:?}");
    }
}
