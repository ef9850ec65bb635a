//! What a page says about itself besides the article: `<html dir lang>`, `<base href>`, the
//! lead image's alt text and caption, and the shape of dates and bylines.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use dom_query::Document;
use url::Url;

use crate::model::Direction;
use crate::text::sanitize::{sanitize_inline, sanitize_url};

/// Images looked at for the lead image's alt and caption: the lead image is near the top, and
/// a page of thousands of thumbnails costs nothing more.
const MAX_IMAGES: usize = 200;

/// A byline longer than this is a paragraph the extractor mistook for one.
const MAX_BYLINE_CHARS: usize = 120;

/// The image a page leads with (`og:image`, `twitter:image`, JSON-LD), shown as
/// `[image: alt]` when the article's own HTML does not already show it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeadImage {
    /// Absolute http(s) URL.
    pub url: String,
    /// `og:image:alt`, else the `alt` of the page's `<img>` of that URL.
    pub alt: Option<String>,
    /// The `<figcaption>` of the `<figure>` that holds that `<img>`.
    pub caption: Option<String>,
    /// Whether the extracted article already has an `<img>` of this URL.
    pub in_content: bool,
}

/// Read from the page before extraction changes it.
#[derive(Debug, Default)]
pub(crate) struct PageFacts {
    pub lang: Option<String>,
    pub dir: Option<Direction>,
    /// `<base href>` resolved against the page's URL, else the page's URL.
    pub base: Option<Url>,
    /// `og:image:alt` / `twitter:image:alt`.
    pub image_alt: Option<String>,
    /// `(absolute src, alt, caption)` of the first images.
    pub images: Vec<(String, Option<String>, Option<String>)>,
}

pub(crate) fn read_facts(doc: &Document, page_url: &str) -> PageFacts {
    let html = doc.select_single("html");
    let lang = html
        .attr("lang")
        .or_else(|| html.attr("xml:lang"))
        .map(|l| sanitize_url(&l))
        .filter(|l| !l.is_empty() && l.len() <= 35);
    let dir = html
        .attr("dir")
        .and_then(|d| match d.trim().to_ascii_lowercase().as_str() {
            "rtl" => Some(Direction::Rtl),
            "ltr" => Some(Direction::Ltr),
            "auto" => Some(Direction::Auto),
            _ => None,
        });
    let page = Url::parse(page_url).ok();
    let base = doc
        .select_single("base[href]")
        .attr("href")
        .and_then(|href| match &page {
            Some(page) => page.join(href.trim()).ok(),
            None => Url::parse(href.trim()).ok(),
        })
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .or(page);
    let image_alt = ["og:image:alt", "twitter:image:alt"]
        .iter()
        .find_map(|key| {
            let sel = format!("meta[property=\"{key}\"], meta[name=\"{key}\"]");
            text_field(doc.select_single(&sel).attr("content").as_deref())
        });
    let images = doc
        .select("img[src]")
        .nodes()
        .iter()
        .take(MAX_IMAGES)
        .filter_map(|img| {
            let src = absolute(base.as_ref(), &img.attr("src")?)?;
            let alt = text_field(img.attr("alt").as_deref());
            let caption = img
                .ancestors_it(Some(4))
                .find(|a| a.node_name().as_deref() == Some("figure"))
                .and_then(|figure| {
                    let caption = figure
                        .descendants_it()
                        .find(|d| d.node_name().as_deref() == Some("figcaption"))?;
                    text_field(Some(&caption.text()))
                });
            Some((src, alt, caption))
        })
        .collect();
    PageFacts {
        lang,
        dir,
        base,
        image_alt,
        images,
    }
}

/// The lead image from the URL the extractor found in the metadata, with what the page says
/// about it; `content` is the extracted article's HTML.
pub(crate) fn lead_image(facts: &PageFacts, url: Option<&str>, content: &str) -> Option<LeadImage> {
    let url = absolute(facts.base.as_ref(), url?)?;
    let known = facts.images.iter().find(|(src, _, _)| *src == url);
    let alt = facts
        .image_alt
        .clone()
        .or_else(|| known.and_then(|(_, alt, _)| alt.clone()));
    let caption = known.and_then(|(_, _, caption)| caption.clone());
    // The content's URLs are absolute by now; in an attribute `&` is written `&amp;`.
    let in_content = content.contains(url.as_str()) || content.contains(&url.replace('&', "&amp;"));
    Some(LeadImage {
        url,
        alt,
        caption,
        in_content,
    })
}

