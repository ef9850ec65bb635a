//! Hostile feeds against the built binary (issue 15): one loopback server serves a good feed
//! beside every kind of hostile one (terminal escapes, Trojan Source, compression bombs, an
//! endless and a trickling body, redirect loops and redirects to `file:`, deep nesting,
//! UTF-16/UTF-32, a 10 MB title, 100,000 items, duplicate GUIDs, impossible dates), and
//! `akhbar refresh` must survive them within a memory bound, land the good feed, and print
//! nothing a terminal would act on. The full-text fetcher gets a 50 MB page.

use std::convert::Infallible;
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use futures_util::StreamExt;

use akhbar::feed::{PageFetcher, PollOptions};

use crate::support::http::serve;
use crate::support::process::akhbar;

/// The size cap the test's config sets (`max_feed_size_mb`).
const CAP_MB: usize = 16;
/// The bound on the refresh's peak RSS: the cap is 16 MB, the biggest feed holds 100,000
/// items; a bomb or an endless body that were read whole would go far past it.
const PEAK_RSS_LIMIT_KB: i64 = 512 * 1024;

const GOOD: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Good</title>\
    <item><guid>g1</guid><title>Good news one</title></item>\
    <item><guid>g2</guid><title>Good news two</title></item></channel></rss>";

/// Every terminal attack we know of, in titles, authors and bodies, raw and as references.
fn escapes_feed() -> String {
    let payloads = [
        "\u{1b}[2J\u{1b}[HCLEAR",
        "\u{1b}[8mHIDDEN\u{1b}[0m",
        "\u{1b}]52;c;cm0gLXJmIH4K\u{7}CLIP",
        "\u{1b}]8;;file:///etc/passwd\u{1b}\\LINK\u{1b}]8;;\u{1b}\\",
        "\u{1b}]8;;javascript:alert(1)\u{7}JS\u{1b}]8;;\u{7}",
        "\u{9b}31mC1CSI \u{9d}0;TITLE\u{9c}",
        "\u{1b}P+q\u{1b}\\DCS",
        "access = \"user\u{202e} \u{2066}// admin\u{2069} \u{2066}\"TROJAN",
        "\u{202b}RLE\u{202c} \u{200f}RLM \u{2067}RLI\u{2069}",
    ];
    let mut items = String::new();
    for (i, p) in payloads.iter().enumerate() {
        let x = p.replace('&', "&amp;").replace('<', "&lt;");
        items.push_str(&format!(
            "<item><guid>e{i}</guid><title>Evil {i} {x}</title><author>{x}</author>\
             <link>https://e.example/{i}?{x}</link><description><![CDATA[<p>{p}</p>\
             <a href=\"{x}\">{x}</a>]]></description></item>"
        ));
    }
    items
        .push_str("<item><guid>ref</guid><title>Refs &#x1b;[31m &#x9b;1m &#x202e;x</title></item>");
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Escapes \u{1b}]0;pwned\u{7}</title>{items}</channel></rss>"
    )
}

fn rss(title: &str, items: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>{items}</channel></rss>"
    )
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = brotli::CompressorWriter::new(&mut out, 1 << 16, 1, 22);
        enc.write_all(data).unwrap();
    }
    out
}

fn encoded(encoding: &'static str, body: Vec<u8>) -> Response {
    Response::builder()
        .header(header::CONTENT_ENCODING, encoding)
        .header(header::CONTENT_TYPE, "application/rss+xml")
        .body(Body::from(body))
        .unwrap()
}

fn redirect(to: &str) -> Response {
    Response::builder()
        .status(StatusCode::FOUND)
        .header(header::LOCATION, to)
        .body(Body::empty())
        .unwrap()
}

