//! Full articles (issue 11): the full text kept in the cache with its article (across a
//! reopen, replaced by a newer one, gone with the article at retention), the `F` key's fetch
//! and toggle in the app, and pages served on 127.0.0.1 shown in the reader.

use akhbar::model::{Article, ArticleFields, Direction, FullText};
use akhbar::persist::{self, Change};
use chrono::{Duration, TimeZone, Utc};

use crate::support::builders;

const FEED: &str = "https://news.example/rss";

fn full(html: &str) -> FullText {
    FullText {
        html: html.into(),
        author: Some("سارة المنصوري".into()),
        published: Some(Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap()),
        language: Some("ar".into()),
        direction: Some(Direction::Rtl),
    }
}

#[test]
fn a_full_text_survives_a_reopen_and_a_newer_one_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = Article::from(ArticleFields {
        link: Some("https://news.example/a".into()),
        ..builders::article("a").into_fields()
    });
    {
        let (cache, _) = persist::open(dir.path()).unwrap();
        cache.send(Change::UpsertArticles {
            feed_url: FEED.into(),
            articles: vec![a.clone()],
        });
        cache.send(Change::FullText {
            feed_url: FEED.into(),
            key: "a".into(),
            full: full("<p>الأول</p>"),
        });
        cache.send(Change::FullText {
            feed_url: FEED.into(),
            key: "a".into(),
            full: full("<p>الثاني</p>"),
        });
        // Not in the cache: nothing is kept, nothing fails.
        cache.send(Change::FullText {
            feed_url: FEED.into(),
            key: "nope".into(),
            full: full("<p>x</p>"),
        });
        cache.flush_blocking().unwrap();
    }
    let (cache, loaded) = persist::open(dir.path()).unwrap();
    assert_eq!(loaded.articles.len(), 1);
    assert_eq!(cache.load_full_text(FEED, "a"), Some(full("<p>الثاني</p>")));
    assert_eq!(cache.load_full_text(FEED, "nope"), None);
    // A later upsert of the article (a poll) keeps its full text.
    cache.send(Change::UpsertArticles {
        feed_url: FEED.into(),
        articles: vec![Article::from(ArticleFields {
            title: "changed".into(),
            ..a.into_fields()
        })],
    });
    cache.flush_blocking().unwrap();
    assert!(cache.load_full_text(FEED, "a").is_some());
}

#[test]
fn retention_drops_the_full_text_with_its_article() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    let old = Utc::now() - Duration::days(400);
    let articles = ["old", "new"]
        .iter()
        .map(|k| {
            Article::from(ArticleFields {
                published: Some(if *k == "old" { old } else { Utc::now() }),
                first_seen: if *k == "old" { old } else { Utc::now() },
                ..builders::article(k).into_fields()
            })
        })
        .collect();
    cache.send(Change::UpsertArticles {
        feed_url: FEED.into(),
        articles,
    });
    for k in ["old", "new"] {
        cache.send(Change::FullText {
            feed_url: FEED.into(),
            key: k.into(),
            full: full("<p>نص</p>"),
        });
    }
    cache.send(Change::Retain {
        keep_days: 30,
        keep_per_feed: 0,
        still_listed: vec![],
    });
    cache.flush_blocking().unwrap();
    assert_eq!(cache.load_full_text(FEED, "old"), None);
    assert!(cache.load_full_text(FEED, "new").is_some());
}

mod in_the_app {
    use akhbar::app::{App, Cmd, Msg};
    use akhbar::extract::{FullArticle, fetch_article};
    use akhbar::feed::{PageFetcher, PollOptions};
    use akhbar::model::{Direction, FeedId, FetchOutcome, ParsedFeed, PollEvent};
    use akhbar::store::{ArticleId, Store};
    use akhbar::text::BidiMode;
    use crossterm::event::KeyCode;

    use crate::extract::{AR_CHROME, AR_TEXT, EN_CHROME, EN_TEXT, news_site};
    use crate::support::app::{app_with, options, send};
    use crate::support::builders::{code, finished, key, parsed_item};

