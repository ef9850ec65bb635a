//! Parses a feed body (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1) into our types,
//! with every text field sanitized.

use std::borrow::Cow;
use std::time::Duration;

use quick_xml::events::Event;

use feed_rs::model::{Entry, Feed, Link};
use feed_rs::parser::{self, ParseErrorKind, ParseFeedError};

use super::base;
use super::charset;
use super::enclosure::{self, Format};
use super::error::ParseError;
use super::recover;
use super::title::{MAX_AUTHOR_CHARS, cap_text, headline_from_body, title_text};
use crate::model::{ParsedFeed, ParsedItem};
use crate::text::sanitize::{sanitize_block_owned, sanitize_inline, sanitize_url};

/// Parses a feed body. The charset comes from the HTTP `Content-Type`, else the BOM / XML
/// declaration; a wrong declaration falls back (see `ParsedFeed::notes`). Malformed XML is an
/// error naming the line, unless complete items before the fault can be kept, in which case
/// they are returned with a note. CPU work: run it with `spawn_blocking` from async code.
/// Relative links stay as written: see [`parse_feed_at`].
pub fn parse_feed(body: &[u8], content_type: Option<&str>) -> Result<ParsedFeed, ParseError> {
    parse_feed_at(body, content_type, None)
}

/// [`parse_feed`] for a feed found at `url` (after redirects): relative links (item and feed
/// links, and the `href`/`src` of bodies) are resolved against `xml:base` where given, else
/// the item's link, else `url` (http and https only).
pub fn parse_feed_at(
    body: &[u8],
    content_type: Option<&str>,
    url: Option<&str>,
) -> Result<ParsedFeed, ParseError> {
    let root = base::web_base(url);
    let root = root.as_ref();
    let decoded = charset::decode(body, content_type);
    let mut notes = decoded.notes;
    let text = decoded.text.trim_start_matches('\u{FEFF}');
    let start = text.trim_start();
    if start.is_empty() {
        return Err(ParseError::Empty);
    }
    if start.starts_with('{') {
        let feed =
            parse_with_feed_rs(&super::defuse::defuse_json(start), None).map_err(json_error)?;
        let item_langs = json_item_languages(start);
        let mut bases = Bases::root(root);
        bases.format = Format::Json;
        bases.durations = enclosure::json_durations(start);
        let mut parsed = convert(feed, &item_langs, &bases);
        parsed.notes.splice(0..0, notes);
        return Ok(parsed);
    }
    if looks_like_html(start) {
        return Err(ParseError::NotAFeed("an HTML page".into()));
    }
    let xml = charset::rewrite_declaration(start);
    let xml = upgrade_atom_03(xml);
    // Before anything reads it: what feed-rs would panic on, made safe (and `١:٠٢:٠٣` read
    // as the duration it is, by feed-rs and by `itunes_durations` alike).
    let xml = super::defuse::defuse_xml(&xml);
    let entry_langs = if has_lang_inside_items(&xml) {
        entry_languages(&xml)
    } else {
        Vec::new()
    };
    let bases = Bases {
        root,
        items: if base::mentions_xml_base(&xml) {
            base::entry_bases(&xml, root)
        } else {
            Vec::new()
        },
        format: Format::Xml,
        durations: Vec::new(),
        itunes: enclosure::itunes_durations(&xml),
    };
    match parse_with_feed_rs(&xml, root) {
        Ok(feed) => {
            let mut parsed = convert(feed, &entry_langs, &bases);
            parsed.notes.splice(0..0, notes);
            Ok(parsed)
        }
        Err(FeedRsError::Panicked) => Err(ParseError::Parser),
        Err(FeedRsError::Failed(err)) => {
            let Some(fault) = recover::first_xml_error(&xml) else {
                return Err(xml_error_without_fault(err));
            };
            let salvaged = recover::truncate_to_complete_items(&xml, fault.offset)
                .and_then(|fixed| parse_with_feed_rs(&fixed, root).ok())
                .filter(|feed| !feed.entries.is_empty());
            match salvaged {
                Some(feed) => {
                    let mut parsed = convert(feed, &entry_langs, &bases);
                    let n = parsed.items.len();
                    // A download cut short (no closing root after the fault) is told as
                    // such: the feed has more items than these.
                    let tail = xml.get(fault.offset..).unwrap_or("");
                    let cut_short = !["</rss>", "</feed>", "</rdf:RDF>", "</channel>"]
                        .iter()
                        .any(|end| tail.contains(end));
                    notes.push(if cut_short {
                        format!(
                            "{n} item{}, {} (line {}: {})",
                            if n == 1 { "" } else { "s" },
                            crate::model::ENDED_EARLY,
                            fault.line,
                            fault.message
                        )
                    } else {
                        format!(
                            "line {}: {}; kept the {n} items before it",
                            fault.line, fault.message
                        )
                    });
                    parsed.notes.splice(0..0, notes);
                    Ok(parsed)
                }
                None => Err(ParseError::Xml {
                    line: fault.line,
                    message: fault.message,
                }),
            }
        }
    }
}

