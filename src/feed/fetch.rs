//! Gets one feed's bytes: HTTP(S) with conditional GET, manual redirects, a body cap and
//! timeouts; `file:` paths; `exec:` commands (argv split without a shell).

use std::collections::HashSet;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use tokio::io::AsyncReadExt;
use url::Url;

use super::error::FetchError;
use super::options::PollOptions;
use super::schedule;
use crate::text::sanitize::{redact_credentials, sanitize_inline};

/// Redirects followed before giving up (browsers use 20; feeds never need that many).
pub const MAX_REDIRECTS: usize = 10;

/// What to fetch and with which validators.
#[derive(Clone, Debug, Default)]
pub(crate) struct FetchRequest {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub basic_auth: Option<(String, String)>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub allow_exec: bool,
}

/// What the server answered.
#[derive(Debug)]
pub(crate) enum Body {
    Full {
        bytes: Bytes,
        content_type: Option<String>,
    },
    NotModified,
    Gone,
}

#[derive(Debug)]
pub(crate) struct Fetched {
    pub body: Body,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Where a chain of permanent redirects from the feed's URL ended.
    pub moved_to: Option<String>,
    /// `Cache-Control: max-age`, unclamped.
    pub max_age: Option<Duration>,
    /// The http(s) URL that answered, after every redirect (credentials removed): the base
    /// for a page's relative links. `None` for `file:` and `exec:` sources.
    pub final_url: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Failure {
    pub error: FetchError,
    /// `Retry-After` of a 429/503 (or any error answer that sent one), unclamped.
    pub retry_after: Option<Duration>,
}

impl From<FetchError> for Failure {
    fn from(error: FetchError) -> Self {
        Failure {
            error,
            retry_after: None,
        }
    }
}

/// The shared HTTP client for every feed (one connection pool).
pub(crate) fn build_client(opts: &PollOptions) -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(opts.user_agent.clone())
        .connect_timeout(opts.connect_timeout)
        .timeout(opts.timeout)
        // Redirects are followed by hand: loop detection, permanent-move reporting, and no
        // credentials sent to another origin.
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(opts.per_host.max(1))
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// Fetches one source according to its scheme.
pub(crate) async fn fetch(
    client: &reqwest::Client,
    req: &FetchRequest,
    opts: &PollOptions,
) -> Result<Fetched, Failure> {
    let scheme = req.url.split(':').next().unwrap_or("").to_ascii_lowercase();
    match scheme.as_str() {
        "http" | "https" => {
            match tokio::time::timeout(opts.timeout, fetch_http(client, req, opts)).await {
                Ok(result) => result,
                Err(_) => Err(FetchError::Timeout(opts.timeout.as_secs()).into()),
            }
        }
        "file" => fetch_file(&req.url, opts.max_body_bytes)
            .await
            .map_err(Into::into),
        "exec" => {
            if !req.allow_exec {
                return Err(FetchError::ExecNotAllowed.into());
            }
            match tokio::time::timeout(opts.timeout, fetch_exec(&req.url, opts.max_body_bytes))
                .await
            {
                Ok(result) => result.map_err(Into::into),
                Err(_) => Err(FetchError::Timeout(opts.timeout.as_secs()).into()),
            }
        }
        _ => Err(FetchError::UnsupportedScheme(redact_credentials(&req.url)).into()),
    }
}

fn full(bytes: Vec<u8>) -> Fetched {
    Fetched {
        body: Body::Full {
            bytes: bytes.into(),
            content_type: None,
        },
        etag: None,
        last_modified: None,
        moved_to: None,
        max_age: None,
        final_url: None,
    }
}

async fn fetch_file(url: &str, cap: u64) -> Result<Fetched, FetchError> {
    // `file:///abs` is a URL (percent-decoded); `file:some/path` is taken literally.
    let path = if url.starts_with("file://") {
        Url::parse(url)
            .ok()
            .and_then(|u| u.to_file_path().ok())
            .ok_or_else(|| FetchError::BadUrl(url.to_string()))?
    } else {
        std::path::PathBuf::from(url.get("file:".len()..).unwrap_or(""))
    };
    let shown = path.display().to_string();
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|e| FetchError::Io(format!("{shown}: {e}")))?;
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .await
        .map_err(|e| FetchError::Io(format!("{shown}: {e}")))?;
    if bytes.len() as u64 > cap {
        return Err(FetchError::TooLarge(cap));
    }
    Ok(full(bytes))
}

