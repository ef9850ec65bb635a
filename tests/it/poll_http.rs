//! The fetch path against real HTTP servers on 127.0.0.1: conditional GET, compression, body
//! cap, timeouts, redirects, status codes, headers and credentials, file: and exec: sources.

use std::io::Write;
use std::time::Duration;

use akhbar::feed::{PollOptions, refresh_once};
use akhbar::model::{FeedSource, FetchOutcome, PollEvent};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Response, StatusCode, header};
use axum::routing::get;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::builders::{self, Finished};
use crate::support::http::{RSS, Seen, serve};

fn source(url: &str) -> FeedSource {
    builders::source(7, url)
}

async fn once(src: FeedSource) -> PollEvent {
    once_with(src, PollOptions::default()).await
}

async fn once_with(src: FeedSource, opts: PollOptions) -> PollEvent {
    let mut events = refresh_once(vec![src], opts).await;
    assert_eq!(events.len(), 1);
    events.remove(0)
}

fn done(event: PollEvent) -> Finished {
    Finished::try_from(event).unwrap_or_else(|other| panic!("not finished: {other:?}"))
}

fn reason(outcome: &FetchOutcome) -> &str {
    match outcome {
        FetchOutcome::Failed { reason } => reason,
        other => panic!("expected a failure, got {other:?}"),
    }
}

fn titles(outcome: &FetchOutcome) -> Vec<String> {
    match outcome {
        FetchOutcome::Updated(feed) => feed.items.iter().map(|i| i.title.clone()).collect(),
        other => panic!("expected an update, got {other:?}"),
    }
}

#[tokio::test]
async fn first_fetch_stores_validators_and_a_conditional_refetch_is_not_modified() {
    let seen = Seen::default();
    let log = seen.clone();
    let base = serve(Router::new().route(
        "/feed",
        get(move |h: HeaderMap| async move {
            log.push(&h);
            let lm = "Wed, 21 Oct 2015 07:28:00 GMT";
            let hit = h.get(header::IF_NONE_MATCH).is_some_and(|v| v == "\"v1\"")
                && h.get(header::IF_MODIFIED_SINCE).is_some_and(|v| v == lm);
            let status = if hit {
                StatusCode::NOT_MODIFIED
            } else {
                StatusCode::OK
            };
            Response::builder()
                .status(status)
                .header(header::ETAG, "\"v1\"")
                .header(header::LAST_MODIFIED, lm)
                .body(Body::from(if hit { "" } else { RSS }))
                .unwrap()
        }),
    ))
    .await;
    let first = done(once(source(&format!("{base}/feed"))).await);
    assert_eq!(titles(&first.outcome), ["Hello"]);
    assert_eq!(first.etag.as_deref(), Some("\"v1\""));
    assert!(first.last_modified.is_some());
    assert!(seen.get(0).get(header::IF_NONE_MATCH).is_none());

    let mut again = source(&format!("{base}/feed"));
    again.etag = first.etag;
    again.last_modified = first.last_modified;
    let second = done(once(again).await);
    assert_eq!(second.outcome, FetchOutcome::NotModified);
    assert_eq!(second.etag.as_deref(), Some("\"v1\""));
    assert_eq!(second.failures, 0);
    assert_eq!(seen.len(), 2);
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        enc.write_all(data).unwrap();
    }
    out
}

fn encoded_route(encoding: &'static str, body: Vec<u8>, seen: Seen) -> Router {
    Router::new().route(
        "/feed",
        get(move |h: HeaderMap| async move {
            seen.push(&h);
            Response::builder()
                .header(header::CONTENT_ENCODING, encoding)
                .header(header::CONTENT_TYPE, "application/rss+xml")
                .body(Body::from(body))
                .unwrap()
        }),
    )
}

#[tokio::test]
async fn gzip_deflate_and_brotli_bodies_are_decompressed() {
    for (name, body) in [
        ("gzip", gzip(RSS.as_bytes())),
        ("deflate", deflate(RSS.as_bytes())),
        ("br", brotli(RSS.as_bytes())),
    ] {
        let seen = Seen::default();
        let base = serve(encoded_route(name, body, seen.clone())).await;
        let result = done(once(source(&format!("{base}/feed"))).await);
        assert_eq!(titles(&result.outcome), ["Hello"], "{name}");
        let accept = seen.get(0)[header::ACCEPT_ENCODING]
            .to_str()
            .unwrap()
            .to_string();
        assert!(accept.contains(name), "{accept}");
    }
}

