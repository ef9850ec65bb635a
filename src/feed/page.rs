//! Fetches one web page (an article's link, for its full text) through the feeds' own HTTP
//! path: same client settings, timeouts, size cap after decompression, manual redirects and
//! user agent; http(s) only, and only a page that is HTML.

use bytes::Bytes;

use super::error::{FetchError, PageError};
use super::fetch::{self, Body, FetchRequest};
use super::limits::FetchLimits;
use super::options::PollOptions;

/// What a page fetch sends as `Accept` (to the page's own site only, like every header of a
/// request): HTML first, anything else last, so a site that negotiates sends its page.
const ACCEPT_HTML: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5";
const ACCEPT_FEED_OR_HTML: &str = "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,text/xml;q=0.9,text/html;q=0.8,*/*;q=0.5";

/// A fetched HTML page, not yet decoded.
#[derive(Clone, Debug)]
pub struct Page {
    /// Where the page was finally found, after redirects: the base of its relative links.
    pub url: String,
    /// The `Content-Type` header as sent (its charset is read when the page is decoded).
    pub content_type: Option<String>,
    /// The body, decompressed, at most `PollOptions::max_body_bytes`.
    pub body: Bytes,
}

/// Fetches article pages: one HTTP client (one connection pool) for every page.
#[derive(Clone, Debug)]
pub struct PageFetcher {
    client: reqwest::Client,
    opts: PollOptions,
    limits: FetchLimits,
}

impl PageFetcher {
    /// A fetcher with the feeds' timeouts, size cap and user agent (`opts` as the poller
    /// has them), and fetch slots of its own.
    pub fn new(opts: PollOptions) -> PageFetcher {
        let limits = FetchLimits::new(&opts);
        PageFetcher::with_limits(opts, limits)
    }

    /// A fetcher that takes its slots from `limits` (the poller's, from
    /// `PollerHandle::limits`): a site's pages and feed share its per-host limit.
    pub fn with_limits(opts: PollOptions, limits: FetchLimits) -> PageFetcher {
        PageFetcher {
            client: fetch::build_client(&opts),
            opts,
            limits,
        }
    }

    /// The limits this fetcher works within.
    pub fn options(&self) -> &PollOptions {
        &self.opts
    }

    /// Fetches `url`: an http(s) page that answers 2xx with HTML, within the timeout and the
    /// size cap; redirects are followed (loops and chains over 10 are errors) and credentials
    /// never go to another origin.
    pub async fn fetch(&self, url: &str) -> Result<Page, PageError> {
        let page = self.fetch_with(url, ACCEPT_HTML).await?;
        html_or_not(page.content_type.as_deref(), &page.body).map_err(PageError::NotHtml)?;
        Ok(page)
    }

    /// Fetches a feed or a page that may link to one (`akhbar add`): the same client, limits,
    /// redirects and error texts as a refresh, whatever the media type.
    pub async fn fetch_feed_or_page(&self, url: &str) -> Result<Page, PageError> {
        self.fetch_with(url, ACCEPT_FEED_OR_HTML).await
    }

    async fn fetch_with(&self, url: &str, accept: &str) -> Result<Page, PageError> {
        let scheme = url
            .split_once(':')
            .map(|(scheme, _)| scheme.trim().to_ascii_lowercase());
        if !matches!(scheme.as_deref(), Some("http" | "https")) {
            // Only the scheme is shown: the rest of a link (a local path) stays out of errors.
            let shown = match scheme {
                Some(s) if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric()) => {
                    format!("{s}: links")
                }
                _ => "relative links".to_string(),
            };
            return Err(PageError::NotWeb(shown));
        }
        let request = FetchRequest {
            url: url.to_string(),
            headers: vec![("Accept".to_string(), accept.to_string())],
            ..FetchRequest::default()
        };
        // The slot is keyed by the link's host; redirects to another host go on in it.
        let _permits = self.limits.acquire(url).await;
        let fetched = fetch::fetch(&self.client, &request, &self.opts)
            .await
            .map_err(|failure| failure.error)?;
        let (body, content_type) = match fetched.body {
            Body::Full {
                bytes,
                content_type,
            } => (bytes, content_type),
            // No validators were sent, so a 304 is the server's mistake; 410 is an error
            // like any other for a page.
            Body::NotModified => return Err(status(304, "Not Modified")),
            Body::Gone => return Err(status(410, "Gone")),
        };
        Ok(Page {
            url: fetched.final_url.unwrap_or_else(|| url.to_string()),
            content_type,
            body,
        })
    }
}