async fn fetch_exec(url: &str, cap: u64) -> Result<Fetched, FetchError> {
    let command = url.get("exec:".len()..).unwrap_or("").trim();
    let argv = shlex::split(command)
        .filter(|argv| !argv.is_empty())
        .ok_or_else(|| FetchError::Exec(format!("cannot split command \"{command}\"")))?;
    let mut child = tokio::process::Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| FetchError::Exec(format!("{}: {e}", argv[0])))?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    // Both pipes are drained together so a chatty stderr cannot block the command.
    let read_out = async {
        let mut buf = Vec::new();
        if let Some(out) = stdout {
            out.take(cap + 1).read_to_end(&mut buf).await.map(|_| buf)
        } else {
            Ok(buf)
        }
    };
    let read_err = async {
        let mut buf = Vec::new();
        if let Some(err) = stderr {
            let _ = err.take(4096).read_to_end(&mut buf).await;
        }
        buf
    };
    let (out, err) = tokio::join!(read_out, read_err);
    let out = out.map_err(|e| FetchError::Exec(e.to_string()))?;
    if out.len() as u64 > cap {
        return Err(FetchError::TooLarge(cap));
    }
    let status = child
        .wait()
        .await
        .map_err(|e| FetchError::Exec(e.to_string()))?;
    if !status.success() {
        let first_line = String::from_utf8_lossy(&err)
            .lines()
            .map(sanitize_inline)
            .find(|l| !l.is_empty())
            .unwrap_or_default();
        return Err(FetchError::Exec(format!(
            "{} exited with {status}: {first_line}",
            argv[0]
        )));
    }
    Ok(full(out))
}