/// `href` resolved against `base`, if it is then an http(s) URL.
fn absolute(base: Option<&Url>, href: &str) -> Option<String> {
    let href = href.trim();
    let url = match base {
        Some(base) => base.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    matches!(url.scheme(), "http" | "https").then(|| sanitize_url(url.as_str()))
}

/// A one-line text field from the page, or `None` if it is empty.
fn text_field(value: Option<&str>) -> Option<String> {
    Some(sanitize_inline(value?)).filter(|v| !v.is_empty())
}

/// The author as a name: a URL (`article:author` is often a profile link) or a paragraph is
/// no byline.
pub(crate) fn byline(raw: Option<&str>) -> Option<String> {
    let name = text_field(raw)?;
    let is_url = name.starts_with("http://") || name.starts_with("https://");
    (!is_url && name.chars().count() <= MAX_BYLINE_CHARS).then_some(name)
}

/// A page's publication date: ISO 8601 in its usual shapes (with or without an offset, with
/// or without the colon in it, or a date alone), or RFC 2822. A time without an offset is
/// taken as UTC.
pub(crate) fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Some(t.and_utc());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    DateTime::parse_from_rfc2822(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<DateTime<Utc>> {
        Some(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
    }

    #[test]
    fn dates_in_the_shapes_pages_write_them_are_read() {
        let want = utc("2026-11-29T07:12:00Z");
        for raw in [
            "2026-11-29T10:12:00+03:00",
            " 2026-11-29T10:12:00+0300 ",
            "2026-11-29T10:12+03:00",
            "2026-11-29T07:12:00.000Z",
            "2026-11-29T07:12:00",
            "2026-11-29 07:12:00",
            "Sun, 29 Nov 2026 10:12:00 +0300",
        ] {
            assert_eq!(parse_date(raw), want, "{raw}");
        }
        assert_eq!(parse_date("2026-11-29"), utc("2026-11-29T00:00:00Z"));
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn a_profile_link_or_a_paragraph_is_no_byline() {
        assert_eq!(
            byline(Some("  Daniel\tOkafor ")),
            Some("Daniel Okafor".into())
        );
        assert_eq!(byline(Some("https://social.example/daniel")), None);
        assert_eq!(byline(Some(&"word ".repeat(40))), None);
        assert_eq!(byline(Some("\u{1b}[2J")), Some("[2J".into()));
        assert_eq!(byline(None), None);
    }

    #[test]
    fn html_dir_lang_and_base_are_read_and_relative_images_resolved() {
        let doc = Document::from(
            "<html dir=RTL lang=fa-IR><head><base href=\"/fa/\">\
             <meta property=\"og:image:alt\" content=\"  \u{202e}alt  \">\
             </head><body><figure><div><img src=\"img/a.jpg\" alt=\"a\"></div>\
             <figcaption>cap <b>tion</b></figcaption></figure>\
             <img src=\"javascript:alert(1)\"></body></html>",
        );
        let facts = read_facts(&doc, "https://news.example/x/y?z=1");
        assert_eq!(facts.lang.as_deref(), Some("fa-IR"));
        assert_eq!(facts.dir, Some(Direction::Rtl));
        assert_eq!(
            facts.base.as_ref().map(Url::as_str),
            Some("https://news.example/fa/")
        );
        assert_eq!(facts.image_alt.as_deref(), Some("alt"));
        assert_eq!(
            facts.images,
            vec![(
                "https://news.example/fa/img/a.jpg".to_string(),
                Some("a".to_string()),
                Some("cap tion".to_string())
            )]
        );
        let lead = lead_image(&facts, Some("img/a.jpg"), "<p>no image</p>").unwrap();
        assert_eq!(lead.url, "https://news.example/fa/img/a.jpg");
        assert_eq!(lead.alt.as_deref(), Some("alt"));
        assert_eq!(lead.caption.as_deref(), Some("cap tion"));
        assert!(!lead.in_content);
        let shown = "<img src=\"https://news.example/fa/img/a.jpg\">";
        assert!(
            lead_image(&facts, Some("img/a.jpg"), shown)
                .unwrap()
                .in_content
        );
        assert_eq!(
            lead_image(&facts, Some("data:image/png;base64,xx"), ""),
            None
        );
    }
}
