//! Filters over the articles in memory: query feeds (config `[[query]]`) and the session's
//! filter (`l`) see an article through the filter language's [`Fields`]; their counts are
//! passes over every article, which the app runs only when the store's generations move.

use chrono::{DateTime, Utc};

use super::{ArticleId, Store, shown_time};
use crate::filter::{Attr, Fields, Filter};
use crate::model::Article;

/// An article's unread and total matches of one filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FilterCounts {
    pub unread: usize,
    pub total: usize,
}

impl Store {
    /// Whether `a` matches `filter` at `now` (`age` counts from it); never an unstarred
    /// article of a feed that left the config. The body (`content`) is
    /// stripped to text only for a filter that tests it; an article whose body is in the
    /// cache only has an empty `content`.
    pub fn filter_matches(&self, filter: &Filter, a: &Article, now: DateTime<Utc>) -> bool {
        let Some(feed) = self.feed(a.feed) else {
            return false;
        };
        // A feed that left the config keeps only its starred articles in the views.
        if feed.former && !a.starred {
            return false;
        }
        let mut content = String::new();
        if filter.uses(Attr::Content) {
            let html = a.content_html().or(a.summary_html()).unwrap_or("");
            crate::text::strip::html_text(html, &mut content);
        }
        let fields = Fields {
            title: a.title(),
            content: &content,
            author: a.author().unwrap_or(""),
            link: a.link().unwrap_or(""),
            feed_title: &feed.name,
            feed_url: &feed.url,
            key: a.key(),
            tags: &feed.tags,
            unread: !a.read,
            starred: a.starred,
            date: shown_time(a),
            folded_title: None,
            folded_content: None,
        };
        filter.matches(&fields, now)
    }

    /// The articles matching `filter`, newest first (one pass).
    pub fn filter_ids(&self, filter: &Filter, now: DateTime<Utc>) -> Vec<ArticleId> {
        self.order()
            .iter()
            .copied()
            .filter(|&id| {
                self.article(id)
                    .is_some_and(|a| self.filter_matches(filter, a, now))
            })
            .collect()
    }

    /// How many articles match `filter`, and how many of them are unread (one pass).
    pub fn filter_counts(&self, filter: &Filter, now: DateTime<Utc>) -> FilterCounts {
        let mut out = FilterCounts::default();
        for a in self.order().iter().filter_map(|&id| self.article(id)) {
            if self.filter_matches(filter, a, now) {
                out.total += 1;
                out.unread += usize::from(!a.read);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Direction, ParsedFeed, ParsedItem};

    fn store() -> Store {
        let mut s = Store::new();
        let f = s.add_feed(
            "http://x/a.xml",
            Some("A"),
            vec!["tech".into()],
            Direction::Auto,
        );
        let items = ["Rust news", "Go news", "Rust again"]
            .iter()
            .enumerate()
            .map(|(i, t)| ParsedItem {
                guid: Some(format!("g{i}")),
                title: t.to_string(),
                content_html: Some(format!("<p>body {i}</p>")),
                ..ParsedItem::default()
            })
            .collect();
        s.ingest(
            f,
            ParsedFeed {
                items,
                ..ParsedFeed::default()
            },
            Utc::now(),
        );
        s
    }

    #[test]
    fn counts_follow_the_filter_and_the_read_state() {
        let mut s = store();
        let f = Filter::parse(r#"title =~ "rust""#).unwrap();
        assert_eq!(
            s.filter_counts(&f, Utc::now()),
            FilterCounts {
                unread: 2,
                total: 2
            }
        );
        let first = s.order()[0];
        let rust = s
            .order()
            .iter()
            .copied()
            .find(|&id| s.article(id).unwrap().title().starts_with("Rust"))
            .unwrap();
        s.set_read(rust, true);
        assert_eq!(s.filter_counts(&f, Utc::now()).unread, 1);
        let tags = Filter::parse(r#"tags # "tech" and content =~ "body 1""#).unwrap();
        assert_eq!(s.filter_counts(&tags, Utc::now()).total, 1);
        assert!(s.article(first).is_some());
    }
}
