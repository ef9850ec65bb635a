//! Relative links in a feed made absolute (RFC 3986, through `url`): against the `xml:base`
//! in force where one is given, else the item's own link, else the feed's URL after
//! redirects (issue 10, item 1).
//!
//! feed-rs resolves `<link>`s against `xml:base` and the URL it is given, but keeps no base
//! for a body (only a raw `xml:base` on Atom `<content>` itself). [`entry_bases`] recovers
//! the base of each item's body in a pre-pass that runs only when the text says `xml:base`;
//! a body whose base is not the item's link (which the reader resolves against) has its
//! relative `href`/`src` rewritten by [`absolutize_html`].

use quick_xml::events::{BytesStart, Event};
use url::Url;

/// `url` as a base for relative links: http(s) only, so a `file:` feed's relative links do not
/// become paths on this machine.
pub(crate) fn web_base(url: Option<&str>) -> Option<Url> {
    let url = Url::parse(url?.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

/// `href` made absolute against `base`; an absolute or unresolvable `href` stays as written.
pub(crate) fn resolve(href: &str, base: Option<&Url>) -> String {
    match (Url::parse(href), base) {
        (Err(url::ParseError::RelativeUrlWithoutBase), Some(base)) => base
            .join(href)
            .map_or_else(|_| href.to_string(), |u| u.to_string()),
        _ => href.to_string(),
    }
}

/// The element names whose `xml:base` is the base of an item's body (`content`,
/// `content:encoded`, `summary`, `description`; not `media:content`).
fn is_body(e: &BytesStart<'_>) -> bool {
    let name = e.name();
    let prefix = name.prefix().map(|p| p.as_ref().to_string());
    let local = e.local_name();
    let local: &str = local.as_ref();
    match prefix.as_deref() {
        None | Some("atom") => matches!(local, "content" | "summary" | "description"),
        Some("content") => local == "encoded",
        _ => false,
    }
}

fn is_item(e: &BytesStart<'_>) -> bool {
    matches!(e.local_name().as_ref(), "entry" | "item")
}

/// One open element: the base in force inside it, and whether an `xml:base` gave it.
#[derive(Clone)]
struct Scope {
    base: Option<Url>,
    explicit: bool,
}

fn enter(parent: &Scope, e: &BytesStart<'_>) -> Scope {
    let given = e
        .try_get_attribute("xml:base")
        .ok()
        .flatten()
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.trim().to_string())
        });
    match given {
        Some(given) => {
            let base = match &parent.base {
                Some(p) => p.join(&given).ok(),
                None => Url::parse(&given).ok(),
            };
            Scope {
                explicit: base.is_some() || parent.explicit,
                base: base.or_else(|| parent.base.clone()),
            }
        }
        None => parent.clone(),
    }
}

/// Whether [`entry_bases`] can find anything: one SIMD scan instead of a second parse.
pub(crate) fn mentions_xml_base(xml: &str) -> bool {
    memchr::memmem::find(xml.as_bytes(), b"xml:base").is_some()
}