/// The bases of a feed's relative links: its URL, and per item the `xml:base` of its body;
/// and what its enclosures need besides (the format, JSON Feed's attachment durations).
struct Bases<'a> {
    root: Option<&'a url::Url>,
    items: Vec<Option<url::Url>>,
    format: Format,
    durations: Vec<Vec<(String, u64)>>,
    /// `<itunes:duration>` per item (feed-rs drops it).
    itunes: Vec<Option<u64>>,
}

impl<'a> Bases<'a> {
    fn root(root: Option<&'a url::Url>) -> Bases<'a> {
        Bases {
            root,
            items: Vec::new(),
            format: Format::Xml,
            durations: Vec::new(),
            itunes: Vec::new(),
        }
    }
}

/// Why feed-rs gave no feed.
enum FeedRsError {
    Failed(ParseFeedError),
    /// It panicked (a bug of its own on this input: see `feed::defuse` for the known ones, defused
    /// before it runs); the feed fails with [`ParseError::Parser`] instead of the poller's
    /// task dying with it.
    Panicked,
}

fn parse_with_feed_rs(text: &str, base: Option<&url::Url>) -> Result<Feed, FeedRsError> {
    // An empty id keeps "no guid" distinguishable from a real one, so the store can fall back
    // to the link or a content hash instead of a generated id that may change between fetches.
    // The base makes feed-rs resolve `<link>`s against `xml:base` stacked on the feed's URL.
    let parse = || {
        parser::Builder::new()
            .base_uri(base.map(url::Url::as_str))
            .sanitize_content(false)
            .id_generator(|_, _, _| String::new())
            .build()
            .parse(text.as_bytes())
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse)) {
        Ok(result) => result.map_err(FeedRsError::Failed),
        Err(_) => {
            tracing::error!("the feed parser (feed-rs) panicked on a feed");
            Err(FeedRsError::Panicked)
        }
    }
}

const ATOM_03_NS: &str = "http://purl.org/atom/ns#";

