//! Images and embedded media as placeholders: `[image: alt]`, and `[video: title]`,
//! `[audio: title]` or `[embed: title]` for `<video>`, `<audio>` and `<iframe>` with the
//! URLs of the element and its `<source>`s.

use scraper::node::Element;

use crate::text::sanitize::sanitize_inline;

use super::links::Links;
use super::tags::{MediaKind, balance_isolates, is_visible};

/// Hosts whose frames are videos.
const VIDEO_HOSTS: &[&str] = &[
    "youtube.com",
    "youtube-nocookie.com",
    "youtu.be",
    "vimeo.com",
    "dailymotion.com",
];

/// `[image: alt]`, or `[image]` with no alt text.
pub(super) fn image_label(el: &Element) -> String {
    let alt = balance_isolates(&el.attr("alt").map(sanitize_inline).unwrap_or_default());
    if alt.chars().any(is_visible) {
        format!("[image: {alt}]")
    } else {
        "[image]".to_string()
    }
}

/// The URL of an image: `src`, else the `data-src` of lazy-loading pages.
pub(super) fn image_url(el: &Element, links: &Links) -> Option<String> {
    links
        .media_url(el, "src")
        .or_else(|| links.media_url(el, "data-src"))
}

/// A `<video>`, `<audio>` or `<iframe>` while open: its `<source>`s are collected.
pub(super) struct Media {
    kind: MediaKind,
    title: String,
    pub urls: Vec<String>,
    /// The frame of the element.
    pub frame: usize,
}

impl Media {
    pub(super) fn start(kind: MediaKind, el: &Element, links: &Links, frame: usize) -> Media {
        let title = el
            .attr("title")
            .or_else(|| el.attr("aria-label"))
            .map(|t| balance_isolates(&sanitize_inline(t)))
            .unwrap_or_default();
        let urls = image_url(el, links).into_iter().collect();
        Media {
            kind,
            title,
            urls,
            frame,
        }
    }

    /// The placeholder, or `None` with no URL (there is nothing to open).
    pub(super) fn label(&self) -> Option<String> {
        let first = self.urls.first()?;
        let word = match self.kind {
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Frame if is_video_host(first) => "video",
            MediaKind::Frame => "embed",
        };
        Some(if self.title.chars().any(is_visible) {
            format!("[{word}: {}]", self.title)
        } else {
            format!("[{word}]")
        })
    }
}

fn is_video_host(url: &str) -> bool {
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
    host.is_some_and(|h| {
        VIDEO_HOSTS
            .iter()
            .any(|v| h == *v || h.strip_suffix(v).is_some_and(|rest| rest.ends_with('.')))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_from_video_hosts_are_videos_and_lookalikes_are_not() {
        assert!(is_video_host("https://www.youtube.com/embed/x"));
        assert!(is_video_host("https://youtu.be/x"));
        assert!(!is_video_host("https://notyoutube.com/x"));
        assert!(!is_video_host("https://maps.example.com/"));
    }
}