fn header_str(headers: &HeaderMap, name: HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// One line from a reqwest error: the innermost causes, no URL.
fn describe(err: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(err);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    let text = parts.last().cloned().unwrap_or_else(|| {
        let mut e = err.to_string();
        if let Some(url) = err.url() {
            e = e.replace(url.as_str(), &redact_credentials(url.as_str()));
        }
        e
    });
    sanitize_inline(&text)
}

fn classify(err: reqwest::Error, opts: &PollOptions) -> FetchError {
    // A connect timeout is both a connect error and a timeout; it is told apart because the
    // remedy differs (an unreachable host, not a slow one).
    if err.is_connect() && err.is_timeout() {
        FetchError::ConnectTimeout(opts.connect_timeout.as_secs())
    } else if err.is_timeout() {
        FetchError::Timeout(opts.timeout.as_secs())
    } else if err.is_connect() {
        FetchError::Connect(describe(&err))
    } else {
        FetchError::Http(describe(&err))
    }
}

async fn fetch_http(
    client: &reqwest::Client,
    req: &FetchRequest,
    opts: &PollOptions,
) -> Result<Fetched, Failure> {
    let mut url =
        Url::parse(&req.url).map_err(|_| FetchError::BadUrl(redact_credentials(&req.url)))?;
    // Credentials in the URL become basic auth, so the URL itself (which may end up in an
    // error) never carries them.
    let mut auth = req.basic_auth.clone();
    let url_creds = (!url.username().is_empty()).then(|| {
        let user = percent_decode(url.username());
        let pass = url.password().map(percent_decode).unwrap_or_default();
        (user, pass)
    });
    if url_creds.is_some() {
        let _ = url.set_username("");
        let _ = url.set_password(None);
        if auth.is_none() {
            auth = url_creds.clone();
        }
    }
    let origin = url.origin();
    let original_host = url.host_str().map(str::to_string);
    let mut visited = HashSet::from([url.clone()]);
    let mut moved_to: Option<Url> = None;
    let mut still_permanent = true;
    for hop in 0.. {
        let same_origin = url.origin() == origin;
        let mut request = client.get(url.clone());
        if same_origin {
            // Validators and credentials belong to the feed's own site.
            if let Some(etag) = &req.etag {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &req.last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, lm);
            }
            for (name, value) in &req.headers {
                if let (Ok(n), Ok(v)) = (
                    HeaderName::from_bytes(name.as_bytes()),
                    HeaderValue::from_str(value),
                ) {
                    request = request.header(n, v);
                }
            }
            if let Some((user, pass)) = &auth {
                request = request.basic_auth(user, Some(pass));
            }
        }
        let response = request.send().await.map_err(|e| classify(e, opts))?;
        let status = response.status();
        let headers = response.headers().clone();
        if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
            let next = header_str(&headers, header::LOCATION)
                .and_then(|loc| url.join(&loc).ok())
                .ok_or(FetchError::BadRedirect)?;
            let permanent =
                status == StatusCode::MOVED_PERMANENTLY || status == StatusCode::PERMANENT_REDIRECT;
            still_permanent &= permanent;
            if still_permanent {
                moved_to = Some(next.clone());
            }
            if !visited.insert(next.clone()) {
                return Err(FetchError::RedirectLoop(redact_credentials(next.as_str())).into());
            }
            if hop >= MAX_REDIRECTS {
                return Err(FetchError::TooManyRedirects(MAX_REDIRECTS).into());
            }
            url = next;
            continue;
        }
        let moved_to = moved_to.map(|mut new| {
            // Keep URL credentials when the feed moved within its host, so the saved URL
            // still logs in.
            if let Some((user, pass)) = &url_creds
                && new.host_str() == original_host.as_deref()
            {
                let _ = new.set_username(user);
                let _ = new.set_password(Some(pass));
            }
            new.to_string()
        });
        let etag = header_str(&headers, header::ETAG);
        let last_modified = header_str(&headers, header::LAST_MODIFIED);
        let max_age =
            header_str(&headers, header::CACHE_CONTROL).and_then(|v| schedule::parse_max_age(&v));
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched {
                body: Body::NotModified,
                etag,
                last_modified,
                moved_to,
                max_age,
                final_url: Some(url.to_string()),
            });
        }
        if status == StatusCode::GONE {
            return Ok(Fetched {
                body: Body::Gone,
                etag: None,
                last_modified: None,
                moved_to,
                max_age: None,
                final_url: Some(url.to_string()),
            });
        }
        if !status.is_success() {
            let retry_after = header_str(&headers, header::RETRY_AFTER)
                .and_then(|v| schedule::parse_retry_after(&v, chrono::Utc::now()));
            return Err(Failure {
                error: FetchError::Status {
                    code: status.as_u16(),
                    reason: status.canonical_reason().unwrap_or("").to_string(),
                },
                retry_after,
            });
        }
        let content_type = header_str(&headers, header::CONTENT_TYPE);
        let bytes = read_capped(response, opts).await?;
        return Ok(Fetched {
            body: Body::Full {
                bytes,
                content_type,
            },
            etag,
            last_modified,
            moved_to,
            max_age,
            final_url: Some(url.to_string()),
        });
    }
    unreachable!("the redirect loop returns")
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Streams the (already decompressed) body, stopping as soon as it passes the cap, so a
/// gzip bomb costs at most `max_body_bytes` of memory.
async fn read_capped(
    mut response: reqwest::Response,
    opts: &PollOptions,
) -> Result<Bytes, Failure> {
    let cap = opts.max_body_bytes;
    let announced = response.content_length();
    if announced.is_some_and(|len| len > cap) {
        return Err(FetchError::TooLarge(cap).into());
    }
    // Sized once from Content-Length (under the cap, so a lying server costs at most that),
    // instead of growing by doubling and copying. A compressed body's length says nothing
    // about the decompressed size: reqwest then reports none, and the Vec grows as before.
    let mut buf = Vec::with_capacity(announced.map_or(0, |len| len as usize));
    while let Some(chunk) = response.chunk().await.map_err(|e| classify(e, opts))? {
        if (buf.len() + chunk.len()) as u64 > cap {
            return Err(FetchError::TooLarge(cap).into());
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.into())
}
