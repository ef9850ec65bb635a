//! Failures a real server will not show on demand, from tiny servers on 127.0.0.1 started
//! here: an HTML 500 page, a server that never answers, a closed port, an answer over the
//! cap, plain HTTP where TLS is expected, a redirect, a session dropped again and again.
//! And the rule over all of them: no password or api_key in any error, Debug output or log.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use akhbar::feed::PollOptions;
use akhbar::sync::{Fever, Secret, SyncErrorKind, TtRss};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const PASSWORD: &str = "pw-Very-Secret-4711";

fn options(timeout_ms: u64) -> PollOptions {
    PollOptions {
        timeout: Duration::from_millis(timeout_ms),
        connect_timeout: Duration::from_millis(timeout_ms),
        max_body_bytes: 64 * 1024,
        ..PollOptions::default()
    }
}

/// Reads one request (headers and a Content-Length body) and returns its text.
async fn read_request(sock: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while let Ok(n) = sock.read(&mut chunk).await {
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        if let Some(end) = text.find("\r\n\r\n") {
            let len = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                break;
            }
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// A server on 127.0.0.1 answering every request with `respond(request)`; its address.
async fn serve(respond: impl Fn(&str) -> Vec<u8> + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let respond = Arc::new(respond);
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let respond = respond.clone();
            tokio::spawn(async move {
                let request = read_request(&mut sock).await;
                let _ = sock.write_all(&respond(&request)).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    format!("http://{addr}/")
}

fn http(status: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn ttrss(url: &str, opts: &PollOptions) -> TtRss {
    TtRss::new(url, "me", Secret::new(PASSWORD), opts).expect("a client")
}

fn fever(url: &str, opts: &PollOptions) -> Fever {
    Fever::new(url, "me", &Secret::new(PASSWORD), opts).expect("a client")
}

const ERROR_PAGE: &str = "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>\
    <body><h1>Internal Server Error</h1><p>Something broke.</p></body></html>";

#[tokio::test]
async fn an_html_500_page_is_a_server_error_with_its_title_not_the_whole_page() {
    let url = serve(|_| http("500 Internal Server Error", "text/html", ERROR_PAGE)).await;
    let e = ttrss(&url, &options(5000))
        .login()
        .await
        .expect_err("a 500");
    assert_eq!(
        e.kind,
        SyncErrorKind::ServerError {
            status: 500,
            excerpt: "500 Internal Server Error".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "TT-RSS: server error: HTTP 500: 500 Internal Server Error"
    );
    let e = fever(&url, &options(5000))
        .login()
        .await
        .expect_err("a 500");
    assert!(
        matches!(e.kind, SyncErrorKind::ServerError { status: 500, .. }),
        "{e}"
    );
}

#[tokio::test]
async fn a_php_fatal_error_with_an_empty_body_says_empty_body() {
    let url = serve(|_| http("500 Internal Server Error", "text/html", "")).await;
    let e = ttrss(&url, &options(5000))
        .login()
        .await
        .expect_err("a 500");
    assert_eq!(e.to_string(), "TT-RSS: server error: HTTP 500 (empty body)");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock); // accepted, never answered
        }
    });
    let e = ttrss(&url, &options(500))
        .login()
        .await
        .expect_err("no answer");
    assert_eq!(e.kind, SyncErrorKind::Timeout(0));
    let e = fever(&url, &options(1000))
        .login()
        .await
        .expect_err("no answer");
    assert_eq!(e.to_string(), "Fever: no answer within 1 s");
}

#[tokio::test]
async fn a_closed_port_is_connection_refused() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let e = ttrss(&format!("http://127.0.0.1:{port}/"), &options(2000))
        .login()
        .await
        .expect_err("refused");
    assert!(
        matches!(&e.kind, SyncErrorKind::Connect(why) if why.to_lowercase().contains("refused")),
        "{e}"
    );
}

#[tokio::test]
async fn an_answer_over_the_body_cap_is_refused() {
    let big = format!(
        "{{\"seq\":0,\"status\":0,\"content\":\"{}\"}}",
        "x".repeat(100 * 1024)
    );
    let url = serve(move |_| http("200 OK", "application/json", &big)).await;
    let e = ttrss(&url, &options(5000))
        .login()
        .await
        .expect_err("too big");
    assert_eq!(e.kind, SyncErrorKind::TooLarge(64 * 1024));
}

#[tokio::test]
async fn https_to_a_server_without_tls_is_a_tls_error() {
    // Answers plain HTTP at once, before the client's TLS hello could be read.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("https://{}/", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let _ = sock.write_all(&http("200 OK", "text/plain", "plain")).await;
        }
    });
    let e = fever(&url, &options(5000))
        .login()
        .await
        .expect_err("no TLS there");
    assert!(matches!(e.kind, SyncErrorKind::Tls(_)), "{e:?}");
}