/// feed-rs only knows the Atom 1.0 namespace; Atom 0.3 is close enough that renaming the
/// namespace and its date elements (`issued`, `modified`) lets the Atom 1.0 parser read it.
fn upgrade_atom_03(xml: Cow<'_, str>) -> Cow<'_, str> {
    if memchr::memmem::find(xml.as_bytes(), ATOM_03_NS.as_bytes()).is_none() {
        return xml;
    }
    let mut out = xml.replace(ATOM_03_NS, "http://www.w3.org/2005/Atom");
    for (old, new) in [("issued", "published"), ("modified", "updated")] {
        out = out
            .replace(&format!("<{old}>"), &format!("<{new}>"))
            .replace(&format!("</{old}>"), &format!("</{new}>"));
    }
    Cow::Owned(out)
}

/// Whether an entry may carry its own `xml:lang`: false when the only one is before the first
/// entry (on the root, the usual case), so the second pass over the whole document in
/// [`entry_languages`] is skipped. One SIMD scan of the body instead of a full XML parse.
fn has_lang_inside_items(xml: &str) -> bool {
    const LANG: &[u8] = b"xml:lang";
    let bytes = xml.as_bytes();
    let Some(first) = memchr::memmem::find(bytes, LANG) else {
        return false;
    };
    if memchr::memmem::find(&bytes[first + LANG.len()..], LANG).is_some() {
        return true;
    }
    // `:entry` / `:item` catch prefixed names (`<atom:entry>`); a false match only makes the
    // answer true, which at worst runs the pass for nothing.
    let head = &bytes[..first];
    [b"<entry".as_slice(), b"<item", b":entry", b":item"]
        .into_iter()
        .any(|tag| memchr::memmem::find(head, tag).is_some())
}

/// `xml:lang` of each `<entry>`/`<item>` in document order (feed-rs only reads it from an
/// entry's `<content>`), so an English entry in an Arabic feed keeps its own language.
fn entry_languages(xml: &str) -> Vec<Option<String>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut langs = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let name = e.local_name();
                if name.as_ref() == "entry" || name.as_ref() == "item" {
                    let lang = e
                        .try_get_attribute("xml:lang")
                        .ok()
                        .flatten()
                        .map(|a| a.value.into_owned());
                    langs.push(lang);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    langs
}

fn looks_like_html(start: &str) -> bool {
    let head: String = start
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

fn json_error(err: FeedRsError) -> ParseError {
    let FeedRsError::Failed(err) = err else {
        return ParseError::Parser;
    };
    match err {
        ParseFeedError::JsonSerde(e) => ParseError::Json(e.to_string()),
        ParseFeedError::JsonUnsupportedVersion(v) => {
            ParseError::Json(format!("unsupported version {}", sanitize_inline(&v)))
        }
        other => ParseError::Json(other.to_string()),
    }
}

fn xml_error_without_fault(err: ParseFeedError) -> ParseError {
    match err {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
            ParseError::NotAFeed("no RSS, Atom or JSON Feed root element".into())
        }
        other => ParseError::NotAFeed(sanitize_inline(&other.to_string())),
    }
}

/// JSON Feed 1.1 item `language`, which feed-rs does not keep; by item index.
fn json_item_languages(text: &str) -> Vec<Option<String>> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    value
        .get("items")
        .and_then(|items| items.as_array())
        .map(|items| {
            items
                .iter()
                .map(|item| {
                    item.get("language")
                        .and_then(|l| l.as_str())
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn clean_opt(s: Option<&str>) -> Option<String> {
    s.map(sanitize_inline).filter(|s| !s.is_empty())
}

/// An author's name without the brackets of RSS's `email (Name)` form: feed-rs takes the
/// e-mail out and leaves `(Name)`, or `()` when there was no name (then nothing is shown).
/// Quotes and separators it leaves at the edges go too (`«news@example.org»` leaves `»`,
/// `desk@example.org، محرر` leaves `، محرر`), and what has no letter or digit is no name.
fn unbracket_name(name: &str) -> &str {
    const EDGES: &[char] = &[
        '«', '»', '‹', '›', '"', '\'', '“', '”', '‘', '’', ',', '،', ';', '؛', ':', '-', '–', '—',
    ];
    let name = name
        .trim()
        .trim_matches(|c: char| c.is_whitespace() || EDGES.contains(&c));
    let name = match name.strip_prefix('(').and_then(|n| n.strip_suffix(')')) {
        // Only one pair around the whole name: `(AP) Ed (Rome)` keeps its brackets.
        Some(inner) if !inner.contains(['(', ')']) => inner.trim(),
        _ => name,
    };
    if name.chars().any(char::is_alphanumeric) {
        name
    } else {
        ""
    }
}

/// The page link: `alternate` (or no rel) first, else any link; made absolute against `base`
/// if feed-rs left it relative (JSON Feed, or a feed parsed without its URL).
fn main_link(links: &[Link], base: Option<&url::Url>) -> Option<String> {
    links
        .iter()
        .find(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
        .or_else(|| links.first())
        .map(|l| sanitize_url(&base::resolve(&sanitize_url(&l.href), base)))
        .filter(|s| !s.is_empty())
}

/// Items kept of one feed document, in document order (a feed lists its newest first; the
/// cache keeps `keep_per_feed` of them anyway).
pub const MAX_ITEMS: usize = 10_000;

fn convert(feed: Feed, item_langs: &[Option<String>], bases: &Bases<'_>) -> ParsedFeed {
    let language = clean_opt(feed.language.as_deref());
    let total = feed.entries.len();
    let notes = if total > MAX_ITEMS {
        vec![format!(
            "the feed has {total} items; kept the first {MAX_ITEMS}"
        )]
    } else {
        Vec::new()
    };
    let items = feed
        .entries
        .into_iter()
        .take(MAX_ITEMS)
        .enumerate()
        .map(|(i, entry)| {
            let own = item_langs.get(i).cloned().flatten();
            let xml_base = bases.items.get(i).cloned().flatten();
            let durations = bases.durations.get(i).map_or(&[][..], Vec::as_slice);
            let enclosures = enclosure::enclosures(
                &entry,
                bases.format,
                xml_base.as_ref().or(bases.root),
                durations,
                bases.itunes.get(i).copied().flatten(),
            );
            ParsedItem {
                enclosures,
                ..convert_entry(entry, own, language.as_deref(), xml_base, bases.root)
            }
        })
        .collect();
    ParsedFeed {
        title: clean_opt(feed.title.as_ref().map(title_text).as_deref()),
        link: main_link(&feed.links, bases.root),
        language,
        ttl: feed
            .ttl
            .filter(|m| *m > 0)
            .map(|m| Duration::from_secs(u64::from(m) * 60)),
        items,
        notes,
    }
}

fn convert_entry(
    entry: Entry,
    json_lang: Option<String>,
    feed_lang: Option<&str>,
    xml_base: Option<url::Url>,
    root: Option<&url::Url>,
) -> ParsedItem {
    let author = entry
        .authors
        .iter()
        .filter_map(|p| clean_opt(p.name.as_deref().map(unbracket_name)))
        .collect::<Vec<_>>()
        .join(", ");
    let author = cap_text(author, MAX_AUTHOR_CHARS);
    let categories = entry
        .categories
        .iter()
        .filter_map(|c| clean_opt(Some(c.label.as_deref().unwrap_or(&c.term))))
        .collect();
    // An item without its own language inherits the feed's, so the reader can pick the base
    // direction per article without knowing the feed.
    let language = clean_opt(entry.language.as_deref())
        .or_else(|| clean_opt(json_lang.as_deref()))
        .or_else(|| feed_lang.map(str::to_string));
    let link = main_link(&entry.links, xml_base.as_ref().or(root));
    // The reader resolves a body's links against the item's link; a body with another base
    // (its `xml:base`, or the feed's URL for an item without a link) is made absolute here.
    let body_base = match (xml_base, &link) {
        (Some(b), Some(l)) if b.as_str() == l => None,
        (Some(b), _) => Some(b),
        (None, Some(_)) => None,
        (None, None) => root.cloned(),
    };
    let body = |html: String| match &body_base {
        Some(b) => base::absolutize_html(html, b),
        None => html,
    };
    let summary_html = entry
        .summary
        .map(|s| sanitize_block_owned(body(s.content)))
        .filter(|s| !s.trim().is_empty());
    let content_html = entry
        .content
        .and_then(|c| c.body)
        .map(|b| sanitize_block_owned(body(b)))
        .filter(|s| !s.trim().is_empty());
    let title = entry
        .title
        .map(|t| sanitize_inline(&title_text(&t)))
        .filter(|t| !t.is_empty())
        // No title (a microblog post, a JSON Feed item with content_text only): the start
        // of its text heads it.
        .or_else(|| {
            [&content_html, &summary_html]
                .into_iter()
                .flatten()
                .find_map(|b| headline_from_body(b))
                .map(|h| sanitize_inline(&h))
        })
        .unwrap_or_default();
    ParsedItem {
        guid: clean_opt(Some(entry.id.as_str())),
        link,
        title,
        author: Some(author).filter(|a| !a.is_empty()),
        categories,
        published: entry.published.or(entry.updated),
        summary_html,
        content_html,
        language,
        enclosures: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authors(author_elements: &str) -> Option<String> {
        let xml = format!(
            "<rss version=\"2.0\"><channel><title>t</title><item><title>i</title>\
             {author_elements}</item></channel></rss>"
        );
        let feed = parse_feed(xml.as_bytes(), None).expect("feed parses");
        feed.items[0].author.clone()
    }

    #[test]
    fn an_atom_feeds_html_title_is_text() {
        let xml = r#"<feed xmlns="http://www.w3.org/2005/Atom"><id>f</id>
            <title type="html">News &lt;em&gt;now&lt;/em&gt; &amp;amp; then</title></feed>"#;
        let feed = parse_feed(xml.as_bytes(), None).expect("feed parses");
        assert_eq!(feed.title.as_deref(), Some("News now & then"));
    }

    #[test]
    fn an_rss_author_in_email_name_form_shows_the_name() {
        assert_eq!(
            authors("<author>sara@example.org (سارة المنصوري)</author>").as_deref(),
            Some("سارة المنصوري")
        );
        assert_eq!(
            authors("<author>ed@example.org ( Ed Rossi )</author>").as_deref(),
            Some("Ed Rossi")
        );
    }

    #[test]
    fn an_rss_author_with_no_name_shows_nothing_not_empty_brackets() {
        assert_eq!(authors("<author>ed@example.org ()</author>"), None);
        assert_eq!(authors("<author>ed@example.org</author>"), None);
        assert_eq!(authors("<author>()</author>"), None);
    }

    #[test]
    fn brackets_inside_a_name_are_kept() {
        assert_eq!(
            authors("<author>(AP) Ed (Rome)</author>").as_deref(),
            Some("(AP) Ed (Rome)")
        );
        assert_eq!(
            authors("<dc:creator xmlns:dc=\"http://purl.org/dc/elements/1.1/\">Dana (Tel Aviv)</dc:creator>")
                .as_deref(),
            Some("Dana (Tel Aviv)")
        );
    }

    #[test]
    fn a_missing_name_among_several_authors_leaves_no_empty_entry() {
        assert_eq!(
            authors("<author>a@example.org ()</author><author>b@example.org (Bea)</author>")
                .as_deref(),
            Some("Bea")
        );
    }
}