#[tokio::test]
async fn a_gzip_bomb_is_stopped_at_the_cap_counted_after_decompression() {
    let bomb = gzip(&vec![b' '; 4 * 1024 * 1024]);
    assert!(bomb.len() < 64 * 1024);
    let base = serve(encoded_route("gzip", bomb, Seen::default())).await;
    let opts = PollOptions {
        max_body_bytes: 1024 * 1024,
        ..PollOptions::default()
    };
    let result = done(once_with(source(&format!("{base}/feed")), opts).await);
    assert!(reason(&result.outcome).contains("larger than 1048576 bytes"));
    assert_eq!(result.failures, 1);
}

#[tokio::test]
async fn an_oversized_plain_body_is_refused() {
    let big = format!("{RSS}{}", " ".repeat(200_000));
    let base = serve(Router::new().route("/feed", get(move || async move { big }))).await;
    let opts = PollOptions {
        max_body_bytes: 100_000,
        ..PollOptions::default()
    };
    let result = done(once_with(source(&format!("{base}/feed")), opts).await);
    assert!(reason(&result.outcome).contains("larger than"));
}

/// A raw server that sends headers and then one byte a second, forever.
async fn trickle_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (mut sock, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\
                    Transfer-Encoding: chunked\r\n\r\n";
                if sock.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                loop {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    if sock.write_all(b"1\r\n \r\n").await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test(start_paused = true)]
async fn a_server_trickling_one_byte_a_second_is_cut_off_at_the_timeout() {
    let base = trickle_server().await;
    let result = done(once(source(&format!("{base}/feed"))).await);
    assert_eq!(reason(&result.outcome), "timed out after 30 s");
}

#[tokio::test]
async fn a_refused_connection_is_a_clear_failure_without_credentials() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let result = done(once(source(&format!("http://user:hunter2@127.0.0.1:{port}/x"))).await);
    let why = reason(&result.outcome);
    assert!(why.starts_with("could not connect"), "{why}");
    assert!(!why.contains("hunter2"), "{why}");
}

fn redirect(status: StatusCode, to: &str) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::LOCATION, to)
        .body(Body::empty())
        .unwrap()
}

fn redirect_router() -> Router {
    Router::new()
        .route(
            "/perm",
            get(|| async { redirect(StatusCode::MOVED_PERMANENTLY, "/perm2") }),
        )
        .route(
            "/perm2",
            get(|| async { redirect(StatusCode::PERMANENT_REDIRECT, "/feed") }),
        )
        .route(
            "/temp",
            get(|| async { redirect(StatusCode::FOUND, "/feed") }),
        )
        .route(
            "/perm-then-temp",
            get(|| async { redirect(StatusCode::MOVED_PERMANENTLY, "/temp") }),
        )
        .route(
            "/loop-a",
            get(|| async { redirect(StatusCode::FOUND, "/loop-b") }),
        )
        .route(
            "/loop-b",
            get(|| async { redirect(StatusCode::FOUND, "/loop-a") }),
        )
        .route(
            "/hop/{n}",
            get(
                |axum::extract::Path(n): axum::extract::Path<u32>| async move {
                    redirect(StatusCode::FOUND, &format!("/hop/{}", n + 1))
                },
            ),
        )
        .route("/feed", get(|| async { RSS }))
        .route("/gone", get(|| async { StatusCode::GONE }))
        .route("/missing", get(|| async { StatusCode::NOT_FOUND }))
        .route(
            "/broken",
            get(|| async { StatusCode::INTERNAL_SERVER_ERROR }),
        )
}

#[tokio::test]
async fn a_chain_of_permanent_redirects_reports_where_the_feed_moved() {
    let base = serve(redirect_router()).await;
    let result = done(once(source(&format!("{base}/perm"))).await);
    assert_eq!(titles(&result.outcome), ["Hello"]);
    assert_eq!(result.moved_to, Some(format!("{base}/feed")));
}