#[tokio::test]
async fn a_redirect_is_reported_not_followed() {
    let url = serve(|_| b"HTTP/1.1 301 Moved\r\nLocation: https://elsewhere.example/tt-rss/api/\r\nContent-Length: 0\r\n\r\n".to_vec()).await;
    let e = ttrss(&url, &options(5000))
        .login()
        .await
        .expect_err("moved");
    assert_eq!(
        e.kind,
        SyncErrorKind::Redirected {
            location: "https://elsewhere.example/tt-rss/api/".into()
        }
    );
}

#[tokio::test]
async fn a_401_from_the_web_server_in_front_is_its_status() {
    let url = serve(|_| {
        http(
            "401 Unauthorized",
            "text/html",
            "<html><title>401</title></html>",
        )
    })
    .await;
    let e = ttrss(&url, &options(5000))
        .login()
        .await
        .expect_err("needs a login");
    assert_eq!(e.to_string(), "TT-RSS: HTTP 401 Unauthorized");
}

#[tokio::test]
async fn a_404_page_is_not_an_endpoint() {
    let url = serve(|_| {
        http(
            "404 Not Found",
            "text/html",
            "<html><title>Not Found</title></html>",
        )
    })
    .await;
    let e = fever(&url, &options(5000))
        .login()
        .await
        .expect_err("nothing there");
    assert!(
        matches!(&e.kind, SyncErrorKind::NotAnEndpoint { why, .. } if why == "an HTML page, HTTP 404"),
        "{e:?}"
    );
}

#[tokio::test]
async fn json_of_another_shape_is_not_an_endpoint() {
    let url = serve(|_| http("200 OK", "application/json", r#"{"hello":"world"}"#)).await;
    let e = ttrss(&url, &options(5000))
        .login()
        .await
        .expect_err("not TT-RSS");
    assert!(matches!(e.kind, SyncErrorKind::NotAnEndpoint { .. }), "{e}");
    let e = fever(&url, &options(5000))
        .login()
        .await
        .expect_err("not Fever");
    assert!(matches!(e.kind, SyncErrorKind::NotAnEndpoint { .. }), "{e}");
    assert!(e.to_string().contains("is not an API endpoint"), "{e}");
}

#[tokio::test]
async fn a_session_dropped_again_right_after_logging_in_is_an_error_not_a_loop() {
    let logins = Arc::new(AtomicUsize::new(0));
    let counted = logins.clone();
    let url = serve(move |req| {
        let body = if req.contains(r#""op":"login""#) {
            counted.fetch_add(1, Ordering::SeqCst);
            r#"{"seq":0,"status":0,"content":{"session_id":"s1","api_level":15}}"#
        } else {
            r#"{"seq":0,"status":1,"content":{"error":"NOT_LOGGED_IN"}}"#
        };
        http("200 OK", "text/json", body)
    })
    .await;
    let c = ttrss(&url, &options(5000));
    c.login().await.expect("login");
    let e = c.unread_ids().await.expect_err("dropped twice");
    assert_eq!(e.kind, SyncErrorKind::SessionLost);
    assert_eq!(
        logins.load(Ordering::SeqCst),
        2,
        "one login, then exactly one more"
    );
}

/// A `tracing` writer into a shared buffer, to read what would reach the log file.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn the_password_and_api_key_never_appear_in_errors_debug_output_or_logs() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let key = akhbar::sync::fever_api_key("me", &Secret::new(PASSWORD));
    let mut shown = Vec::new();
    tracing::subscriber::with_default(subscriber, || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let pages = [
                http("500 Internal Server Error", "text/html", ERROR_PAGE),
                http(
                    "200 OK",
                    "application/json",
                    r#"{"seq":0,"status":1,"content":{"error":"LOGIN_ERROR"}}"#,
                ),
                http(
                    "200 OK",
                    "application/json",
                    r#"{"api_version":3,"auth":0}"#,
                ),
                http(
                    "404 Not Found",
                    "text/html",
                    "<html><title>404</title></html>",
                ),
            ];
            for page in pages {
                let url = serve(move |_| page.clone()).await;
                let t = ttrss(&url, &options(2000));
                let f = fever(&url, &options(2000));
                shown.push(format!("{t:?} {f:?}"));
                for e in [
                    t.login().await.err(),
                    t.feeds().await.err(),
                    f.login().await.err(),
                    f.unread_ids().await.err(),
                ]
                .into_iter()
                .flatten()
                {
                    shown.push(format!("{e} {e:?}"));
                }
            }
            let t = ttrss("http://127.0.0.1:1/", &options(2000));
            if let Err(e) = t.login().await {
                shown.push(format!("{e} {e:?}"));
            }
        });
    });
    let log =
        String::from_utf8_lossy(&log.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned();
    assert!(shown.len() > 10, "{shown:?}");
    assert!(
        !log.is_empty(),
        "the trace log caught nothing: the check would prove nothing"
    );
    for text in shown.iter().chain(std::iter::once(&log)) {
        assert!(!text.contains(PASSWORD), "password shown: {text}");
        assert!(!text.contains(key.expose()), "api_key shown: {text}");
    }
}
