//! An item's attached media (issue 11): RSS `<enclosure>` and Media RSS `<media:content>`
//! (feed-rs puts both, and iTunes' duration, in `entry.media`), Atom `<link rel="enclosure">`
//! and JSON Feed `attachments` (both in `entry.links`). Web URLs only, made absolute,
//! sanitized, one per URL, at most [`MAX_ENCLOSURES`].

use feed_rs::model::{Entry, Link};

use super::base;
use crate::link::is_web_url;
use crate::model::{Enclosure, MAX_ENCLOSURES};
use crate::text::sanitize::{sanitize_inline, sanitize_url};

/// Where the item came from: JSON Feed attachments are links with a type but no `rel`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Format {
    Xml,
    Json,
}

/// The enclosures of `entry`, relative URLs resolved against `base`. `json_durations` are
/// the JSON Feed attachments' `duration_in_seconds` by URL (feed-rs does not keep them);
/// `item_duration` the item's `<itunes:duration>` from [`itunes_durations`].
pub(super) fn enclosures(
    entry: &Entry,
    format: Format,
    base: Option<&url::Url>,
    json_durations: &[(String, u64)],
    item_duration: Option<u64>,
) -> Vec<Enclosure> {
    let mut out: Vec<Enclosure> = Vec::new();
    for object in &entry.media {
        let object_duration = object.duration.map(|d| d.as_secs());
        for content in &object.content {
            let Some(url) = &content.url else { continue };
            add(
                &mut out,
                url.as_str(),
                content.content_type.as_ref().map(|m| m.to_string()),
                content.size,
                content.duration.map(|d| d.as_secs()).or(object_duration),
                base,
            );
        }
    }
    for link in entry.links.iter().filter(|l| is_attachment(l, format)) {
        let duration = json_durations
            .iter()
            .find(|(u, _)| *u == link.href)
            .map(|&(_, d)| d);
        add(
            &mut out,
            &link.href,
            link.media_type.clone(),
            link.length,
            duration,
            base,
        );
    }
    // `<itunes:duration>` is the episode's: the first enclosure's length of play. feed-rs
    // drops an iTunes object that has nothing but it, so the pre-pass's value comes first.
    if let Some(first) = out.first_mut()
        && first.duration_s.is_none()
    {
        first.duration_s = item_duration
            .or_else(|| {
                entry
                    .media
                    .iter()
                    .find_map(|o| o.duration)
                    .map(|d| d.as_secs())
            })
            .filter(|&n| n > 0);
    }
    out
}

