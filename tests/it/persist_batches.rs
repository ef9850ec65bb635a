//! The cache writer commits a big batch at once instead of holding it for the batch window,
//! so a refresh of many feeds keeps only a few MiB of queued bodies in memory.

use akhbar::model::{Article, ArticleFields};
use akhbar::persist::{self, Change, PersistEvent};

use crate::support::builders;

const FEED: &str = "https://e.org/feed";

fn article(key: usize) -> Article {
    Article::from(ArticleFields {
        title: format!("title {key}"),
        summary_html: Some(format!("<p>body {key}</p>")),
        ..builders::article(&format!("k{key}")).into_fields()
    })
}

fn upsert(keys: std::ops::Range<usize>) -> Change {
    Change::UpsertArticles {
        feed_url: FEED.into(),
        articles: keys.map(article).collect(),
    }
}

fn saved_events(cache: &persist::Cache) -> Vec<PersistEvent> {
    std::iter::from_fn(|| cache.try_event()).collect()
}

#[test]
fn a_batch_of_a_thousand_articles_is_committed_before_the_next_change() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    cache.send(upsert(0..1000));
    cache.send(Change::SetRead {
        feed_url: FEED.into(),
        key: "k0".into(),
        read: true,
    });
    cache.flush_blocking().unwrap();
    // The writer handles messages in order: the big upsert was committed on its own.
    assert_eq!(
        saved_events(&cache),
        [
            PersistEvent::Saved { changes: 1 },
            PersistEvent::Saved { changes: 1 }
        ]
    );
    drop(cache);
    assert_eq!(persist::count_unread(dir.path()).unwrap(), 999);
}

#[test]
fn a_body_sent_but_not_yet_committed_is_read_from_the_queue() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    cache.send(upsert(0..3));
    // Not flushed: the writer waits for its window, and the reader answers from memory.
    assert_eq!(
        cache.load_body(FEED, "k2"),
        Some((Some("<p>body 2</p>".into()), None))
    );
    cache.flush_blocking().unwrap();
    assert_eq!(
        cache.load_body(FEED, "k2"),
        Some((Some("<p>body 2</p>".into()), None))
    );
}
