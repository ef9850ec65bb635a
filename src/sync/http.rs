//! The transport both clients share: POSTs with akhbar's timeouts and body cap, no redirects
//! followed, every failure turned into one [`SyncErrorKind`] line without a URL or credential.

use bytes::Bytes;
use reqwest::header;
use url::Url;

use super::error::SyncErrorKind;
use crate::feed::PollOptions;
use crate::text::sanitize::{for_terminal, redact_credentials};

/// Longest excerpt of an error page kept in an error, in characters.
const EXCERPT_CHARS: usize = 160;

/// One HTTP answer, body read in full (under the cap).
pub(crate) struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Bytes,
}

impl Answer {
    /// Whether the body is an HTML page (by its type or its first bytes).
    pub fn is_html(&self) -> bool {
        if self
            .content_type
            .as_deref()
            .is_some_and(|t| t.to_ascii_lowercase().contains("html"))
        {
            return true;
        }
        let head: Vec<u8> = self
            .body
            .iter()
            .skip_while(|b| b.is_ascii_whitespace())
            .take(16)
            .map(u8::to_ascii_lowercase)
            .collect();
        head.starts_with(b"<!doctype html")
            || head.starts_with(b"<html")
            || head.starts_with(b"<br")
    }

    /// The error for an answer that is not what the API sends: a server error page, a 404
    /// page, JSON of another shape. `url` is shown (credentials redacted).
    pub fn unexpected(&self, url: &Url, expected: &str) -> SyncErrorKind {
        let shown = redact_credentials(url.as_str());
        if self.status >= 500 {
            return SyncErrorKind::ServerError {
                status: self.status,
                excerpt: excerpt(&self.body),
            };
        }
        if matches!(self.status, 401 | 403 | 407 | 429) {
            // The web server in front of the API (its own login, a proxy, a rate limit).
            let reason = reqwest::StatusCode::from_u16(self.status)
                .ok()
                .and_then(|c| c.canonical_reason())
                .unwrap_or("")
                .to_string();
            return SyncErrorKind::Status {
                status: self.status,
                reason,
            };
        }
        let why = if self.is_html() {
            format!("an HTML page, HTTP {}", self.status)
        } else if self.body.is_empty() {
            format!("an empty answer, HTTP {}", self.status)
        } else if (200..300).contains(&self.status) {
            format!("not {expected}")
        } else {
            format!("HTTP {}: {}", self.status, excerpt(&self.body))
        };
        SyncErrorKind::NotAnEndpoint { url: shown, why }
    }
}

/// The start of an error page as one clean line: its `<title>` if it has one, else its text
/// with tags dropped; controls removed; at most [`EXCERPT_CHARS`] characters.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let head = String::from_utf8_lossy(&body[..body.len().min(8192)]);
    let lower = head.to_ascii_lowercase();
    let title = lower.find("<title>").and_then(|start| {
        let from = start + "<title>".len();
        lower[from..]
            .find("</title>")
            .map(|len| &head[from..from + len])
    });
    let text = match title {
        Some(t) if !t.trim().is_empty() => t.to_string(),
        _ => strip_tags(&head),
    };
    let line = for_terminal(&text);
    let mut out: String = line.chars().take(EXCERPT_CHARS).collect();
    if line.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len().min(EXCERPT_CHARS * 4));
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The HTTP client of one sync account (one connection pool).
#[derive(Clone, Debug)]
pub(crate) struct Http {
    client: reqwest::Client,
    timeout_secs: u64,
    connect_timeout_secs: u64,
    cap: u64,
}

impl Http {
    pub fn new(opts: &PollOptions) -> Result<Http, SyncErrorKind> {
        let client = reqwest::Client::builder()
            .user_agent(opts.user_agent.clone())
            .connect_timeout(opts.connect_timeout)
            .timeout(opts.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| SyncErrorKind::Http(describe(&e)))?;
        Ok(Http {
            client,
            timeout_secs: opts.timeout.as_secs(),
            connect_timeout_secs: opts.connect_timeout.as_secs(),
            cap: opts.max_body_bytes,
        })
    }