/// The text of `feed` in UTF-16 or UTF-32, little or big endian, with or without a BOM.
fn wide(feed: &str, unit: usize, big: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let chars: Vec<u32> = if bom { vec![0xFEFF] } else { vec![] };
    for c in chars.into_iter().chain(feed.chars().map(u32::from)) {
        let units: Vec<u32> = if unit == 2 {
            char::from_u32(c)
                .unwrap()
                .encode_utf16(&mut [0; 2])
                .iter()
                .map(|&u| u32::from(u))
                .collect()
        } else {
            vec![c]
        };
        for u in units {
            let bytes = u.to_le_bytes();
            let mut b = bytes[..unit].to_vec();
            if big {
                b.reverse();
            }
            out.extend(b);
        }
    }
    out
}

/// The hostile routes, each `/name.xml`, plus `/good.xml`.
fn hostile_router() -> (Router, Vec<&'static str>) {
    let blank_mb = |mb: usize| vec![b' '; mb * 1024 * 1024];
    let gzip_bomb = gzip(&[rss("Bomb", "").as_bytes(), &blank_mb(CAP_MB * 4)].concat());
    let brotli_bomb = brotli(&[rss("Bomb", "").as_bytes(), &blank_mb(CAP_MB * 4)].concat());
    let deep = rss(
        "Deep",
        &format!(
            "<item><guid>d</guid><title>deep</title><description>{}x{}</description></item>",
            "<a>".repeat(100_000),
            "</a>".repeat(100_000)
        ),
    );
    let deep_html = rss(
        "DeepHtml",
        &format!(
            "<item><guid>dh</guid><title>deep html</title><description><![CDATA[{}x]]></description></item>",
            "<div><blockquote><ul><li>".repeat(25_000)
        ),
    );
    let huge_title = rss(
        "HugeTitle",
        &format!(
            "<item><guid>h</guid><title>{}</title></item>",
            "طويل ".repeat(1024 * 1024)
        ),
    );
    let many: String = (0..100_000)
        .map(|i| format!("<item><guid>m{i}</guid><title>item {i}</title></item>"))
        .collect();
    let many = rss("Many", &many);
    let dups = rss(
        "Dups",
        &(0..1000)
            .map(|i| format!("<item><guid>same</guid><title>dup {i}</title></item>"))
            .collect::<String>(),
    );
    let dates = rss(
        "Dates",
        "<item><guid>y0</guid><title>year zero</title><pubDate>Sat, 01 Jan 0000 00:00:00 GMT</pubDate></item>\
         <item><guid>y9</guid><title>year 9999</title><pubDate>Fri, 31 Dec 9999 23:59:59 +0000</pubDate></item>\
         <item><guid>yb</guid><title>year big</title><pubDate>Fri, 31 Dec 99999999 23:59:59 +9999</pubDate></item>\
         <item><guid>yg</guid><title>garbage</title><pubDate>\u{1b}[2J yesterday-ish</pubDate></item>\
         <item><guid>ya</guid><title>atom garbage</title><dc:date xmlns:dc=\"http://purl.org/dc/elements/1.1/\">0000-00-00T99:99:99Z</dc:date></item>",
    );
    let wide_feed = |name: &str| {
        rss(
            name,
            &format!("<item><guid>w</guid><title>{name} عنوان</title></item>"),
        )
    };
    let mut router = Router::new()
        .route("/good.xml", get(|| async { GOOD }))
        .route("/escapes.xml", get(|| async { escapes_feed() }))
        .route(
            "/gzip-bomb.xml",
            get(move || async move { encoded("gzip", gzip_bomb) }),
        )
        .route(
            "/brotli-bomb.xml",
            get(move || async move { encoded("br", brotli_bomb) }),
        )
        .route(
            "/endless.xml",
            get(|| async {
                let head = Bytes::from(rss("Endless", "").replace("</channel></rss>", ""));
                let item = Bytes::from_static(b"<item><title>again</title></item>");
                let body = futures_util::stream::iter(
                    std::iter::once(head).chain(std::iter::repeat(item)),
                )
                .map(Ok::<_, Infallible>);
                Body::from_stream(body)
            }),
        )
        .route(
            "/trickle.xml",
            get(|| async {
                let body = futures_util::stream::unfold((), |()| async {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    Some((Ok::<_, Infallible>(Bytes::from_static(b" ")), ()))
                });
                Body::from_stream(body)
            }),
        )
        .route("/loop-a.xml", get(|| async { redirect("/loop-b.xml") }))
        .route("/loop-b.xml", get(|| async { redirect("/loop-a.xml") }))
        .route(
            "/to-file.xml",
            get(|| async { redirect("file:///etc/passwd") }),
        )
        .route(
            "/to-exec.xml",
            get(|| async { redirect("exec:/bin/sh -c id") }),
        )
        .route(
            "/to-gopher.xml",
            get(|| async { redirect("gopher://127.0.0.1:70/") }),
        )
        .route("/deep.xml", get(move || async move { deep }))
        .route("/deep-html.xml", get(move || async move { deep_html }))
        .route("/huge-title.xml", get(move || async move { huge_title }))
        .route("/many.xml", get(move || async move { many }))
        .route("/dups.xml", get(move || async move { dups }))
        .route("/dates.xml", get(move || async move { dates }));
    let mut names = vec![
        "escapes",
        "gzip-bomb",
        "brotli-bomb",
        "endless",
        "trickle",
        "loop-a",
        "to-file",
        "to-exec",
        "to-gopher",
        "deep",
        "deep-html",
        "huge-title",
        "many",
        "dups",
        "dates",
    ];
    for (name, unit, big, bom) in [
        ("utf16le-bom", 2, false, true),
        ("utf16be-bom", 2, true, true),
        ("utf16le-nobom", 2, false, false),
        ("utf16be-nobom", 2, true, false),
        ("utf32le-bom", 4, false, true),
        ("utf32be-bom", 4, true, true),
        ("utf32le-nobom", 4, false, false),
        ("utf32be-nobom", 4, true, false),
    ] {
        let body = wide(&wide_feed(name), unit, big, bom);
        router = router.route(
            &format!("/{name}.xml"),
            get(move || async move {
                Response::builder()
                    .header(header::CONTENT_TYPE, "application/xml")
                    .body(Body::from(body))
                    .unwrap()
            }),
        );
        names.push(name);
    }
    (router, names)
}

