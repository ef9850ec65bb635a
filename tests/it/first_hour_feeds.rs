//! What a new user hit in the first hour (issue 10), on the feed side, end to end through the
//! binary: `akhbar refresh` against feeds served on 127.0.0.1, then the cache it wrote read
//! back as the TUI would (relative links, html titles, untitled items, the saved schedule,
//! truncated feeds), and `akhbar add`.

use std::path::PathBuf;
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use akhbar::config::Config;
use akhbar::runtime::session;
use akhbar::text::BidiMode;
use akhbar::text::html::parse_html;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;

use crate::support::app::test_clock;
use crate::support::builders::bidi;
use crate::support::http::serve;
use crate::support::process::akhbar;

/// A home for one run of the binary: config, data and state directories of its own, and a
/// tokio runtime serving the test's feeds meanwhile.
struct Env {
    dir: tempfile::TempDir,
    rt: tokio::runtime::Runtime,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
            rt: tokio::runtime::Runtime::new().unwrap(),
        }
    }
    /// Serves `router`; returns `http://127.0.0.1:PORT`.
    fn serve(&self, router: Router) -> String {
        self.rt.block_on(serve(router))
    }
    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }
    fn config_path(&self) -> PathBuf {
        self.path("config/akhbar/config.toml")
    }
    fn write_config(&self, text: &str) {
        let p = self.config_path();
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
    }
    /// The config with one `[[feed]]` per URL.
    fn feeds(&self, urls: &[String]) {
        let text: String = urls
            .iter()
            .map(|u| format!("[[feed]]\nurl = \"{u}\"\n"))
            .collect();
        self.write_config(&text);
    }
    fn run(&self, args: &[&str]) -> Output {
        akhbar(self.dir.path())
            .args(args)
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_STATE_HOME", self.path("state"))
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    }
    fn data_dir(&self) -> PathBuf {
        self.path("data/akhbar")
    }
    /// What the TUI would load from the cache the binary wrote.
    fn session(&self) -> session::Session {
        let config = Config::load(&self.config_path()).unwrap();
        match session::open(
            &config,
            bidi(BidiMode::App),
            test_clock(),
            Some(&self.data_dir()),
            None,
        ) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        }
    }
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// One cached article as the reader shows it.
struct Shown {
    title: String,
    link: Option<String>,
    /// The reader's Links list (body links resolved as the reader resolves them).
    links: Vec<String>,
}

fn articles(s: &session::Session) -> Vec<Shown> {
    let store = s.app.store();
    let mut shown: Vec<Shown> = s
        .app
        .view()
        .iter()
        .map(|&id| {
            let a = store.article(id).unwrap();
            let feed_url = &store.feed(a.feed).unwrap().url;
            let (summary, content) = match (a.summary_html(), a.content_html()) {
                (None, None) => s
                    .cache
                    .as_ref()
                    .and_then(|c| c.load_body(feed_url, a.key()))
                    .unwrap_or_default(),
                (s, c) => (s.map(str::to_owned), c.map(str::to_owned)),
            };
            let body = content.or(summary).unwrap_or_default();
            Shown {
                title: a.title().to_owned(),
                link: a.link().map(str::to_owned),
                links: parse_html(&body, a.link()).links,
            }
        })
        .collect();
    shown.sort_by(|a, b| a.title.cmp(&b.title));
    shown
}

fn xml(body: String) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/xml")], body)
}

