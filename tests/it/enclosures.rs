//! Enclosures (issue 11): parsed from RSS, Atom, JSON Feed and Media RSS, web URLs only,
//! kept by the store and the cache, and a cache of version 7 migrated to keep them.

use akhbar::feed::parse_feed_at;
use akhbar::model::{Enclosure, FeedId, MAX_ENCLOSURES, ParsedFeed};
use akhbar::persist::{self, Change};
use rusqlite::Connection;

use crate::support::app::store;
use crate::support::builders::{article, parsed_feed, parsed_item};

fn fixture(name: &str, url: &str) -> ParsedFeed {
    let path = format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"));
    let body = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse_feed_at(&body, None, Some(url)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn enc(url: &str, mime: &str, len: Option<u64>, dur: Option<u64>) -> Enclosure {
    Enclosure {
        url: url.into(),
        mime: mime.into(),
        length_bytes: len,
        duration_s: dur,
    }
}

#[test]
fn an_rss_enclosure_keeps_its_type_length_and_itunes_duration() {
    let feed = fixture("podcast_rss.xml", "https://pod.example.org/feed.xml");
    assert_eq!(
        feed.items[0].enclosures,
        [enc(
            "https://cdn.example.org/ep12.mp3",
            "audio/mpeg",
            Some(12_345_678),
            Some(41 * 60 + 20)
        )]
    );
}

#[test]
fn relative_enclosures_resolve_and_non_web_ones_are_dropped() {
    let feed = fixture("podcast_rss.xml", "https://pod.example.org/feed.xml");
    // length="0" means unknown; javascript: and file: never become enclosures.
    assert_eq!(
        feed.items[1].enclosures,
        [enc(
            "https://pod.example.org/media/ep13.ogg",
            "audio/ogg",
            None,
            None
        )]
    );
}

#[test]
fn a_media_rss_content_is_an_enclosure() {
    let feed = fixture("podcast_rss.xml", "https://pod.example.org/feed.xml");
    let e = &feed.items[2].enclosures;
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].url, "https://cdn.example.org/v14.mp4");
    assert_eq!(e[0].mime, "video/mp4");
    assert_eq!(e[0].duration_s, Some(95));
}

#[test]
fn atom_enclosure_links_are_enclosures_and_the_page_link_is_not() {
    let feed = fixture("podcast_atom.xml", "https://he.example.org/atom.xml");
    let item = &feed.items[0];
    assert_eq!(item.link.as_deref(), Some("https://he.example.org/1"));
    assert_eq!(
        item.enclosures,
        [
            enc(
                "https://he.example.org/1.m4a",
                "audio/mp4",
                Some(2_048_000),
                None
            ),
            enc(
                "https://he.example.org/1.pdf",
                "application/pdf",
                None,
                None
            ),
        ]
    );
}

#[test]
fn json_feed_attachments_are_enclosures_with_their_duration() {
    let feed = fixture("podcast.json", "https://json.example.org/feed.json");
    let item = &feed.items[0];
    assert_eq!(item.link.as_deref(), Some("https://json.example.org/1"));
    assert_eq!(
        item.enclosures,
        [
            enc(
                "https://json.example.org/1.mp3",
                "audio/mpeg",
                Some(31_457_280),
                Some(3725)
            ),
            enc("https://json.example.org/1.txt", "text/plain", None, None),
        ]
    );
}

#[test]
fn an_enclosure_type_with_controls_is_sanitized_and_the_list_is_capped() {
    let mut xml =
        String::from("<rss version=\"2.0\"><channel><title>t</title><item><title>i</title>");
    for i in 0..MAX_ENCLOSURES + 5 {
        xml.push_str(&format!(
            "<enclosure url=\"https://e.org/{i}.mp3\" type=\"audio/mpeg\" length=\"1\"/>"
        ));
    }
    // The same URL twice is one enclosure.
    xml.push_str("<enclosure url=\"https://e.org/0.mp3\" type=\"audio/mpeg\"/>");
    xml.push_str("</item></channel></rss>");
    let feed = akhbar::feed::parse_feed(xml.as_bytes(), None).unwrap();
    let e = &feed.items[0].enclosures;
    assert_eq!(e.len(), MAX_ENCLOSURES);
    assert_eq!(e[0].url, "https://e.org/0.mp3");
    assert_eq!(
        e[MAX_ENCLOSURES - 1].url,
        format!("https://e.org/{}.mp3", MAX_ENCLOSURES - 1)
    );
}