    const FEED_TEXT: &str = "سطر واحد من الخلاصة";

    fn item(link: &str) -> akhbar::model::ParsedItem {
        akhbar::model::ParsedItem {
            link: Some(link.into()),
            content_html: Some(format!("<p>{FEED_TEXT}</p>")),
            language: Some("ar".into()),
            ..parsed_item("g1", "محطة التحلية")
        }
    }

    /// An app (logical order, so the text reads as written) with one article linking to
    /// `link`, open in the reader on a tall screen.
    fn reading(link: &str, full_text_feed: bool) -> App {
        let mut store = Store::new();
        let feed = store.add_feed(
            "https://wire.example/rss",
            Some("Wire"),
            vec![],
            Direction::Auto,
        );
        let mut opts = options(store, BidiMode::Terminal);
        if full_text_feed {
            opts.full_text_feeds = vec![feed];
        }
        let mut app = app_with(opts);
        send(
            &mut app,
            Msg::Resize {
                width: 120,
                height: 300,
            },
        );
        send(
            &mut app,
            Msg::Poll(finished(
                feed,
                FetchOutcome::Updated(ParsedFeed {
                    items: vec![item(link)],
                    ..ParsedFeed::default()
                }),
            )),
        );
        send(&mut app, code(KeyCode::Enter));
        assert!(app.reader().is_some());
        app
    }

