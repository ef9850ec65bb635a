//! `akhbar import` from newsboat (issue 12): `"query:Name:filter"` lines of a `urls` file
//! become `[[query]]` tables, and the `ignore-article` lines of a newsboat config
//! (`--newsboat-config FILE`) become `ignore` filters, top level for `"*"` and in the feed's
//! own table otherwise; a filter akhbar cannot read is refused with its column; everything
//! added is printed, and the config stays valid with the user's comments.

use std::path::Path;
use std::process::Output;

use akhbar::config::{Config, IgnorePlace, NewIgnore, NewQuery, append_finds};
use akhbar::opml::newsboat::{ImportedIgnore, ImportedQuery, parse_ignores, parse_queries};

use crate::support::process::akhbar;

const URLS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/newsboat/urls"
));
const CONFIG: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/newsboat/config"
));

#[test]
fn newsboats_documented_query_lines_become_query_feeds() {
    let p = parse_queries(URLS);
    assert_eq!(
        p.accepted,
        [
            ImportedQuery {
                name: "Unread Articles".into(),
                filter: r#"unread = "yes""#.into(),
                tags: vec![],
            },
            ImportedQuery {
                name: "tag1 Articles".into(),
                filter: r#"tags # "tag1""#.into(),
                tags: vec![],
            },
            // A colon in the filter stays in it; `~` renames, other words are tags.
            ImportedQuery {
                name: "Last week".into(),
                filter: "age between 0:7".into(),
                tags: vec!["recent".into()],
            },
        ]
    );
    assert_eq!(p.refused.len(), 1, "{:?}", p.refused);
    assert!(p.refused[0].0.starts_with("query:Broken"));
    assert!(p.refused[0].1.contains("column"), "{:?}", p.refused);
}

#[test]
fn newsboats_documented_ignore_lines_become_ignore_filters() {
    let p = parse_ignores(CONFIG);
    assert_eq!(
        p.accepted,
        [
            ImportedIgnore {
                feed: None,
                filter: r#"title =~ "Windows""#.into(),
            },
            ImportedIgnore {
                feed: Some("https://domain3.tld/feeds.rss".into()),
                filter: r#"title =~ "Sponsored""#.into(),
            },
            ImportedIgnore {
                feed: Some("http://www.heise.de/newsticker/heise.rdf".into()),
                filter: r#"title =~ "Gewinnspiel""#.into(),
            },
            // Continued over three lines with `\`.
            ImportedIgnore {
                feed: None,
                filter: r#"author = "bot" and content =~ "casino""#.into(),
            },
        ]
    );
    // newsboat's `description` is no attribute of akhbar's filters.
    assert_eq!(p.refused.len(), 1, "{:?}", p.refused);
    assert!(p.refused[0].1.contains("column 1"), "{:?}", p.refused);
    assert_eq!(p.notes.len(), 1);
    assert!(p.notes[0].contains("display"));
}

const MINE: &str = "# my config\n\n[[feed]]\nurl = \"https://domain3.tld/feeds.rss\" # news\n";

#[test]
fn appended_queries_and_ignores_keep_the_file_and_go_where_they_belong() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, MINE).unwrap();
    let queries = [NewQuery {
        name: "Unread Articles".into(),
        filter: r#"unread = "yes""#.into(),
        tags: vec!["meta".into()],
    }];
    let ignores = [
        NewIgnore {
            feed: None,
            filter: r#"title =~ "Windows""#.into(),
        },
        NewIgnore {
            feed: Some("https://domain3.tld/feeds.rss".into()),
            filter: r#"title =~ "Sponsored""#.into(),
        },
        NewIgnore {
            feed: Some("http://other.example/rss".into()),
            filter: r#"title =~ "x""#.into(),
        },
    ];
    let done = append_finds(&path, &queries, &ignores).unwrap();
    assert_eq!(done.queries, [("Unread Articles".to_string(), true)]);
    let places: Vec<&IgnorePlace> = done.ignores.iter().map(|(_, p)| p).collect();
    assert_eq!(
        places,
        [
            &IgnorePlace::Global,
            &IgnorePlace::Feed,
            &IgnorePlace::GlobalForFeed
        ]
    );
    let text = std::fs::read_to_string(&path).unwrap();
    // (A new top-level key goes before the tables, so before a comment heading them.)
    assert!(text.contains("# my config\n"), "{text}");
    assert!(text.contains("# news"), "{text}");
    let config = Config::parse(&path, &text).unwrap();
    assert_eq!(config.queries.len(), 1);
    assert_eq!(config.queries[0].tags, ["meta"]);
    let global: Vec<&str> = config.ignore.iter().map(|f| f.source()).collect();
    assert_eq!(
        global,
        [
            r#"title =~ "Windows""#,
            r#"feedurl = "http://other.example/rss" and (title =~ "x")"#
        ]
    );
    assert_eq!(
        config.feeds[0].ignore[0].source(),
        r#"title =~ "Sponsored""#
    );
    // Again: nothing is added twice.
    let again = append_finds(&path, &queries, &ignores).unwrap();
    assert_eq!(again.queries, [("Unread Articles".to_string(), false)]);
    assert!(
        again
            .ignores
            .iter()
            .all(|(_, p)| *p == IgnorePlace::AlreadyThere)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

fn run(home: &Path, args: &[&str]) -> Output {
    akhbar(home)
        .args(args)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .output()
        .unwrap()
}

#[test]
fn akhbar_import_brings_newsboats_urls_and_kill_file_and_says_what_it_added() {
    let home = tempfile::tempdir().unwrap();
    let nb = home.path().join(".newsboat");
    std::fs::create_dir_all(&nb).unwrap();
    std::fs::write(nb.join("urls"), URLS).unwrap();
    std::fs::write(nb.join("config"), CONFIG).unwrap();
    let urls = nb.join("urls");
    assert_eq!(run(home.path(), &["--init"]).status.code(), Some(0));
    let o = run(home.path(), &["import", urls.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("3 feeds added"), "{out}");
    assert!(
        out.contains(r#"query feed added: Unread Articles: unread = "yes""#),
        "{out}"
    );
    assert!(out.contains("refused: query:Broken"), "{out}");
    assert!(
        out.contains("3 query feeds and 0 ignore filters added"),
        "{out}"
    );
    // The config beside the urls file is not read unasked, but pointed at.
    assert!(out.contains("--newsboat-config"), "{out}");
    let config_toml = home.path().join("config/akhbar/config.toml");
    let o = run(
        home.path(),
        &[
            "import",
            "--newsboat-config",
            nb.join("config").to_str().unwrap(),
        ],
    );
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains(r#"ignore added (every feed): title =~ "Windows""#),
        "{out}"
    );
    assert!(
        out.contains(r#"ignore added (https://domain3.tld/feeds.rss): title =~ "Sponsored""#),
        "{out}"
    );
    assert!(out.contains("not in the config"), "{out}");
    assert!(out.contains("note: ignore-mode"), "{out}");
    assert!(
        out.contains("0 query feeds and 4 ignore filters added"),
        "{out}"
    );
    let text = std::fs::read_to_string(&config_toml).unwrap();
    let config = Config::parse(&config_toml, &text).unwrap();
    assert_eq!(config.queries.len(), 3);
    assert_eq!(config.ignore.len(), 3);
    let d3 = config
        .feeds
        .iter()
        .find(|f| f.url == "https://domain3.tld/feeds.rss")
        .unwrap();
    assert_eq!(d3.ignore.len(), 1);
    // Neither a file nor --newsboat-config: an error, not a silent success.
    let o = run(home.path(), &["import"]);
    assert_ne!(o.status.code(), Some(0));
}