#[test]
fn a_refetch_that_adds_an_enclosure_updates_the_stored_article() {
    let mut s = store();
    let feed = FeedId(0);
    let now = chrono::Utc::now();
    s.ingest(feed, parsed_feed(vec![parsed_item("g", "Ep")]), now);
    let with = akhbar::model::ParsedItem {
        enclosures: vec![enc("https://e.org/a.mp3", "audio/mpeg", None, None)],
        ..parsed_item("g", "Ep")
    };
    let report = s.ingest(feed, parsed_feed(vec![with.clone()]), now);
    assert_eq!(report.changed.len(), 1);
    let id = report.changed[0];
    assert_eq!(s.article(id).unwrap().enclosures(), with.enclosures);
    // The same list again changes nothing.
    let report = s.ingest(feed, parsed_feed(vec![with]), now);
    assert!(report.changed.is_empty());
}

#[test]
fn a_version_7_cache_is_migrated_and_keeps_enclosures_from_then_on() {
    let dir = tempfile::tempdir().unwrap();
    let url = "https://pod.example.org/feed.xml".to_string();
    {
        let (cache, _) = persist::open(dir.path()).unwrap();
        cache.send(Change::UpsertArticles {
            feed_url: url.clone(),
            articles: vec![article("old")],
        });
        cache.flush_blocking().unwrap();
    }
    // Version 7 is version 8 without the column: made so by hand.
    {
        let conn = Connection::open(dir.path().join("cache.sqlite")).unwrap();
        conn.execute_batch("ALTER TABLE articles DROP COLUMN enclosures")
            .unwrap();
        conn.pragma_update(None, "user_version", 7).unwrap();
    }
    let episode = akhbar::model::Article::from(akhbar::model::ArticleFields {
        enclosures: vec![
            enc(
                "https://pod.example.org/ep.mp3",
                "audio/mpeg",
                Some(10),
                Some(20),
            ),
            enc("https://pod.example.org/ep.ogg", "", None, None),
        ],
        ..article("new").into_fields()
    });
    {
        let (cache, loaded) = persist::open(dir.path()).unwrap();
        assert!(loaded.notices.is_empty(), "{:?}", loaded.notices);
        let old = &loaded
            .articles
            .iter()
            .find(|(_, a)| a.key() == "old")
            .unwrap()
            .1;
        assert!(old.enclosures().is_empty());
        cache.send(Change::UpsertArticles {
            feed_url: url.clone(),
            articles: vec![episode.clone()],
        });
        cache.flush_blocking().unwrap();
    }
    let conn = Connection::open(dir.path().join("cache.sqlite")).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 10);
    drop(conn);
    let (_cache, loaded) = persist::open(dir.path()).unwrap();
    let got = &loaded
        .articles
        .iter()
        .find(|(_, a)| a.key() == "new")
        .unwrap()
        .1;
    assert_eq!(got.enclosures(), episode.enclosures());
}

#[test]
fn retention_drops_an_articles_enclosures_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let url = "https://pod.example.org/feed.xml".to_string();
    let old = akhbar::model::Article::from(akhbar::model::ArticleFields {
        first_seen: chrono::Utc::now() - chrono::Duration::days(40),
        enclosures: vec![enc(
            "https://pod.example.org/old.mp3",
            "audio/mpeg",
            None,
            None,
        )],
        ..article("old").into_fields()
    });
    {
        let (cache, _) = persist::open(dir.path()).unwrap();
        cache.send(Change::UpsertArticles {
            feed_url: url.clone(),
            articles: vec![old],
        });
        cache.send(Change::Retain {
            keep_days: 30,
            keep_per_feed: 0,
            still_listed: Vec::new(),
        });
        cache.flush_blocking().unwrap();
    }
    let conn = Connection::open(dir.path().join("cache.sqlite")).unwrap();
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM articles WHERE enclosures IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
}

mod reader {
    use akhbar::clock::Zone;
    use akhbar::model::{Article, ArticleFields, Direction};
    use akhbar::store::Store;
    use akhbar::text::{BidiMode, TextOptions};
    use akhbar::view::layout_article;

    use super::enc;
    use crate::support::builders::article;

