//! Which article a feed's key names. The table holds only article ids (4 bytes and a control
//! byte each); hashes and comparisons go through the articles themselves, so no key is kept
//! twice and a lookup by `&str` allocates nothing. (A `HashMap<(FeedId, String), ArticleId>`
//! held a second copy of every key: ~100 bytes an article, 100 MB at a million.)

use std::hash::BuildHasher;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use super::ArticleId;
use crate::model::{Article, FeedId};

/// The key table; `S` is the hasher (randomly seeded; tests pass a colliding one).
#[derive(Debug, Default)]
pub(super) struct Keys<S = foldhash::fast::RandomState> {
    table: HashTable<ArticleId>,
    hasher: S,
}

fn hash_of<S: BuildHasher>(hasher: &S, feed: FeedId, key: &str) -> u64 {
    hasher.hash_one((feed.0, key))
}

fn article(articles: &[Article], id: ArticleId) -> &Article {
    &articles[id.0 as usize]
}

impl<S: BuildHasher> Keys<S> {
    #[cfg(test)]
    pub(super) fn with_hasher(hasher: S) -> Keys<S> {
        Keys {
            table: HashTable::new(),
            hasher,
        }
    }

    /// The article of `feed` with `key`, if any. `articles`: the store's articles, which the
    /// ids in the table index.
    pub(super) fn find(&self, articles: &[Article], feed: FeedId, key: &str) -> Option<ArticleId> {
        let hash = hash_of(&self.hasher, feed, key);
        self.table
            .find(hash, |&id| {
                let a = article(articles, id);
                a.feed == feed && a.key() == key
            })
            .copied()
    }

    /// Takes `id` as the article with `a`'s feed and key unless one has them already (then
    /// returns false and changes nothing). `a` need not be in `articles` yet (`id` is where it
    /// goes); every id already in the table must be.
    pub(super) fn insert_new(&mut self, articles: &[Article], a: &Article, id: ArticleId) -> bool {
        let hasher = &self.hasher;
        let hash = hash_of(hasher, a.feed, a.key());
        let entry = self.table.entry(
            hash,
            |&o| {
                let old = article(articles, o);
                old.feed == a.feed && old.key() == a.key()
            },
            |&o| {
                let old = article(articles, o);
                hash_of(hasher, old.feed, old.key())
            },
        );
        match entry {
            Entry::Occupied(_) => false,
            Entry::Vacant(v) => {
                v.insert(id);
                true
            }
        }
    }

    /// Room for `additional` more articles without growing (growing rehashes every key).
    pub(super) fn reserve(&mut self, articles: &[Article], additional: usize) {
        let hasher = &self.hasher;
        self.table.reserve(additional, |&o| {
            let a = article(articles, o);
            hash_of(hasher, a.feed, a.key())
        });
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.table.len()
    }
}

#[cfg(test)]
mod tests {
    use std::hash::{BuildHasherDefault, Hasher};

    use chrono::DateTime;

    use super::*;

    /// Every key hashes the same: the table must tell them apart by comparing.
    #[derive(Default)]
    struct Collide;
    impl Hasher for Collide {
        fn finish(&self) -> u64 {
            7
        }
        fn write(&mut self, _: &[u8]) {}
    }

    fn art(feed: u32, key: &str) -> Article {
        Article::bare(FeedId(feed), key, "", DateTime::UNIX_EPOCH)
    }

    fn fill<S: BuildHasher>(keys: &mut Keys<S>, articles: &mut Vec<Article>, n: usize) {
        for i in 0..n {
            for feed in 0..2 {
                let a = art(feed, &format!("k{i}"));
                let id = ArticleId(articles.len() as u32);
                assert!(keys.insert_new(articles, &a, id));
                articles.push(a);
            }
        }
    }

    #[test]
    fn colliding_hashes_still_find_the_exact_key() {
        let mut keys = Keys::with_hasher(BuildHasherDefault::<Collide>::default());
        let mut articles = Vec::new();
        fill(&mut keys, &mut articles, 300);
        assert_eq!(keys.len(), 600);
        for i in 0..300 {
            for feed in 0..2u32 {
                let id = keys
                    .find(&articles, FeedId(feed), &format!("k{i}"))
                    .unwrap();
                let a = &articles[id.0 as usize];
                assert_eq!((a.feed, a.key()), (FeedId(feed), format!("k{i}").as_str()));
            }
        }
        assert_eq!(keys.find(&articles, FeedId(0), "k300"), None);
        assert_eq!(keys.find(&articles, FeedId(2), "k0"), None);
        // Known already: not taken again.
        assert!(!keys.insert_new(&articles, &art(1, "k5"), ArticleId(9999)));
        assert_eq!(keys.len(), 600);
    }

    #[test]
    fn the_same_key_in_two_feeds_is_two_articles() {
        let mut keys = Keys::<foldhash::fast::RandomState>::default();
        let mut articles = Vec::new();
        keys.reserve(&articles, 10);
        fill(&mut keys, &mut articles, 5_000);
        assert_eq!(keys.len(), 10_000);
        let a = keys.find(&articles, FeedId(0), "k42").unwrap();
        let b = keys.find(&articles, FeedId(1), "k42").unwrap();
        assert_ne!(a, b);
        assert_eq!(articles[a.0 as usize].feed, FeedId(0));
        assert_eq!(articles[b.0 as usize].feed, FeedId(1));
    }
}