    /// The reader's text without whitespace (wrapping moves spaces), quote bars or link
    /// numbers (`[2]` after a link's text).
    fn shown(app: &App) -> String {
        let r = app.reader().expect("the reader is open");
        let text: String = r
            .lines
            .iter()
            .flat_map(|l| l.line.text().chars().collect::<Vec<_>>())
            .filter(|c| !c.is_whitespace() && *c != '▎')
            .collect();
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find('[') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            let digits = after.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 && after[digits..].starts_with(']') {
                rest = &after[digits + 1..];
            } else {
                out.push('[');
                rest = after;
            }
        }
        out.push_str(rest);
        out
    }

    fn squeeze(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    fn fetch_cmd(cmds: &[Cmd]) -> Option<(ArticleId, String)> {
        cmds.iter().find_map(|c| match c {
            Cmd::FetchFullText { id, url } => Some((*id, url.clone())),
            _ => None,
        })
    }

    /// Carries out a full-text fetch as the runtime does; returns the app's commands.
    async fn carry_out(app: &mut App, id: ArticleId, url: &str) -> Vec<Cmd> {
        let result = fetch_article(&PageFetcher::new(PollOptions::default()), url)
            .await
            .map(FullArticle::into_full_text)
            .map_err(|e| e.to_string());
        send(
            app,
            Msg::FullText {
                id,
                result,
                stored: false,
            },
        )
    }

    fn assert_in_order(text: &str, paragraphs: &[&str]) {
        let mut from = 0;
        for p in paragraphs {
            let p = squeeze(p);
            let at = text[from..]
                .find(&p)
                .unwrap_or_else(|| panic!("not shown (in order): {p}\n{text}"));
            from += at + p.len();
        }
    }

    async fn shows_the_page(path: &str, paragraphs: &[&str], chrome: &[&str]) {
        let base = news_site().await;
        let mut app = reading(&format!("{base}{path}"), false);
        assert!(shown(&app).contains(&squeeze(FEED_TEXT)));
        let (id, url) = fetch_cmd(&send(&mut app, key('F'))).expect("F fetches the page");
        assert_eq!(url, format!("{base}{path}"));
        assert!(app.full_text_pending(id));
        carry_out(&mut app, id, &url).await;
        assert!(app.showing_full_text(), "{:?}", app.status_message());
        let text = shown(&app);
        assert_in_order(&text, paragraphs);
        for c in chrome {
            assert!(!text.contains(&squeeze(c)), "chrome shown: {c}");
        }
        assert!(
            !text.contains(&squeeze(FEED_TEXT)),
            "the feed's text is replaced"
        );
        // F again: the feed's text, and back; the page is not fetched again.
        assert_eq!(fetch_cmd(&send(&mut app, key('F'))), None);
        assert!(!app.showing_full_text());
        assert!(shown(&app).contains(&squeeze(FEED_TEXT)));
        assert_eq!(fetch_cmd(&send(&mut app, key('F'))), None);
        assert!(app.showing_full_text());
    }

    #[tokio::test]
    async fn f_shows_every_paragraph_of_the_arabic_page_in_order_and_none_of_its_chrome() {
        shows_the_page("/local/desal-plant", &AR_TEXT, &AR_CHROME).await;
    }

    #[tokio::test]
    async fn f_shows_the_english_page() {
        shows_the_page("/2026/11/28/bridge.html", &EN_TEXT, &EN_CHROME).await;
    }

    #[tokio::test]
    async fn f_shows_a_windows_1256_page_decoded() {
        shows_the_page("/1256/header", &AR_TEXT, &AR_CHROME).await;
    }

    #[tokio::test]
    async fn f_shows_the_article_of_a_two_megabyte_page() {
        let base = news_site().await;
        let mut app = reading(&format!("{base}/big"), false);
        let (id, url) = fetch_cmd(&send(&mut app, key('F'))).unwrap();
        carry_out(&mut app, id, &url).await;
        assert!(app.showing_full_text(), "{:?}", app.status_message());
        let lines = app.reader().unwrap().lines.len();
        assert!(lines > 20, "{lines} lines");
    }

    #[tokio::test]
    async fn a_page_without_an_article_keeps_the_feed_text_says_why_and_is_not_retried() {
        let base = news_site().await;
        let mut app = reading(&format!("{base}/local"), false);
        let (id, url) = fetch_cmd(&send(&mut app, key('F'))).unwrap();
        let after = carry_out(&mut app, id, &url).await;
        assert_eq!(fetch_cmd(&after), None, "no retry by itself");
        assert!(!app.showing_full_text());
        assert!(shown(&app).contains(&squeeze(FEED_TEXT)));
        let status = app.status_message().unwrap_or_default().to_string();
        assert!(status.starts_with("no full text: "), "{status}");
        assert!(status.contains("the feed's text stays"), "{status}");
        // A 404 says so too.
        let mut app = reading(&format!("{base}/gone"), false);
        let (id, url) = fetch_cmd(&send(&mut app, key('F'))).unwrap();
        carry_out(&mut app, id, &url).await;
        let status = app.status_message().unwrap_or_default().to_string();
        assert!(status.contains("404"), "{status}");
    }

    #[test]
    fn a_full_text_feed_fetches_each_new_article_once() {
        let mut store = Store::new();
        let feed = store.add_feed("https://wire.example/rss", None, vec![], Direction::Auto);
        let mut opts = options(store, BidiMode::App);
        opts.full_text_feeds = vec![feed];
        let mut app = app_with(opts);
        let poll = |link: &str| -> Msg {
            Msg::Poll(finished(
                FeedId(0),
                FetchOutcome::Updated(ParsedFeed {
                    items: vec![item(link)],
                    ..ParsedFeed::default()
                }),
            ))
        };
        let first = send(&mut app, poll("https://news.example/a"));
        assert!(fetch_cmd(&first).is_some(), "{first:?}");
        let again = send(&mut app, poll("https://news.example/a"));
        assert_eq!(
            fetch_cmd(&again),
            None,
            "an article already known is not fetched again"
        );
        let _: PollEvent = finished(feed, FetchOutcome::NotModified);
    }

    #[test]
    fn other_feeds_fetch_nothing_by_themselves() {
        let mut app = reading("https://news.example/a", false);
        assert!(!app.showing_full_text());
        assert_eq!(fetch_cmd(&send(&mut app, code(KeyCode::Down))), None);
    }
}