    fn lay_out(a: &Article, dir: Direction, width: usize) -> Vec<(String, bool)> {
        let mut store = Store::new();
        store.add_feed("https://pod.example/rss", Some("Pod"), vec![], dir);
        let opts = TextOptions {
            mode: BidiMode::App,
            shaping: false,
        };
        layout_article(a, store.feed(a.feed), width, &opts, Zone::UTC)
            .iter()
            .map(|l| (l.line.text(), l.line.rtl))
            .collect()
    }

    fn episode(title: &str, body: &str, language: Option<&str>) -> Article {
        Article::from(ArticleFields {
            title: title.into(),
            link: Some("https://pod.example/ep".into()),
            content_html: Some(body.into()),
            language: language.map(str::to_string),
            enclosures: vec![
                enc(
                    "https://cdn.example/ep12.mp3",
                    "audio/mpeg",
                    Some(12_345_678),
                    Some(2480),
                ),
                enc(
                    "https://cdn.example/%D8%AD%D9%84%D9%82%D8%A9.ogg",
                    "audio/ogg",
                    None,
                    Some(3723),
                ),
            ],
            ..article("k1").into_fields()
        })
    }

    fn block(lines: &[(String, bool)]) -> Vec<(String, bool)> {
        let start = lines
            .iter()
            .position(|(t, _)| t == "Enclosures")
            .expect("an Enclosures heading");
        lines[start..]
            .iter()
            .take_while(|(t, _)| !t.is_empty())
            .cloned()
            .collect()
    }

    #[test]
    fn the_reader_lists_each_enclosure_with_type_size_length_and_name() {
        let a = episode("Episode 12", "<p>Water.</p>", Some("en"));
        let lines = lay_out(&a, Direction::Auto, 80);
        let texts: Vec<&str> = lines.iter().map(|(t, _)| t.as_str()).collect();
        let got = block(&lines);
        let shown: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            shown,
            [
                "Enclosures",
                "(1) audio/mpeg · 12.3 MB · 41:20 · ep12.mp3",
                "    https://cdn.example/ep12.mp3",
                // App mode draws visual order: the Arabic name reads right to left, its `.ogg` after.
                "(2) audio/ogg · 1:02:03 · ogg.ةقلح",
                "    https://cdn.example/%D8%AD%D9%84%D9%82%D8%A9.ogg",
            ],
            "{texts:#?}"
        );
        // After the body, before the Links list.
        let at = |s: &str| texts.iter().position(|t| *t == s).unwrap();
        assert!(at("Water.") < at("Enclosures") && at("Enclosures") < at("Links"));
    }

    #[test]
    fn in_a_right_to_left_article_the_block_stays_left_to_right() {
        let a = episode("الحلقة 12", "<p>عن تحلية المياه.</p>", Some("ar"));
        let lines = lay_out(&a, Direction::Rtl, 60);
        // The body is right to left...
        assert!(lines.iter().any(|(t, rtl)| *rtl && t.contains("ةيلحت")));
        // ...the enclosures are not: same rows as in a left-to-right article.
        let got = block(&lines);
        assert!(got.iter().all(|(_, rtl)| !rtl), "{got:?}");
        assert_eq!(got[1].0, "(1) audio/mpeg · 12.3 MB · 41:20 · ep12.mp3");
        assert_eq!(got[3].0, "(2) audio/ogg · 1:02:03 · ogg.ةقلح");
    }

    #[test]
    fn an_article_without_enclosures_has_no_block() {
        let a = Article::from(ArticleFields {
            enclosures: Vec::new(),
            ..episode("Plain", "<p>Text.</p>", Some("en")).into_fields()
        });
        let lines = lay_out(&a, Direction::Auto, 80);
        assert!(!lines.iter().any(|(t, _)| t == "Enclosures"));
    }
}

mod play {
    use std::os::unix::fs::PermissionsExt;
    use std::time::{Duration, Instant};

    use akhbar::app::{App, Cmd, Msg};
    use akhbar::model::{Direction, ParsedFeed};
    use akhbar::runtime::Runtime;
    use akhbar::store::Store;
    use akhbar::text::BidiMode;

    use super::enc;
    use crate::support::app::{app_with, item, options, send};
    use crate::support::builders::{key, parsed_feed};

    const ONE: &str = "https://cdn.example/one.mp3";