/// For each `<entry>`/`<item>` in document order: the base its body's relative links resolve
/// against when an `xml:base` is in force there (on the body element, the item, or above),
/// resolved against `root` (the feed's URL); `None` where no `xml:base` applies.
pub(crate) fn entry_bases(xml: &str, root: Option<&Url>) -> Vec<Option<Url>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().trim_markup_names_in_closing_tags = true;
    let mut stack = vec![Scope {
        base: root.cloned(),
        explicit: false,
    }];
    // Depth of the open item, its own scope and the base of the body seen in it so far.
    let mut item: Option<(usize, Scope, Option<Scope>)> = None;
    let mut out = Vec::new();
    let finish = |scope: &Scope, body: Option<Scope>| {
        let chosen = body.unwrap_or_else(|| scope.clone());
        chosen.explicit.then_some(chosen.base).flatten()
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let scope = enter(stack.last().expect("the root scope"), &e);
                if item.is_none() && is_item(&e) {
                    item = Some((stack.len(), scope.clone(), None));
                } else if let Some((depth, _, body @ None)) = &mut item
                    && stack.len() == *depth + 1
                    && is_body(&e)
                {
                    *body = Some(scope.clone());
                }
                stack.push(scope);
            }
            Ok(Event::Empty(e)) => {
                if item.is_none() && is_item(&e) {
                    let scope = enter(stack.last().expect("the root scope"), &e);
                    out.push(finish(&scope, None));
                }
            }
            Ok(Event::End(_)) => {
                stack.pop();
                if stack.is_empty() {
                    break;
                }
                if let Some((depth, scope, body)) = &item
                    && stack.len() == *depth
                {
                    out.push(finish(scope, body.clone()));
                    item = None;
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    out
}

/// The attributes that hold a URL in a feed's body HTML.
const URL_ATTRS: [&str; 4] = ["href", "src", "data-src", "poster"];

/// `html` with every relative URL attribute made absolute against `base`. The body is parsed
/// and written again (html5ever, through dom_query), so this runs only for bodies whose base
/// differs from the item's link; a body with no such attribute is returned unchanged.
pub(crate) fn absolutize_html(html: String, base: &Url) -> String {
    let bytes = html.as_bytes();
    if !["href", "src", "poster"]
        .iter()
        .any(|a| memchr::memmem::find(bytes, a.as_bytes()).is_some())
    {
        return html;
    }
    let doc = dom_query::Document::fragment(html.as_str());
    let mut changed = false;
    for attr in URL_ATTRS {
        for node in doc.select(&format!("[{attr}]")).nodes() {
            let Some(value) = node.attr(attr) else {
                continue;
            };
            let value = value.trim();
            let resolved = resolve(value, Some(base));
            if resolved != value {
                node.set_attr(attr, &resolved);
                changed = true;
            }
        }
    }
    if !changed {
        return html;
    }
    doc.html_root().inner_html().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn relative_references_resolve_per_rfc_3986() {
        let base = url("https://example.org/a/b/feed.xml");
        for (href, want) in [
            ("/quirks/rel", "https://example.org/quirks/rel"),
            ("c.html", "https://example.org/a/b/c.html"),
            ("../up", "https://example.org/a/up"),
            ("//cdn.example.net/x.png", "https://cdn.example.net/x.png"),
            ("?q=1", "https://example.org/a/b/feed.xml?q=1"),
            ("https://other.example/", "https://other.example/"),
            ("mailto:a@example.org", "mailto:a@example.org"),
        ] {
            assert_eq!(resolve(href, Some(&base)), want, "{href}");
        }
        assert_eq!(resolve("/x", None), "/x");
    }

    #[test]
    fn only_web_urls_are_bases() {
        assert!(web_base(Some("https://example.org/f.xml")).is_some());
        assert!(web_base(Some("file:///tmp/f.xml")).is_none());
        assert!(web_base(Some("exec:cat f")).is_none());
        assert!(web_base(None).is_none());
    }

    #[test]
    fn the_xml_base_of_a_body_stacks_on_its_item_and_the_feed() {
        let xml = r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/blog/">
            <entry><content type="html">x</content></entry>
            <entry xml:base="2026/"><summary>s</summary></entry>
            <entry xml:base="https://other.example/p/"><content xml:base="q/">x</content></entry>
            <entry><media:content xmlns:media="m" xml:base="/no/"/><title>t</title></entry>
        </feed>"#;
        let root = url("https://example.org/feeds/atom.xml");
        let bases = entry_bases(xml, Some(&root));
        let shown: Vec<_> = bases.iter().map(|b| b.as_ref().map(Url::as_str)).collect();
        assert_eq!(
            shown,
            [
                Some("https://example.org/blog/"),
                Some("https://example.org/blog/2026/"),
                Some("https://other.example/p/q/"),
                Some("https://example.org/blog/"),
            ]
        );
    }

    #[test]
    fn without_any_xml_base_no_item_has_one() {
        let xml = "<rss><channel><item><description>d</description></item><item/></channel></rss>";
        let root = url("https://example.org/rss");
        assert_eq!(entry_bases(xml, Some(&root)), [None, None]);
    }

    #[test]
    fn body_urls_become_absolute_and_absolute_ones_stay() {
        let base = url("https://example.org/blog/");
        let out = absolutize_html(
            r#"<p><a href="post.html">p</a> <img src="/i.png"> <a href="https://x.example/">x</a> <a href="mailto:m@x.example">m</a></p>"#.into(),
            &base,
        );
        assert!(
            out.contains(r#"href="https://example.org/blog/post.html""#),
            "{out}"
        );
        assert!(out.contains(r#"src="https://example.org/i.png""#), "{out}");
        assert!(out.contains(r#"href="https://x.example/""#), "{out}");
        assert!(out.contains(r#"href="mailto:m@x.example""#), "{out}");
        let plain = "a & b < c, no links".to_string();
        assert_eq!(absolutize_html(plain.clone(), &base), plain);
    }
}
