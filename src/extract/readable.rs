//! Finds the article in a parsed page: drops the chrome Readability's scoring lets through
//! (ad slots, newsletter and "read also" boxes, share bars), runs dom_smoothie (Mozilla
//! Readability), and decides whether what it found is an article at all.

use dom_query::{Document, NodeRef};
use dom_smoothie::{Article, Config, Readability, ReadabilityError};

use super::error::ExtractError;
use super::guard::{self, MAX_DEPTH};

/// Class or id parts (split at `-` and `_`) that mark page chrome. Readability's own lists
/// catch comments, sidebars, footers and menus; these are what news pages put inside the
/// article's container, where its scoring keeps them.
const CHROME_PARTS: [&str; 22] = [
    "ad",
    "ads",
    "advert",
    "adverts",
    "advertisement",
    "advertising",
    "breadcrumb",
    "breadcrumbs",
    "cookie",
    "cookies",
    "newsletter",
    "outbrain",
    "promo",
    "related",
    "share",
    "sharing",
    "social",
    "sponsor",
    "sponsored",
    "subscribe",
    "taboola",
    "ticker",
];

/// Whole class or id names that mark chrome though their parts do not.
const CHROME_NAMES: [&str; 8] = [
    "read-also",
    "readalso",
    "also-read",
    "read-more",
    "readmore",
    "see-also",
    "more-stories",
    "inline-related",
];

/// An element named as chrome is kept all the same when it holds this share of the page's
/// text or more: then the name is the site's theme, not a box beside the article.
const CHROME_MAX_SHARE: f64 = 1.0 / 3.0;

/// Link text above this share of the extracted text means a list of links, not an article...
const MAX_LINK_DENSITY: f64 = 0.5;

/// ...and above this share when Readability's own "probably readable" test doubted the page
/// (its paragraphs are short), which must then also have this much text (chars, links
/// excluded) to count as an article.
const MAX_LINK_DENSITY_DOUBTED: f64 = 0.25;
const MIN_ARTICLE_CHARS_DOUBTED: usize = 500;

/// Removes chrome by class and id names (see [`CHROME_PARTS`]) and links that run script.
pub(crate) fn strip_chrome(doc: &Document) {
    let body_chars = doc.body().map_or(0, |b| {
        b.text().chars().filter(|c| !c.is_whitespace()).count()
    });
    let mut doomed = Vec::new();
    for node in doc.select("[class], [id]").nodes() {
        if is_chrome_name(node) && !is_structural(node) {
            let chars = node.text().chars().filter(|c| !c.is_whitespace()).count();
            if (chars as f64) < body_chars as f64 * CHROME_MAX_SHARE {
                doomed.push(*node);
            }
        }
    }
    for node in doomed {
        node.remove_from_parent();
    }
    // The reader shows links and opens them in a browser: one that runs script is no link.
    for a in doc.select("a[href]").nodes() {
        let href = a
            .attr("href")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if ["javascript:", "vbscript:", "data:"]
            .iter()
            .any(|s| href.starts_with(s))
        {
            a.remove_attr("href");
        }
    }
}

fn is_chrome_name(node: &NodeRef) -> bool {
    let class = node.attr("class").unwrap_or_default().to_ascii_lowercase();
    let id = node.attr("id").unwrap_or_default().to_ascii_lowercase();
    class
        .split_ascii_whitespace()
        .chain(std::iter::once(id.as_str()))
        .any(|name| {
            CHROME_NAMES.contains(&name)
                || name
                    .split(['-', '_'])
                    .any(|part| CHROME_PARTS.contains(&part))
        })
}

/// The page's frame, never dropped whatever its class says.
fn is_structural(node: &NodeRef) -> bool {
    matches!(
        node.node_name().as_deref(),
        Some("html" | "body" | "main" | "article")
    )
}

