//! The URLs of a document: links resolved against the article's address (http, https and
//! mailto only, sanitized), numbered once each in the order they are first met.

use std::collections::HashMap;

use scraper::node::Element;
use url::Url;

use crate::text::sanitize::sanitize_url;

pub(super) struct Links {
    base: Option<Url>,
    numbers: HashMap<String, usize>,
    list: Vec<String>,
}

impl Links {
    pub(super) fn new(base: Option<Url>) -> Links {
        Links {
            base,
            numbers: HashMap::new(),
            list: Vec::new(),
        }
    }

    /// An `href` as an absolute URL we may open, or `None` (javascript:, data:, a relative
    /// address with no base...).
    pub(super) fn resolve(&self, href: &str) -> Option<String> {
        let href = sanitize_url(href);
        if href.is_empty() {
            return None;
        }
        let url = match Url::parse(&href) {
            Ok(u) => u,
            Err(url::ParseError::RelativeUrlWithoutBase) => self.base.as_ref()?.join(&href).ok()?,
            Err(_) => return None,
        };
        match url.scheme() {
            "http" | "https" | "mailto" => Some(sanitize_url(url.as_str())),
            _ => None,
        }
    }

    /// An attribute's URL for an image or a media element: http and https only.
    pub(super) fn media_url(&self, el: &Element, attr: &str) -> Option<String> {
        self.resolve(el.attr(attr)?)
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
    }

    /// The number of a URL (`[n]` is `list[n-1]`), given at its first use.
    pub(super) fn number(&mut self, url: String) -> usize {
        if let Some(&n) = self.numbers.get(&url) {
            return n;
        }
        self.list.push(url.clone());
        let n = self.list.len();
        self.numbers.insert(url, n);
        n
    }

    pub(super) fn into_list(self) -> Vec<String> {
        self.list
    }
}