    /// A podcast feed: "One" (newest, one enclosure) and "Three" (three enclosures).
    fn podcast(player: &[&str]) -> App {
        let mut s = Store::new();
        let f = s.add_feed(
            "http://127.0.0.1:1/pod.xml",
            Some("Pod"),
            vec![],
            Direction::Auto,
        );
        let one = akhbar::model::ParsedItem {
            enclosures: vec![enc(ONE, "audio/mpeg", None, None)],
            ..item("one", "One", 10, Some("https://pod.example/1"), "<p>1</p>")
        };
        let three = akhbar::model::ParsedItem {
            enclosures: (1..=3)
                .map(|i| {
                    enc(
                        &format!("https://cdn.example/3-{i}.mp3"),
                        "audio/mpeg",
                        None,
                        None,
                    )
                })
                .collect(),
            ..item(
                "three",
                "Three",
                9,
                Some("https://pod.example/3"),
                "<p>3</p>",
            )
        };
        let plain = item(
            "plain",
            "Plain",
            8,
            Some("https://pod.example/p"),
            "<p>p</p>",
        );
        s.ingest(
            f,
            ParsedFeed {
                ..parsed_feed(vec![one, three, plain])
            },
            chrono::Utc::now(),
        );
        let mut opts = options(s, BidiMode::App);
        opts.player = player.iter().map(|s| s.to_string()).collect();
        app_with(opts)
    }

    fn plays(cmds: &[Cmd]) -> Vec<&Cmd> {
        cmds.iter()
            .filter(|c| matches!(c, Cmd::Play { .. } | Cmd::OpenUrl(_)))
            .collect()
    }

    #[test]
    fn the_play_key_gives_the_player_the_enclosure_url_last() {
        let mut app = podcast(&["mpv", "--no-video"]);
        let cmds = send(&mut app, key('p'));
        let argv: Vec<String> = ["mpv", "--no-video", ONE].map(String::from).to_vec();
        assert_eq!(plays(&cmds), [&Cmd::Play { argv }]);
    }

    #[test]
    fn without_a_player_the_enclosure_opens_in_the_browser() {
        let mut app = podcast(&[]);
        let cmds = send(&mut app, key('p'));
        assert_eq!(plays(&cmds), [&Cmd::OpenUrl(ONE.into())]);
    }

    #[test]
    fn the_play_key_works_in_the_reader_too() {
        let mut app = podcast(&["vlc", "--open=%u"]);
        send(
            &mut app,
            crate::support::builders::code(crossterm::event::KeyCode::Enter),
        );
        assert!(app.reader().is_some());
        let cmds = send(&mut app, key('p'));
        let argv = vec!["vlc".to_string(), format!("--open={ONE}")];
        assert_eq!(plays(&cmds), [&Cmd::Play { argv }]);
    }

    #[test]
    fn with_several_enclosures_the_next_digit_says_which() {
        let mut app = podcast(&["mpv"]);
        send(&mut app, key('j'));
        assert!(plays(&send(&mut app, key('p'))).is_empty());
        assert!(app.choosing_enclosure());
        let cmds = send(&mut app, key('2'));
        let argv = vec!["mpv".to_string(), "https://cdn.example/3-2.mp3".to_string()];
        assert_eq!(plays(&cmds), [&Cmd::Play { argv }]);
        assert!(!app.choosing_enclosure());
    }

    #[test]
    fn any_other_key_cancels_the_question_and_does_nothing_else() {
        let mut app = podcast(&["mpv"]);
        send(&mut app, key('j'));
        send(&mut app, key('p'));
        let before = app.headlines().selected();
        // `j` would move the cursor; here it only answers "none".
        let cmds = send(&mut app, key('j'));
        assert!(plays(&cmds).is_empty());
        assert_eq!(app.headlines().selected(), before);
        assert!(!app.choosing_enclosure());
        // A number past the list plays nothing.
        send(&mut app, key('p'));
        assert!(plays(&send(&mut app, key('7'))).is_empty());
    }

    #[test]
    fn an_article_without_enclosures_plays_nothing() {
        let mut app = podcast(&["mpv"]);
        send(&mut app, key('j'));
        send(&mut app, key('j'));
        assert!(plays(&send(&mut app, key('p'))).is_empty());
        assert!(!app.choosing_enclosure());
    }