#[tokio::test]
async fn a_temporary_redirect_is_followed_but_not_reported_as_a_move() {
    let base = serve(redirect_router()).await;
    let result = done(once(source(&format!("{base}/temp"))).await);
    assert_eq!(titles(&result.outcome), ["Hello"]);
    assert_eq!(result.moved_to, None);
    let mixed = done(once(source(&format!("{base}/perm-then-temp"))).await);
    assert_eq!(mixed.moved_to, Some(format!("{base}/temp")));
}

#[tokio::test]
async fn a_redirect_loop_is_detected() {
    let base = serve(redirect_router()).await;
    let result = done(once(source(&format!("{base}/loop-a"))).await);
    assert!(reason(&result.outcome).starts_with("redirect loop at "));
}

#[tokio::test]
async fn more_than_ten_redirects_fail() {
    let base = serve(redirect_router()).await;
    let result = done(once(source(&format!("{base}/hop/0"))).await);
    assert_eq!(reason(&result.outcome), "more than 10 redirects");
}

#[tokio::test]
async fn gone_marks_the_feed_dead_with_no_next_poll() {
    let base = serve(redirect_router()).await;
    let result = done(once(source(&format!("{base}/gone"))).await);
    assert_eq!(result.outcome, FetchOutcome::Gone);
    assert_eq!(result.next_poll, None);
}

#[tokio::test]
async fn not_found_and_server_errors_fail_with_the_status_and_schedule_a_retry() {
    let base = serve(redirect_router()).await;
    let missing = done(once(source(&format!("{base}/missing"))).await);
    assert_eq!(reason(&missing.outcome), "HTTP 404 Not Found");
    assert_eq!(missing.failures, 1);
    assert!(missing.next_poll.is_some());
    let broken = done(once(source(&format!("{base}/broken"))).await);
    assert_eq!(reason(&broken.outcome), "HTTP 500 Internal Server Error");
}

fn recording_route(seen: Seen) -> Router {
    Router::new().route(
        "/feed",
        get(move |h: HeaderMap| async move {
            seen.push(&h);
            RSS
        }),
    )
}

#[tokio::test]
async fn requests_carry_the_user_agent_extra_headers_and_basic_auth() {
    let seen = Seen::default();
    let base = serve(recording_route(seen.clone())).await;
    let mut src = source(&format!("{base}/feed"));
    src.headers = vec![("X-Api-Key".into(), "k123".into())];
    src.basic_auth = Some(("al ice".into(), "p@ss".into()));
    let result = done(once(src).await);
    assert_eq!(titles(&result.outcome), ["Hello"]);
    let h = seen.get(0);
    let ua = h[header::USER_AGENT].to_str().unwrap();
    assert!(
        ua.starts_with(&format!("akhbar/{} (+http", env!("CARGO_PKG_VERSION"))),
        "{ua}"
    );
    assert_eq!(h["x-api-key"], "k123");
    assert_eq!(h[header::AUTHORIZATION], "Basic YWwgaWNlOnBAc3M=");
}

#[tokio::test]
async fn credentials_in_the_url_log_in_but_never_appear_in_an_error() {
    let seen = Seen::default();
    let log = seen.clone();
    let base = serve(
        recording_route(seen.clone())
            .route(
                "/missing",
                get(move |h: HeaderMap| async move {
                    log.push(&h);
                    StatusCode::NOT_FOUND
                }),
            )
            .route(
                "/loop",
                get(|| async { redirect(StatusCode::FOUND, "/loop") }),
            ),
    )
    .await;
    let with_creds = |path: &str| base.replacen("http://", "http://user:secret@", 1) + path;
    let ok = done(once(source(&with_creds("/feed"))).await);
    assert_eq!(titles(&ok.outcome), ["Hello"]);
    assert_eq!(seen.get(0)[header::AUTHORIZATION], "Basic dXNlcjpzZWNyZXQ=");
    for path in ["/missing", "/loop"] {
        let failed = done(once(source(&with_creds(path))).await);
        assert!(
            !reason(&failed.outcome).contains("secret"),
            "{:?}",
            failed.outcome
        );
    }
}

#[tokio::test]
async fn the_http_charset_decodes_a_legacy_body() {
    let title = "الأخبار العاجلة";
    let text = RSS.replace("Hello", title);
    let bytes = encoding_rs::WINDOWS_1256.encode(&text).0.into_owned();
    let base = serve(Router::new().route(
        "/feed",
        get(move || async move {
            Response::builder()
                .header(
                    header::CONTENT_TYPE,
                    "application/rss+xml; charset=windows-1256",
                )
                .body(Body::from(bytes))
                .unwrap()
        }),
    ))
    .await;
    let result = done(once(source(&format!("{base}/feed"))).await);
    assert_eq!(titles(&result.outcome), [title]);
}

