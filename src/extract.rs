//! Full articles from news pages: decodes a fetched page, finds the article in it with a port
//! of Mozilla Readability (dom_smoothie), and reads what the feed may lack (author, date, lead
//! image, the page's direction and language). Pure CPU: run it off the async threads.
//!
//! Data flow: [`crate::feed::PageFetcher`] fetches the page -> [`extract`] (in
//! `spawn_blocking`; [`fetch_article`] does both) -> a [`FullArticle`] whose HTML is sanitized
//! like a feed body and whose links are absolute, ready for `crate::text::html`.

mod decode;
mod error;
mod guard;
mod meta;
mod readable;

use std::panic::{AssertUnwindSafe, catch_unwind};

use chrono::{DateTime, Utc};
use dom_query::Document;

pub use error::ExtractError;
pub use guard::MAX_DEPTH;
pub use meta::LeadImage;

use crate::feed::{Page, PageFetcher};
use crate::model::{Direction, FullText};
use crate::text::sanitize::{redact_credentials, sanitize_block_owned, sanitize_inline};

/// Elements a page may have for extraction to be tried (a long news page has 3,000-10,000;
/// the 2 MB page of the tests about 25,000). Past it the work grows to seconds, so it is an
/// error instead.
pub const MAX_ELEMENTS: usize = 100_000;

/// The article found on a page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FullArticle {
    /// Where the page was found after redirects (credentials removed).
    pub url: String,
    /// The article's title (the page's, without the site's name).
    pub title: Option<String>,
    /// The article as HTML: sanitized (`crate::text::sanitize::sanitize_block`), links and
    /// images absolute, no script, style, form or page chrome.
    pub html: String,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub lead_image: Option<LeadImage>,
    /// `<html lang>` (else what the extractor found).
    pub language: Option<String>,
    /// `<html dir>` (else the `dir` around the article).
    pub direction: Option<Direction>,
    pub site_name: Option<String>,
    /// What decoding had to work around (a guessed or wrong charset), one line each.
    pub notes: Vec<String>,
}

impl FullArticle {
    /// What the reader keeps of it: the HTML with the lead image first when the article
    /// lacks it (`[image: alt]`, its URL among the links), and the page's facts.
    pub fn into_full_text(self) -> FullText {
        let mut html = String::new();
        if let Some(img) = self.lead_image.as_ref().filter(|i| !i.in_content) {
            let alt = img.alt.as_deref().or(img.caption.as_deref()).unwrap_or("");
            html.push_str(&format!(
                "<figure><img src=\"{}\" alt=\"{}\"></figure>",
                attr(&img.url),
                attr(alt)
            ));
        }
        html.push_str(&self.html);
        FullText {
            html,
            author: self.author,
            published: self.published,
            language: self.language,
            direction: self.direction,
        }
    }
}

/// Text for an HTML attribute value in double quotes.
fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Fetches `url` and extracts its article, the extraction on a blocking thread. Every failure
/// is one line: the fetch errors (timeout, HTTP status, too large, redirects), not HTML, no
/// article, too big to extract.
pub async fn fetch_article(fetcher: &PageFetcher, url: &str) -> Result<FullArticle, ExtractError> {
    let page = fetcher.fetch(url).await?;
    tokio::task::spawn_blocking(move || extract(&page))
        .await
        .unwrap_or_else(|e| {
            Err(ExtractError::Failed(format!(
                "the extraction task ended: {e}"
            )))
        })
}

/// Extracts the article of a fetched page. Never panics: a panic inside the extractor is
/// caught and returned as [`ExtractError::Failed`].
pub fn extract(page: &Page) -> Result<FullArticle, ExtractError> {
    guarded(&page.url, || extract_unguarded(page))
}