/// Runs the binary to the end and returns its status, output and peak RSS in KiB (from the
/// kernel's accounting of the child, `wait4`).
// The child is reaped by `wait4`, which clippy does not know.
#[allow(clippy::zombie_processes)]
fn run_measured(mut cmd: Command) -> (ExitStatus, String, i64) {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let (mut out, mut err) = (child.stdout.unwrap(), child.stderr.unwrap());
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut s).unwrap();
        s
    });
    let mut stdout = Vec::new();
    std::io::Read::read_to_end(&mut out, &mut stdout).unwrap();
    let stderr = reader.join().unwrap();
    let mut status = 0;
    // SAFETY: `rusage` is plain data the kernel fills; `pid` is our own unwaited child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4");
    let text = String::from_utf8_lossy(&[stdout, stderr].concat()).into_owned();
    (ExitStatus::from_raw(status), text, usage.ru_maxrss)
}

/// What a terminal would act on or what reorders text: ESC, every C0 but line feed, C1 (as
/// UTF-8 characters), bidi embeddings, overrides and isolates.
fn assert_inert(what: &str, text: &str) {
    if let Some(c) = text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    }) {
        panic!("{what} carries {c:?}:\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_survives_every_hostile_feed_within_bounded_memory_and_lands_the_good_one() {
    let (router, names) = hostile_router();
    let base = serve(router).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = format!(
        "timeout = \"4s\"\nconnect_timeout = \"2s\"\nmax_feed_size_mb = {CAP_MB}\n\
         [[feed]]\nurl = \"{base}/good.xml\"\n"
    );
    for name in &names {
        config.push_str(&format!("[[feed]]\nurl = \"{base}/{name}.xml\"\n"));
    }
    let path = dir.path().join("config.toml");
    std::fs::write(&path, config).unwrap();
    let home = dir.path().to_path_buf();
    let cmd = |args: &[&str]| {
        let mut c = akhbar(&home);
        c.arg("--config")
            .arg(&path)
            .args(args)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_STATE_HOME", home.join("state"));
        c
    };
    let refresh = cmd(&["refresh"]);
    let (status, text, peak_kb) = tokio::task::spawn_blocking(move || run_measured(refresh))
        .await
        .unwrap();
    eprintln!("refresh: peak RSS {} MiB\n{text}", peak_kb / 1024);
    assert_eq!(status.code(), Some(0), "{text}");
    assert_inert("refresh's output", &text);
    assert!(
        peak_kb < PEAK_RSS_LIMIT_KB,
        "refresh peaked at {} MiB",
        peak_kb / 1024
    );
    let total = names.len() + 1;
    assert!(text.contains(&format!("{total} feeds, ")), "{text}");
    for must_fail in ["gzip-bomb", "brotli-bomb", "endless", "trickle", "loop-a"] {
        assert!(
            text.contains(&format!("failed: {base}/{must_fail}.xml")),
            "{must_fail} should fail: {text}"
        );
    }
    for refused in ["to-file", "to-exec", "to-gopher"] {
        assert!(
            text.contains(&format!("failed: {base}/{refused}.xml")),
            "a redirect out of http is refused ({refused}): {text}"
        );
    }
    // UTF-16 and UTF-32 land with a BOM and without one (akhbar decodes UTF-32 itself).
    for lands in [
        "good",
        "escapes",
        "many",
        "dups",
        "dates",
        "huge-title",
        "deep-html",
        "utf16le-bom",
        "utf16be-bom",
        "utf16le-nobom",
        "utf16be-nobom",
        "utf32le-bom",
        "utf32be-bom",
        "utf32le-nobom",
        "utf32be-nobom",
    ] {
        assert!(
            !text.contains(&format!("failed: {base}/{lands}.xml")),
            "{lands} should land: {text}"
        );
    }

    let unread = cmd(&["print-unread"]);
    let (status, text, _) = tokio::task::spawn_blocking(move || run_measured(unread))
        .await
        .unwrap();
    assert_eq!(status.code(), Some(0), "{text}");
    let count: usize = text.trim().parse().unwrap_or_else(|_| panic!("{text}"));
    // good 2 + escapes 10 + many (the first 10,000 of its 100,000) + dups (one key) + dates 5
    // + huge title 1, at least; and not the 100,000.
    let landed = 2 + 10 + akhbar::feed::MAX_ITEMS + 1 + 5 + 1;
    assert!(count >= landed, "{count} unread, {landed} expected");
    assert!(count < 100_000, "{count}: the items cap did not hold");
    // The 10 MB title is stored capped.
    let conn = rusqlite::Connection::open(home.join("data/akhbar/cache.sqlite")).unwrap();
    let longest: i64 = conn
        .query_row("SELECT max(length(title)) FROM articles", [], |r| r.get(0))
        .unwrap();
    assert!(
        longest <= akhbar::feed::MAX_TITLE_CHARS as i64,
        "a title of {longest} chars was stored"
    );
}

#[tokio::test]
async fn a_50_mb_article_page_is_refused_at_the_size_cap() {
    let para = "<p>كلمة word </p>";
    let page = format!(
        "<html><head><title>Big</title></head><body>{}</body></html>",
        para.repeat(50 * 1024 * 1024 / para.len() + 1)
    );
    assert!(page.len() >= 50 * 1024 * 1024);
    let base = serve(Router::new().route("/page.html", get(move || async move { page }))).await;
    let opts = PollOptions {
        max_body_bytes: 4 * 1024 * 1024,
        ..PollOptions::default()
    };
    let fetcher = PageFetcher::new(opts);
    let result = fetcher.fetch(&format!("{base}/page.html")).await;
    match result {
        Err(e) => assert!(e.to_string().contains("larger than"), "{e}"),
        Ok(page) => assert!(
            page.body.len() <= 4 * 1024 * 1024,
            "{} bytes",
            page.body.len()
        ),
    }
}