fn status(code: u16, reason: &str) -> PageError {
    PageError::Fetch(FetchError::Status {
        code,
        reason: reason.to_string(),
    })
}

/// `Ok` for an HTML page, else the media type to name in the error. A missing or generic
/// type is decided by the first bytes, as browsers sniff them.
pub(crate) fn html_or_not(content_type: Option<&str>, body: &[u8]) -> Result<(), String> {
    let mime = content_type
        .and_then(|ct| ct.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| !m.is_empty());
    match mime.as_deref() {
        Some("text/html" | "application/xhtml+xml") => Ok(()),
        None | Some("application/octet-stream" | "unknown/unknown") => {
            if looks_like_html(body) {
                Ok(())
            } else {
                Err(mime.unwrap_or_else(|| "no media type, and not HTML".to_string()))
            }
        }
        // The type is shown in the error: keep it to what a media type may hold.
        Some(other) => Err(other
            .chars()
            .filter(|c| c.is_ascii_graphic())
            .take(80)
            .collect()),
    }
}

/// Whether a body starts (after a BOM and whitespace) with one of the tags WHATWG's MIME
/// sniffing takes for HTML.
fn looks_like_html(body: &[u8]) -> bool {
    const TAGS: [&[u8]; 17] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
        b"<!--",
    ];
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let head = &body[start..body.len().min(start + 16)];
    TAGS.iter().any(|tag| {
        head.len() > tag.len()
            && head[..tag.len()].eq_ignore_ascii_case(tag)
            // The tag must end there (`<a` is not `<article`... which is HTML too, but
            // `<abc` need not be); `<!--` needs no end.
            && (tag.ends_with(b"--") || matches!(head[tag.len()], b' ' | b'>' | b'\t' | b'\n' | b'\r' | b'/'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_media_types_pass_and_others_are_named() {
        assert_eq!(html_or_not(Some("text/html; charset=utf-8"), b""), Ok(()));
        assert_eq!(html_or_not(Some("Application/XHTML+XML"), b""), Ok(()));
        assert_eq!(
            html_or_not(Some("application/pdf"), b"%PDF-1.7"),
            Err("application/pdf".to_string())
        );
        assert_eq!(
            html_or_not(Some("image/jpeg"), b"\xFF\xD8\xFF"),
            Err("image/jpeg".to_string())
        );
        assert_eq!(
            html_or_not(Some("application/json"), b"{}"),
            Err("application/json".to_string())
        );
    }

    #[test]
    fn a_page_without_a_media_type_is_sniffed() {
        assert_eq!(
            html_or_not(None, b"\xEF\xBB\xBF\n  <!DOCTYPE HTML><p>x"),
            Ok(())
        );
        assert_eq!(html_or_not(None, b"<html lang=ar>"), Ok(()));
        assert_eq!(
            html_or_not(Some("application/octet-stream"), b"<!-- c -->"),
            Ok(())
        );
        assert!(html_or_not(None, b"%PDF-1.4").is_err());
        assert!(html_or_not(None, b"<abc>").is_err());
        assert!(html_or_not(None, b"").is_err());
    }

    #[tokio::test]
    async fn only_web_links_are_fetched_and_the_error_shows_the_scheme_only() {
        let fetcher = PageFetcher::new(PollOptions::default());
        for (url, shown) in [
            ("file:///etc/passwd", "file: links"),
            ("exec:rm -rf /", "exec: links"),
            ("javascript:alert(1)", "javascript: links"),
            ("/relative/path", "relative links"),
            ("we ird:x", "relative links"),
        ] {
            let err = fetcher.fetch(url).await.unwrap_err();
            assert_eq!(err, PageError::NotWeb(shown.to_string()), "{url}");
            assert!(!err.to_string().contains("passwd"));
        }
    }
}