    /// POSTs a JSON body.
    pub async fn post_json(
        &self,
        url: &Url,
        body: &serde_json::Value,
    ) -> Result<Answer, SyncErrorKind> {
        let bytes = serde_json::to_vec(body).map_err(|e| SyncErrorKind::Http(e.to_string()))?;
        let request = self
            .client
            .post(url.clone())
            .header(header::CONTENT_TYPE, "application/json")
            .body(bytes);
        self.send(request).await
    }

    /// POSTs a form (`application/x-www-form-urlencoded`).
    pub async fn post_form(
        &self,
        url: &Url,
        form: &[(&str, &str)],
    ) -> Result<Answer, SyncErrorKind> {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let request = self
            .client
            .post(url.clone())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Answer, SyncErrorKind> {
        let mut response = request.send().await.map_err(|e| self.classify(e))?;
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(|l| for_terminal(&redact_credentials(l)))
                .unwrap_or_else(|| "an address it does not name".to_string());
            return Err(SyncErrorKind::Redirected { location });
        }
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if response.content_length().is_some_and(|len| len > self.cap) {
            return Err(SyncErrorKind::TooLarge(self.cap));
        }
        let mut buf = Vec::with_capacity(response.content_length().unwrap_or(0) as usize);
        while let Some(chunk) = response.chunk().await.map_err(|e| self.classify(e))? {
            if (buf.len() + chunk.len()) as u64 > self.cap {
                return Err(SyncErrorKind::TooLarge(self.cap));
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status: status.as_u16(),
            content_type,
            body: buf.into(),
        })
    }

    fn classify(&self, err: reqwest::Error) -> SyncErrorKind {
        let detail = describe(&err);
        if err.is_connect() && err.is_timeout() {
            SyncErrorKind::ConnectTimeout(self.connect_timeout_secs)
        } else if err.is_timeout() {
            SyncErrorKind::Timeout(self.timeout_secs)
        } else if looks_like_tls(&err) {
            SyncErrorKind::Tls(detail)
        } else if err.is_connect() {
            SyncErrorKind::Connect(detail)
        } else {
            SyncErrorKind::Http(detail)
        }
    }
}

/// Whether a transport error comes from TLS (a certificate, a handshake, a server that does
/// not speak TLS): rustls's errors carry no type reqwest re-exports, so their text tells.
fn looks_like_tls(err: &reqwest::Error) -> bool {
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(err);
    while let Some(s) = source {
        let text = s.to_string().to_ascii_lowercase();
        if [
            "certificate",
            "tls",
            "ssl",
            "handshake",
            "corrupt message",
            "invalidcontenttype",
        ]
        .iter()
        .any(|w| text.contains(w))
        {
            return true;
        }
        source = s.source();
    }
    false
}

/// One line from a reqwest error: the innermost cause, no URL.
fn describe(err: &reqwest::Error) -> String {
    let mut last = None;
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(err);
    while let Some(s) = source {
        last = Some(s.to_string());
        source = s.source();
    }
    let text = last.unwrap_or_else(|| {
        let mut text = err.to_string();
        if let Some(url) = err.url() {
            text = text.replace(url.as_str(), "the server");
        }
        text
    });
    for_terminal(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_page_excerpt_is_its_title_in_one_clean_line() {
        let page = b"<!doctype html><html><head><title>502 Bad\n Gateway\x1b[31m</title></head>\
                     <body>long body</body></html>";
        assert_eq!(excerpt(page), "502 Bad Gateway[31m");
    }

    #[test]
    fn an_error_page_without_a_title_gives_its_text_cut_short() {
        let page = format!(
            "<br />\n<b>Fatal error</b>: Uncaught PDOException {}",
            "x".repeat(500)
        );
        let e = excerpt(page.as_bytes());
        assert!(e.starts_with("Fatal error : Uncaught PDOException"), "{e}");
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
    }
}