/// `<itunes:duration>` of each `<item>`/`<entry>` in document order (`None` where it has
/// none); empty unless the text mentions it, so most feeds pay one SIMD scan.
pub(super) fn itunes_durations(xml: &str) -> Vec<Option<u64>> {
    use quick_xml::events::Event;
    if memchr::memmem::find(xml.as_bytes(), b"itunes:duration").is_none() {
        return Vec::new();
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut in_item = 0usize;
    let mut in_duration = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let local = e.local_name();
                if matches!(local.as_ref(), "item" | "entry") {
                    if in_item == 0 {
                        out.push(None);
                    }
                    in_item += 1;
                } else if in_item > 0 && e.name().as_ref() == "itunes:duration" {
                    in_duration = true;
                }
            }
            Ok(Event::Empty(e)) if matches!(e.local_name().as_ref(), "item" | "entry") => {
                if in_item == 0 {
                    out.push(None);
                }
            }
            Ok(Event::Text(t)) if in_duration => {
                if let Some(last) = out.last_mut() {
                    *last = parse_duration(&t.xml10_content());
                }
            }
            Ok(Event::End(e)) => {
                if matches!(e.local_name().as_ref(), "item" | "entry") {
                    in_item = in_item.saturating_sub(1);
                }
                in_duration = false;
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    out
}

/// iTunes' duration: seconds (`2480`), `MM:SS` or `HH:MM:SS`.
fn parse_duration(text: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    for part in parts {
        let n: u64 = part.trim().split('.').next()?.parse().ok()?;
        total = total.checked_mul(60)?.checked_add(n)?;
    }
    Some(total)
}

fn is_attachment(link: &Link, format: Format) -> bool {
    match format {
        Format::Xml => link.rel.as_deref() == Some("enclosure"),
        Format::Json => link.rel.is_none() && link.media_type.is_some(),
    }
}

/// Adds one enclosure, or fills in what an earlier one with the same URL lacked (an RSS
/// `<enclosure>` with its length and a `<media:content>` with its duration).
fn add(
    out: &mut Vec<Enclosure>,
    href: &str,
    mime: Option<String>,
    length: Option<u64>,
    duration: Option<u64>,
    base: Option<&url::Url>,
) {
    let url = sanitize_url(&base::resolve(&sanitize_url(href), base));
    if url.is_empty() || !is_web_url(&url) {
        return;
    }
    // `length="0"` is how many feeds say "unknown".
    let length_bytes = length.filter(|&n| n > 0);
    let duration_s = duration.filter(|&n| n > 0);
    let mime = mime.map(|m| sanitize_inline(&m)).unwrap_or_default();
    if let Some(old) = out.iter_mut().find(|e| e.url == url) {
        if old.mime.is_empty() {
            old.mime = mime;
        }
        old.length_bytes = old.length_bytes.or(length_bytes);
        old.duration_s = old.duration_s.or(duration_s);
        return;
    }
    if out.len() < MAX_ENCLOSURES {
        out.push(Enclosure {
            url,
            mime,
            length_bytes,
            duration_s,
        });
    }
}

/// `duration_in_seconds` of each JSON Feed item's attachments, by item index, as
/// (url, seconds); empty unless the text mentions the field at all.
pub(super) fn json_durations(text: &str) -> Vec<Vec<(String, u64)>> {
    if memchr::memmem::find(text.as_bytes(), b"duration_in_seconds").is_none() {
        return Vec::new();
    }
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let Some(items) = value.get("items").and_then(|i| i.as_array()) else {
        return Vec::new();
    };
    items
        .iter()
        .map(|item| {
            item.get("attachments")
                .and_then(|a| a.as_array())
                .into_iter()
                .flatten()
                .filter_map(|a| {
                    let url = a.get("url")?.as_str()?;
                    let d = a.get("duration_in_seconds")?;
                    // The spec allows a number; some feeds write a float or a string.
                    let secs = d
                        .as_u64()
                        .or_else(|| d.as_f64().filter(|f| *f >= 0.0).map(|f| f.round() as u64))
                        .or_else(|| d.as_str().and_then(|s| s.trim().parse().ok()))?;
                    // feed-rs hands the URL out normalized (`url::Url`): compare it so.
                    let url =
                        url::Url::parse(url).map_or_else(|_| url.to_string(), |u| u.to_string());
                    Some((url, secs))
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn itunes_durations_read_in_every_form() {
        assert_eq!(parse_duration("2480"), Some(2480));
        assert_eq!(parse_duration("41:20"), Some(2480));
        assert_eq!(parse_duration("1:02:03"), Some(3723));
        assert_eq!(parse_duration(" 05:00.5 "), Some(300));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("1:2:3:4"), None);
    }

    #[test]
    fn itunes_durations_are_per_item_in_order() {
        let xml = "<rss xmlns:itunes=\"i\"><channel><itunes:duration>9</itunes:duration>\
                   <item><itunes:duration>1:00</itunes:duration></item><item/>\
                   <item><title>t</title></item><item><itunes:duration>7</itunes:duration></item>\
                   </channel></rss>";
        assert_eq!(itunes_durations(xml), [Some(60), None, None, Some(7)]);
        assert!(itunes_durations("<rss><channel><item/></channel></rss>").is_empty());
    }
}
