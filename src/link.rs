//! Links from feeds and pages: which ones akhbar hands to a browser.

/// Only http and https links are handed to the browser.
pub fn is_web_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_links_are_web_links() {
        assert!(is_web_url("https://example.org/a"));
        assert!(is_web_url("HTTP://example.org/"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("file:///etc/passwd"));
        assert!(!is_web_url("/relative/path"));
    }
}