fn refresh_ok(env: &Env) -> String {
    let o = env.run(&["refresh"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    out(&o)
}

#[test]
fn relative_links_resolve_against_xml_base_the_item_link_or_the_feed_url_after_redirects() {
    // Item 1: `<link>/quirks/rel</link>` was kept as written ("only http and https links
    // open"), and body links under `xml:base` were resolved against the wrong base.
    let env = Env::new();
    let rss = r#"<rss version="2.0"><channel><title>Quirks</title><link>/quirks/</link>
        <item><guid>rel</guid><title>Relative</title><link>/quirks/rel</link>
        <description>&lt;p&gt;&lt;a href="more.html"&gt;more&lt;/a&gt;&lt;/p&gt;</description></item>
        <item><guid>nolink</guid><title>No link</title>
        <description>&lt;p&gt;&lt;a href="other.html"&gt;other&lt;/a&gt;&lt;/p&gt;</description></item>
        </channel></rss>"#;
    let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/blog/"><title>Based</title>
        <id>b</id><updated>2026-11-30T10:00:00Z</updated>
        <entry><id>b1</id><title>Based</title><updated>2026-11-30T10:00:00Z</updated>
        <link href="posts/1.html"/>
        <content type="html" xml:base="../media/">&lt;p&gt;&lt;a href="a.html"&gt;a&lt;/a&gt; &lt;a href="/abs.html"&gt;b&lt;/a&gt;&lt;/p&gt;</content>
        </entry></feed>"#;
    let base = env.serve(
        Router::new()
            .route(
                "/old.xml",
                get(|| async { Redirect::temporary("/quirks/feed.xml") }),
            )
            .route(
                "/quirks/feed.xml",
                get(move || async move { xml(rss.into()) }),
            )
            .route(
                "/feeds/atom.xml",
                get(move || async move { xml(atom.into()) }),
            ),
    );
    env.feeds(&[format!("{base}/old.xml"), format!("{base}/feeds/atom.xml")]);
    refresh_ok(&env);
    let shown = articles(&env.session());
    let [based, no_link, relative] = &shown[..] else {
        panic!("three articles: {:?}", shown.len());
    };
    assert_eq!(relative.link, Some(format!("{base}/quirks/rel")));
    assert!(akhbar::link::is_web_url(relative.link.as_deref().unwrap()));
    assert_eq!(relative.links, [format!("{base}/quirks/more.html")]);
    // No link of its own: the feed's URL after the redirect, not the configured one.
    assert_eq!(no_link.link, None);
    assert_eq!(no_link.links, [format!("{base}/quirks/other.html")]);
    // `xml:base` on the feed for the link, stacked with the content's own for the body.
    assert_eq!(based.link, Some(format!("{base}/blog/posts/1.html")));
    assert_eq!(
        based.links,
        [format!("{base}/media/a.html"), format!("{base}/abs.html")]
    );
}

#[test]
fn html_and_xhtml_titles_show_their_words_and_untitled_items_the_start_of_their_text() {
    // Item 2: `Atom <em>html</em> title &amp; more` was shown as written. Item 6: items
    // without a title (microblogs, JSON Feed content_text only) had a blank headline.
    let env = Env::new();
    let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">Feed &lt;b&gt;one&lt;/b&gt;</title>
        <id>t</id><updated>2026-11-30T10:00:00Z</updated>
        <entry><id>h</id><updated>2026-11-30T10:00:00Z</updated>
        <title type="html">Atom &lt;em&gt;html&lt;/em&gt; title &amp;amp; more</title></entry>
        <entry><id>x</id><updated>2026-11-30T09:00:00Z</updated>
        <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">XHTML <b>bold</b> title</div></title></entry>
        <entry><id>t</id><updated>2026-11-30T08:00:00Z</updated>
        <title type="text">Text &lt;kept&gt; as text</title></entry>
        </feed>"#;
    let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "Micro",
        "items": [
          {"id": "1", "content_text": "Zero title here. The rest of the post goes on."},
          {"id": "2", "content_text": "Zzz a long post with no full stop that goes on and on past the eighty character mark for sure"}
        ]}"#;
    let rss = r#"<rss version="2.0"><channel><title>Blog</title>
        <item><guid>r</guid><description>&lt;p&gt;Yes, &lt;b&gt;an untitled&lt;/b&gt; item!&lt;/p&gt;&lt;p&gt;More.&lt;/p&gt;</description></item>
        </channel></rss>"#;
    let base =
        env.serve(
            Router::new()
                .route("/atom.xml", get(move || async move { xml(atom.into()) }))
                .route("/rss.xml", get(move || async move { xml(rss.into()) }))
                .route(
                    "/feed.json",
                    get(move || async move {
                        ([(header::CONTENT_TYPE, "application/feed+json")], json)
                    }),
                ),
        );
    env.feeds(&[
        format!("{base}/atom.xml"),
        format!("{base}/feed.json"),
        format!("{base}/rss.xml"),
    ]);
    refresh_ok(&env);
    let titles: Vec<String> = articles(&env.session())
        .into_iter()
        .map(|a| a.title)
        .collect();
    assert_eq!(
        titles,
        [
            "Atom html title & more",
            "Text <kept> as text",
            "XHTML bold title",
            "Yes, an untitled item!",
            "Zero title here.",
            "Zzz a long post with no full stop that goes on and on past the eighty character…",
        ]
    );
}

#[test]
fn refresh_leaves_gone_feeds_and_retry_after_alone_until_forced_and_says_so() {
    // Item 8: `akhbar refresh` fetched a feed that asked for an hour's pause, and a gone one.
    let env = Env::new();
    let hits: Arc<[AtomicUsize; 3]> = Arc::new(Default::default());
    let count = |i: usize| {
        let hits = Arc::clone(&hits);
        move || {
            hits[i].fetch_add(1, Ordering::SeqCst);
        }
    };
    let (gone, busy, ok) = (count(0), count(1), count(2));
    let base = env.serve(
        Router::new()
            .route(
                "/gone.xml",
                get(move || {
                    gone();
                    async { StatusCode::GONE }
                }),
            )
            .route(
                "/busy.xml",
                get(move || {
                    busy();
                    async {
                        (
                            StatusCode::SERVICE_UNAVAILABLE,
                            [(header::RETRY_AFTER, "3600")],
                        )
                    }
                }),
            )
            .route(
                "/ok.xml",
                get(move || {
                    ok();
                    async { xml(crate::support::http::RSS.into()) }
                }),
            ),
    );
    env.feeds(&[
        format!("{base}/gone.xml"),
        format!("{base}/busy.xml"),
        format!("{base}/ok.xml"),
    ]);
    let hits_now = || {
        hits.iter()
            .map(|h| h.load(Ordering::SeqCst))
            .collect::<Vec<_>>()
    };
    let first = refresh_ok(&env);
    assert!(first.contains("3 feeds, 1 ok, 2 failed, 1 new"), "{first}");
    assert_eq!(hits_now(), [1, 1, 1]);

    let second = refresh_ok(&env);
    assert_eq!(hits_now(), [1, 1, 2], "{second}");
    assert!(
        second.contains(&format!("skipped: {base}/gone.xml: gone (HTTP 410)")),
        "{second}"
    );
    assert!(
        second.contains(&format!("skipped: {base}/busy.xml: failing, next try in")),
        "{second}"
    );
    assert!(
        second.contains(
            "3 feeds, 1 ok, 0 failed, 2 skipped (1 gone (HTTP 410), 1 asked to wait \
             (Retry-After or backoff); --force fetches them), 0 new"
        ),
        "{second}"
    );

    let forced = env.run(&["refresh", "--force"]);
    assert_eq!(hits_now(), [2, 2, 3], "{}", out(&forced));
    assert!(
        out(&forced).contains("3 feeds, 1 ok, 2 failed, 0 new"),
        "{}",
        out(&forced)
    );
}

#[test]
fn a_feed_whose_xml_ends_early_is_a_warning_not_ok() {
    // Item 13: truncated XML counted as ok with items missing.
    let env = Env::new();
    let cut = "<rss version=\"2.0\"><channel><title>Cut</title>\
        <item><guid>1</guid><title>One</title></item>\
        <item><guid>2</guid><title>Two</title></item><item><guid>3</guid><title>Thr";
    let base =
        env.serve(Router::new().route("/cut.xml", get(move || async move { xml(cut.into()) })));
    env.feeds(&[format!("{base}/cut.xml")]);
    let text = refresh_ok(&env);
    assert!(
        text.contains(&format!(
            "warning: {base}/cut.xml: 2 items, the feed ended early"
        )),
        "{text}"
    );
    assert!(
        text.contains("1 feed, 0 ok, 1 ended early, 0 failed, 2 new articles"),
        "{text}"
    );
}