    /// A script that writes the arguments it was given, one a line, to `out` (its first).
    fn recorder(dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("record.sh");
        std::fs::write(
            &path,
            "#!/bin/sh\nout=\"$1\"; shift\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$out.tmp\"\nmv \"$out.tmp\" \"$out\"\n",
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    fn wait_for(path: &std::path::Path) -> String {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(s) = std::fs::read_to_string(path) {
                return s;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{} was never written", path.display());
    }

    #[test]
    fn the_runtime_runs_the_player_with_exactly_that_argv_and_no_shell() {
        let dir = tempfile::tempdir().unwrap();
        let script = recorder(dir.path());
        let out = dir.path().join("argv.txt");
        // A URL a shell would split and run: it must arrive as one argument.
        let url = "https://cdn.example/a b.mp3?x=1;touch${IFS}pwned&y=$(id)";
        let rt = tokio::runtime::Runtime::new().unwrap();
        let _enter = rt.enter();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let runtime = Runtime::new(None, tx);
        let argv = vec![
            script.display().to_string(),
            out.display().to_string(),
            "--no-video".to_string(),
            url.to_string(),
        ];
        let rest = runtime.run(vec![Cmd::Play { argv }]);
        assert!(rest.is_empty(), "{rest:?}");
        assert_eq!(wait_for(&out), format!("--no-video\n{url}\n"));
        assert!(!dir.path().join("pwned").exists());
        // It ended well: no notice.
        std::thread::sleep(Duration::from_millis(100));
        assert!(rx.try_recv().is_err());
    }

    #[test]
    fn a_player_that_cannot_start_is_a_notice() {
        let dir = tempfile::tempdir().unwrap();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let _enter = rt.enter();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let runtime = Runtime::new(None, tx);
        let missing = dir.path().join("no-such-player");
        runtime.run(vec![Cmd::Play {
            argv: vec![missing.display().to_string(), ONE.into()],
        }]);
        match rx.blocking_recv() {
            Some(Msg::Notice(n)) => assert!(n.contains("could not start the player"), "{n}"),
            other => panic!("{other:?}"),
        }
    }
}

mod config {
    use akhbar::config::{Config, ConfigError, HyperlinkSetting};
    use std::path::Path;

    #[test]
    fn player_and_hyperlinks_are_read_and_default_to_the_browser_and_auto() {
        let c = Config::parse(Path::new("c.toml"), "").unwrap();
        assert!(c.player.is_empty());
        assert_eq!(c.hyperlinks, HyperlinkSetting::Auto);
        let c = Config::parse(
            Path::new("c.toml"),
            "player = [\"mpv\", \"--no-video\"]\nhyperlinks = \"on\"\n",
        )
        .unwrap();
        assert_eq!(c.player, ["mpv", "--no-video"]);
        assert_eq!(c.hyperlinks, HyperlinkSetting::On);
    }

    #[test]
    fn a_bad_player_or_hyperlinks_value_names_its_line_and_key() {
        let err = Config::parse(
            Path::new("c.toml"),
            "mouse = true\nplayer = [\"\", \"x\"]\n",
        )
        .unwrap_err();
        assert!(
            matches!(&err, ConfigError::Invalid { line: 2, key: Some(k), .. } if k == "player"),
            "{err}"
        );
        let err = Config::parse(Path::new("c.toml"), "\nhyperlinks = \"sometimes\"\n").unwrap_err();
        assert!(
            matches!(&err, ConfigError::Invalid { line: 2, key: Some(k), .. } if k == "hyperlinks"),
            "{err}"
        );
        let err = Config::parse(Path::new("c.toml"), "player = \"mpv --no-video\"\n").unwrap_err();
        assert!(
            matches!(&err, ConfigError::Invalid { line: 1, .. }),
            "{err}"
        );
    }
}

mod hyperlinks {
    use akhbar::clock::Zone;
    use akhbar::model::{Article, ArticleFields, Direction};
    use akhbar::store::Store;
    use akhbar::text::{BidiMode, TextOptions};
    use akhbar::view::{StyledLine, layout_article};

    use crate::support::builders::article;

    fn lines(body: &str, language: &str, dir: Direction) -> Vec<StyledLine> {
        let mut store = Store::new();
        store.add_feed("https://n.example/rss", Some("N"), vec![], dir);
        let a = Article::from(ArticleFields {
            title: "T".into(),
            link: Some("https://n.example/story".into()),
            content_html: Some(body.into()),
            language: Some(language.into()),
            ..article("k").into_fields()
        });
        let opts = TextOptions {
            mode: BidiMode::App,
            shaping: false,
        };
        layout_article(&a, store.feed(a.feed), 60, &opts, Zone::UTC)
            .into_iter()
            .map(|l| l.line)
            .collect()
    }

    /// The (text, target) of each linked part of `line`.
    fn linked(line: &StyledLine) -> Vec<(String, String)> {
        line.links
            .iter()
            .map(|(i, t)| (line.parts[*i].0.text.clone(), t.clone()))
            .collect()
    }

    #[test]
    fn link_text_and_its_number_carry_the_address() {
        let ls = lines(
            r#"<p>See <a href="https://e.org/report">the report</a> today.</p>"#,
            "en",
            Direction::Auto,
        );
        let line = ls.iter().find(|l| l.text().contains("See")).unwrap();
        let got = linked(line);
        assert!(
            got.iter()
                .any(|(t, u)| t.contains("the report") && u == "https://e.org/report"),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|(t, u)| t.contains("[1]") && u == "https://e.org/report"),
            "{got:?}"
        );
        assert!(!got.iter().any(|(t, _)| t.contains("today")), "{got:?}");
        // The Links list rows are linked too, the article's own link first.
        let list: Vec<_> = ls.iter().skip_while(|l| l.text() != "Links").collect();
        assert_eq!(linked(list[1])[0].1, "https://n.example/story");
        assert_eq!(linked(list[2])[0].1, "https://e.org/report");
    }

    #[test]
    fn in_a_right_to_left_paragraph_the_link_keeps_its_address() {
        let ls = lines(
            r#"<p>قال <a href="https://e.org/ar">التقرير الكامل</a> اليوم.</p>"#,
            "ar",
            Direction::Rtl,
        );
        let line = ls
            .iter()
            .find(|l| l.rtl && l.text().contains("[1]"))
            .unwrap();
        let got = linked(line);
        assert!(got.len() >= 2, "{got:?}");
        assert!(got.iter().all(|(_, u)| u == "https://e.org/ar"), "{got:?}");
        // The linked text is the link's words (reordered for display), nothing else.
        let text: String = got.iter().map(|(t, _)| t.as_str()).collect();
        assert!(!text.contains("اليوم") && !text.contains("مويلا"), "{got:?}");
    }

    #[test]
    fn two_links_side_by_side_only_link_their_numbers() {
        let ls = lines(
            r#"<p><a href="https://e.org/a">A</a><a href="https://e.org/b">B</a></p>"#,
            "en",
            Direction::Auto,
        );
        let line = ls.iter().find(|l| l.text().contains("[2]")).unwrap();
        let got = linked(line);
        assert!(
            got.iter()
                .any(|(t, u)| t.contains("[1]") && u == "https://e.org/a"),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|(t, u)| t.contains("[2]") && u == "https://e.org/b"),
            "{got:?}"
        );
        assert!(!got.iter().any(|(t, _)| t == "A" || t == "B"), "{got:?}");
    }

    #[test]
    fn the_screen_has_hyperlinks_only_when_they_are_on() {
        use crate::support::app::{app_with, item, options, render, send};
        use crate::support::builders::{code, parsed_feed};
        for on in [true, false] {
            let mut s = Store::new();
            let f = s.add_feed(
                "http://127.0.0.1:1/x.xml",
                Some("X"),
                vec![],
                Direction::Auto,
            );
            let body = r#"<p>Read <a href="https://e.org/r">this</a>.</p><p><a href="javascript:alert(1)">bad</a></p>"#;
            s.ingest(
                f,
                parsed_feed(vec![item("g", "Story", 10, Some("https://e.org/s"), body)]),
                chrono::Utc::now(),
            );
            let mut opts = options(s, BidiMode::App);
            opts.hyperlinks = on;
            let mut app = app_with(opts);
            send(&mut app, code(crossterm::event::KeyCode::Enter));
            let buf = render(&app, 80, 24);
            let symbols: String = buf.content.iter().map(|c| c.symbol()).collect();
            let good = "\u{1b}]8;;https://e.org/r\u{1b}\\";
            assert_eq!(symbols.contains(good), on, "{on}");
            assert!(!symbols.contains("javascript"), "{on}");
        }
    }
}
