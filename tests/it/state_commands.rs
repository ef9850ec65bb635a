//! Issue 10 item 13, the state commands: `export-state` ends with a newline, and
//! `import-state` before the first refresh no longer throws the state away without a word.

use std::path::Path;
use std::process::Output;

use crate::support::http::{BlockingServer, Reply};
use crate::support::process::akhbar;

const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>State News</title><link>http://127.0.0.1/</link>
<item><guid>a</guid><title>First</title><pubDate>Fri, 27 Nov 2026 10:00:00 +0000</pubDate></item>
<item><guid>b</guid><title>Second</title><pubDate>Thu, 26 Nov 2026 10:00:00 +0000</pubDate></item>
</channel></rss>"#;

fn run(home: &Path, config: &Path, args: &[&str]) -> Output {
    akhbar(home)
        .arg("--config")
        .arg(config)
        .arg("--data-dir")
        .arg(home.join("data"))
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn export_state_ends_with_a_newline_and_import_state_before_the_first_refresh_says_what_to_do() {
    let server = BlockingServer::start(|_| Reply::ok("application/rss+xml", FEED));
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    let url = server.url("/feed.xml");
    std::fs::write(&config, format!("[[feed]]\nurl = \"{url}\"\n")).unwrap();
    // The state of another machine: `b` read and starred.
    let state = home.path().join("state.json");
    std::fs::write(
        &state,
        format!(
            r#"{{"format":"akhbar-state","version":1,"feeds":{{"{url}":[{{"key":"b","read":true,"starred":true}}]}}}}"#
        ),
    )
    .unwrap();

    let empty = run(home.path(), &config, &["export-state"]);
    assert!(empty.status.success(), "{}", text(&empty.stderr));
    assert!(
        text(&empty.stdout).ends_with("}\n"),
        "{:?}",
        text(&empty.stdout)
    );

    // Before the first refresh the cache has none of the articles: refused, and told why.
    let early = run(
        home.path(),
        &config,
        &["import-state", state.to_str().unwrap()],
    );
    assert_eq!(early.status.code(), Some(1), "{}", text(&early.stdout));
    let err = text(&early.stderr);
    assert!(
        err.contains("nothing imported") && err.contains("akhbar refresh"),
        "{err}"
    );

    let refresh = run(home.path(), &config, &["refresh"]);
    assert!(refresh.status.success(), "{}", text(&refresh.stderr));
    let late = run(
        home.path(),
        &config,
        &["import-state", state.to_str().unwrap()],
    );
    assert!(late.status.success(), "{}", text(&late.stderr));
    assert!(
        text(&late.stdout).contains("1 articles updated"),
        "{}",
        text(&late.stdout)
    );

    let exported = run(home.path(), &config, &["export-state"]);
    let out = text(&exported.stdout);
    assert!(out.ends_with("}\n"), "{out:?}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let b = json["feeds"][url.as_str()]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == "b")
        .unwrap()
        .clone();
    assert_eq!(
        (b["read"].as_bool(), b["starred"].as_bool()),
        (Some(true), Some(true))
    );
}