/// Runs Readability on `doc`. `url` is the page's final URL (relative links are resolved
/// against it, or its `<base href>`); `max_elements` bounds the work.
pub(crate) fn readable(
    doc: Document,
    url: &str,
    max_elements: usize,
) -> Result<Article, ExtractError> {
    // The text was checked before parsing; the tree is checked too, since the parser may
    // nest what the tags did not say (formatting elements reopened in each block).
    if guard::depth_over(&doc.root(), MAX_DEPTH) > MAX_DEPTH {
        return Err(ExtractError::TooDeep { max: MAX_DEPTH });
    }
    let config = Config {
        max_elements_to_parse: max_elements,
        ..Config::default()
    };
    // A URL that cannot be a base is left out (links then stay as written), since the
    // extractor refuses it.
    let base = url::Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(|_| url);
    let mut readability = Readability::with_document(doc, base, Some(config))
        .map_err(|e| ExtractError::Failed(e.to_string()))?;
    // Readability.js's own test (paragraphs of some length), run before parsing changes the
    // page; a doubtful page still passes on the size and link density of what is found.
    let probably = readability.is_probably_readable();
    let article = readability.parse().map_err(|e| match e {
        ReadabilityError::TooManyElements(elements, max) => ExtractError::TooBig { elements, max },
        ReadabilityError::GrabFailed => ExtractError::NoArticle,
        other => ExtractError::Failed(other.to_string()),
    })?;
    let (text, links) = text_and_link_chars(&article.content);
    if !is_article(probably, text, links) {
        return Err(ExtractError::NoArticle);
    }
    Ok(article)
}

/// Whether what Readability found is an article: `text` non-space chars, `links` of them in
/// links; `probably` is Readability.js's "probably readable" verdict on the page.
fn is_article(probably: bool, text: usize, links: usize) -> bool {
    let density = if text == 0 {
        1.0
    } else {
        links as f64 / text as f64
    };
    if probably {
        text > 0 && density <= MAX_LINK_DENSITY
    } else {
        density <= MAX_LINK_DENSITY_DOUBTED && text - links.min(text) >= MIN_ARTICLE_CHARS_DOUBTED
    }
}

/// Non-space chars of the article's text, and of that inside links.
fn text_and_link_chars(content: &str) -> (usize, usize) {
    let doc = Document::fragment(content);
    let count = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
    let text = count(&doc.root().text());
    let links = doc
        .select("a")
        .nodes()
        .iter()
        .map(|a| count(&a.text()))
        .sum();
    (text, links)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(html: &str) -> String {
        let doc = Document::from(html);
        strip_chrome(&doc);
        doc.select("body").html().to_string()
    }

    #[test]
    fn boxes_named_as_chrome_go_and_the_article_stays() {
        let text = "word ".repeat(100);
        let html = format!(
            "<body><article class=\"share-page\"><div class=\"story\"><p>{text}</p>\
             <div class=\"ad-slot\">Advertisement</div>\
             <div class=\"read-also\">Read also: elsewhere</div>\
             <ul id=\"social_links\"><li>Share</li></ul>\
             <p class=\"lead-in\">kept</p></div></article></body>"
        );
        let out = stripped(&html);
        assert!(out.contains(&text) && out.contains("kept"), "{out}");
        assert!(out.contains("share-page"), "an <article> is never dropped");
        for gone in ["Advertisement", "Read also", "Share<"] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
    }

    #[test]
    fn a_chrome_name_on_most_of_the_text_is_a_theme_not_chrome() {
        let text = "word ".repeat(100);
        let out = stripped(&format!(
            "<body><div class=\"social-theme\"><p>{text}</p></div><p>x</p></body>"
        ));
        assert!(out.contains(&text));
    }

    #[test]
    fn script_links_lose_their_target() {
        let out = stripped(
            "<body><a href=\" JavaScript:alert(1)\">a</a><a href=\"data:text/html,x\">b</a>\
             <a href=\"/ok\">c</a></body>",
        );
        assert!(!out.contains("alert") && !out.contains("data:"), "{out}");
        assert!(out.contains("href=\"/ok\""));
    }

    #[test]
    fn an_article_is_told_from_a_list_of_links() {
        for (probably, text, links, article) in [
            (true, 3000, 100, true),
            (true, 3000, 1400, true),
            (true, 3000, 1600, false),
            (true, 0, 0, false),
            // Short paragraphs only: enough text with few links still is an article...
            (false, 800, 100, true),
            // ...but not a handful of lines, nor a page of headlines.
            (false, 400, 0, false),
            (false, 900, 300, false),
            (false, 0, 0, false),
        ] {
            assert_eq!(
                is_article(probably, text, links),
                article,
                "{probably} {text} {links}"
            );
        }
    }

    #[test]
    fn link_text_is_counted_apart() {
        assert_eq!(text_and_link_chars("<p>ab <a href=x>cd</a></p>"), (4, 2));
    }
}