/// Runs `work`, turning a panic into [`ExtractError::Failed`] (the page is untrusted and the
/// extractor large: a bug there must cost one article, not the reader).
fn guarded<T>(
    url: &str,
    work: impl FnOnce() -> Result<T, ExtractError>,
) -> Result<T, ExtractError> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|_| {
        tracing::error!(
            "the article extractor panicked on {}",
            redact_credentials(url)
        );
        Err(ExtractError::Failed(
            "the extractor crashed on this page".to_string(),
        ))
    })
}

/// [`extract`] without the guard: a panic propagates (the `extract` fuzz target wants to see
/// it; everything else goes through [`extract`]).
pub(crate) fn extract_unguarded(page: &Page) -> Result<FullArticle, ExtractError> {
    let decoded = decode::decode_page(&page.body, page.content_type.as_deref(), &page.url);
    if guard::nests_deeper_than(&decoded.text, MAX_DEPTH) {
        return Err(ExtractError::TooDeep { max: MAX_DEPTH });
    }
    let doc = Document::from(decoded.text.as_ref());
    let facts = meta::read_facts(&doc, &page.url);
    readable::strip_chrome(&doc);
    let article = readable::readable(doc, &page.url, MAX_ELEMENTS)?;
    let html = sanitize_block_owned(article.content.to_string());
    let lead_image = meta::lead_image(&facts, article.image.as_deref(), &html);
    let field = |s: Option<&str>| s.map(sanitize_inline).filter(|s| !s.is_empty());
    Ok(FullArticle {
        url: page.url.clone(),
        title: field(Some(&article.title)),
        author: meta::byline(article.byline.as_deref()),
        published: article.published_time.as_deref().and_then(meta::parse_date),
        lead_image,
        language: facts.lang.or_else(|| field(article.lang.as_deref())),
        direction: facts.dir.or(match article.dir.as_deref() {
            Some("rtl") => Some(Direction::Rtl),
            Some("ltr") => Some(Direction::Ltr),
            _ => None,
        }),
        site_name: field(article.site_name.as_deref()),
        notes: decoded.notes,
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &[u8]) -> Page {
        Page {
            url: "https://news.example/a".to_string(),
            content_type: Some("text/html".to_string()),
            body: body.to_vec().into(),
        }
    }

    #[test]
    fn a_panic_in_the_extractor_is_an_error() {
        let result: Result<(), _> = guarded("https://u:pw@news.example/a", || panic!("boom"));
        assert_eq!(
            result,
            Err(ExtractError::Failed(
                "the extractor crashed on this page".to_string()
            ))
        );
    }

    #[test]
    fn a_deeply_nested_page_is_refused_before_it_is_parsed() {
        let deep = format!("<html><body>{}x", "<div>".repeat(200_000));
        assert_eq!(
            extract(&page(deep.as_bytes())),
            Err(ExtractError::TooDeep { max: MAX_DEPTH })
        );
    }

    #[test]
    fn empty_and_binary_pages_have_no_article() {
        for body in [
            &b""[..],
            b"\0\0\0\xff\xfe",
            b"<html></html>",
            b"<p>short</p>",
        ] {
            assert_eq!(
                extract(&page(body)),
                Err(ExtractError::NoArticle),
                "{body:?}"
            );
        }
    }

    const ESC: char = '\u{1b}';

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn any_tag_soup_gives_an_article_or_an_error(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "<div>", "</div>", "<p>", "</p>", "<article>", "<b>", "</i>", "<table><tr><td>",
                "<script>", "</script>", "<!--", "-->", "<a href='javascript:x'>", "<img src=x>",
                "\u{0627}\u{0644}\u{0639}\u{0631}\u{0628}\u{064a}\u{0629} ", "word ",
                "<meta charset=windows-1256>", "\u{1b}[2J", "<br>", "<base href='//x'>",
            ]), 0..400)
        ) {
            let html: String = parts.concat();
            match extract(&page(html.as_bytes())) {
                Ok(article) => proptest::prop_assert!(!article.html.contains(ESC), "{}", article.html),
                Err(e) => proptest::prop_assert!(!matches!(e, ExtractError::Failed(_)), "{e}"),
            }
        }
    }
}