#[tokio::test]
async fn malformed_xml_over_http_fails_with_its_line() {
    let base = serve(Router::new().route(
        "/feed",
        get(|| async { "<rss version=\"2.0\">\n<channel>\n<title>x</titl>\n</channel></rss>" }),
    ))
    .await;
    let result = done(once(source(&format!("{base}/feed"))).await);
    assert!(
        reason(&result.outcome).starts_with("line 3: "),
        "{:?}",
        result.outcome
    );
}

#[tokio::test]
async fn retry_after_on_503_delays_the_next_poll() {
    let base = serve(Router::new().route(
        "/feed",
        get(|| async {
            Response::builder()
                .status(StatusCode::SERVICE_UNAVAILABLE)
                .header(header::RETRY_AFTER, "7200")
                .body(Body::empty())
                .unwrap()
        }),
    ))
    .await;
    let before = chrono::Utc::now();
    let result = done(once(source(&format!("{base}/feed"))).await);
    let wait = result.next_poll.unwrap() - before;
    assert!(wait >= chrono::Duration::hours(2), "{wait}");
    assert!(wait <= chrono::Duration::minutes(133), "{wait}");
}

#[tokio::test]
async fn rss_ttl_and_cache_control_lengthen_the_interval() {
    let with_ttl = RSS.replace("<title>T</title>", "<title>T</title><ttl>120</ttl>");
    let base = serve(
        Router::new()
            .route("/ttl", get(move || async move { with_ttl }))
            .route(
                "/cc",
                get(|| async { ([(header::CACHE_CONTROL, "public, max-age=10800")], RSS) }),
            ),
    )
    .await;
    for (path, hours) in [("/ttl", 2), ("/cc", 3)] {
        let before = chrono::Utc::now();
        let result = done(once(source(&format!("{base}{path}"))).await);
        let wait = result.next_poll.unwrap() - before;
        assert!(wait >= chrono::Duration::hours(hours), "{path}: {wait}");
        assert!(
            wait <= chrono::Duration::minutes(hours * 66 + 1),
            "{path}: {wait}"
        );
    }
}

#[tokio::test]
async fn file_sources_are_read_as_paths_or_file_urls() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my feed.xml");
    std::fs::write(&path, RSS).unwrap();
    let plain = done(once(source(&format!("file:{}", path.display()))).await);
    assert_eq!(titles(&plain.outcome), ["Hello"]);
    let url = url::Url::from_file_path(&path).unwrap().to_string();
    assert!(url.contains("%20"));
    let as_url = done(once(source(&url)).await);
    assert_eq!(titles(&as_url.outcome), ["Hello"]);
    let missing = done(once(source("file:/nonexistent/feed.xml")).await);
    assert!(reason(&missing.outcome).contains("/nonexistent/feed.xml"));
}

#[tokio::test]
async fn exec_sources_run_without_a_shell_only_when_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("it's here.xml");
    std::fs::write(&path, RSS).unwrap();
    let quoted = format!("\"{}\"", path.display());
    let mut src = source(&format!("exec:cat {quoted}"));
    let refused = done(once(src.clone()).await);
    assert!(reason(&refused.outcome).contains("own config file"));
    src.allow_exec = true;
    let ran = done(once(src).await);
    assert_eq!(titles(&ran.outcome), ["Hello"]);
    // No shell: `;` is just an argument to cat, which then fails.
    let mut no_shell = source(&format!("exec:cat {quoted}; echo pwned"));
    no_shell.allow_exec = true;
    let failed = done(once(no_shell).await);
    assert!(
        reason(&failed.outcome).contains("cat exited with"),
        "{:?}",
        failed.outcome
    );
}

#[tokio::test]
async fn an_unknown_scheme_is_refused_clearly() {
    let result = done(once(source("gopher://user:pw@example.org/feed")).await);
    let why = reason(&result.outcome);
    assert!(why.starts_with("unsupported URL scheme"), "{why}");
    assert!(!why.contains("pw@"), "{why}");
}
