//! Articles coming in: parsed feeds merged (dedupe by key, edits noticed, read/starred
//! kept), cached articles restored, and bodies moved out to the cache and back.

use std::collections::HashMap;

use chrono::{DateTime, Duration as ChronoDuration, Utc};

use super::{ArticleId, Store};
use crate::model::{Article, ArticleFields, FeedId, ParsedFeed, ParsedItem};

/// What one ingest did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IngestReport {
    pub new_articles: usize,
    pub updated: usize,
    /// The new and the updated articles (for the cache).
    pub changed: Vec<ArticleId>,
    /// Articles restored without bodies whose bodies the fetch filled in (unchanged).
    pub filled: Vec<ArticleId>,
}

fn hash_bodies(summary: Option<&str>, content: Option<&str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (summary, content).hash(&mut h);
    h.finish()
}

/// The dedupe key of an item: guid, else link, else a stable hash of its content.
pub fn article_key(item: &ParsedItem) -> String {
    if let Some(g) = item.guid.as_deref().filter(|g| !g.trim().is_empty()) {
        return g.trim().to_string();
    }
    if let Some(l) = item.link.as_deref().filter(|l| !l.trim().is_empty()) {
        return l.trim().to_string();
    }
    // FNV-1a over the fields: stable across runs and platforms (unlike std's hasher).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [
        item.title.as_str(),
        "\u{1f}",
        item.content_html.as_deref().unwrap_or(""),
        "\u{1f}",
        item.summary_html.as_deref().unwrap_or(""),
    ] {
        for b in part.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("hash:{h:016x}")
}

impl Store {
    /// Merges a parsed feed: new items are added, known ones (same key) updated in place
    /// keeping their read/starred state. Undated items keep the feed's order: each gets a
    /// first-seen time a microsecond older than the item before it.
    pub fn ingest(&mut self, feed: FeedId, parsed: ParsedFeed, now: DateTime<Utc>) -> IngestReport {
        let mut report = IngestReport::default();
        let Some(f) = self.feeds.get_mut(feed.0 as usize) else {
            return report;
        };
        let mut renamed = false;
        if !f.configured_name
            && let Some(t) = parsed.title.as_deref().filter(|t| !t.is_empty())
            && f.name != t
        {
            f.name = t.to_string();
            renamed = true;
        }
        if parsed.language.is_some() && f.language != parsed.language {
            f.language = parsed.language.clone();
            renamed = true;
        }
        if renamed {
            self.generations.feeds += 1;
        }
        let mut fresh = Vec::new();
        let mut listed = Vec::with_capacity(parsed.items.len());
        let rules = self.ignore_rules(feed);
        for (i, item) in parsed.items.into_iter().enumerate() {
            let key = article_key(&item);
            // The kill file: never taken in, so never shown, counted or saved.
            if !rules.is_empty()
                && super::ignore::is_ignored(&rules, &self.feeds[feed.0 as usize], &item, &key, now)
            {
                continue;
            }
            if let Some(id) = self.keys.find(&self.articles, feed, &key) {
                listed.push(id);
                let a = &mut self.articles[id.0 as usize];
                // An article restored from the cache has no bodies in memory (they load
                // lazily): its bodies are unknown, not different, so only the title counts
                // and the fetched bodies fill it in.
                let bodies_unknown = a.content_html().is_none() && a.summary_html().is_none();
                let bodies_changed = if bodies_unknown {
                    // Moved to the cache in this run: the hash still tells.
                    self.body_hashes.get(&id).is_some_and(|&h| {
                        h != hash_bodies(item.summary_html.as_deref(), item.content_html.as_deref())
                    })
                } else {
                    a.content_html() != item.content_html.as_deref()
                        || a.summary_html() != item.summary_html.as_deref()
                };
                // Enclosures are in memory even for a restored article: compared as they are.
                let changed =
                    a.title() != item.title || bodies_changed || a.enclosures() != item.enclosures;
                if bodies_unknown && !changed {
                    a.set_bodies(item.summary_html, item.content_html);
                    report.filled.push(id);
                    continue;
                }
                if changed {
                    let old = std::mem::replace(a, Article::bare(feed, "", "", now)).into_fields();
                    *a = Article::from(ArticleFields {
                        title: item.title,
                        content_html: item.content_html,
                        summary_html: item.summary_html,
                        author: item.author,
                        categories: item.categories,
                        link: item.link,
                        enclosures: item.enclosures,
                        ..old
                    });
                    report.updated += 1;
                    report.changed.push(id);
                }
                continue;
            }
            let id = ArticleId(self.articles.len() as u32);
            let article = Article::from(ArticleFields {
                feed,
                key,
                title: item.title,
                link: item.link,
                author: item.author,
                categories: item.categories,
                published: item.published,
                first_seen: now - ChronoDuration::microseconds(i as i64),
                summary_html: item.summary_html,
                content_html: item.content_html,
                language: item.language,
                read: false,
                starred: false,
                enclosures: item.enclosures,
            });
            // Not found above: new (a key twice in one fetch was found the second time).
            self.keys.insert_new(&self.articles, &article, id);
            self.articles.push(article);
            listed.push(id);
            fresh.push(id);
        }
        report.new_articles = fresh.len();
        report.changed.extend_from_slice(&fresh);
        self.feeds[feed.0 as usize].listed = Some(listed);
        if !fresh.is_empty() {
            let c = &mut self.counts[feed.0 as usize];
            c.unread += fresh.len();
            c.total += fresh.len();
            self.place(fresh);
        }
        // Only new or edited articles change what a view shows (the 304s and the unchanged
        // refetches of a refresh leave every view as it is).
        if !report.changed.is_empty() {
            self.generations.articles += 1;
        }
        report
    }

    /// Adds articles from the cache (already keyed, with their read/starred state); returns
    /// the ids given to them.
    pub fn restore(&mut self, articles: Vec<Article>) -> Vec<ArticleId> {
        self.restore_inner(articles, true)
    }

    /// Sets the feeds' counts to what the whole cache holds, before a staged start-up restores
    /// its articles in parts with [`Store::restore_counted`]: the first frame shows the right
    /// numbers while most articles are still being read. `counts`: (feed, total, unread,
    /// starred).
    /// Room is made for them all at once: growing by doubling while the parts come in copied
    /// the articles (~256 bytes each) and rehashed the keys several times, and left up to
    /// half of each vector unused. A restored article is not added to its feed's `listed`:
    /// until the feed is fetched, retention keeps all of its articles.
    pub fn preset_counts(&mut self, counts: &[(FeedId, usize, usize, usize)]) {
        let mut all = 0;
        for &(feed, total, unread, starred) in counts {
            if let Some(c) = self.counts.get_mut(feed.0 as usize) {
                c.total += total;
                c.unread += unread;
                self.starred += starred;
                all += total;
            }
        }
        self.articles.reserve_exact(all);
        self.keys.reserve(&self.articles, all);
        self.order.reserve_exact(all);
    }

    /// Like [`Store::restore`], for articles [`Store::preset_counts`] has counted already.
    pub fn restore_counted(&mut self, articles: Vec<Article>) -> Vec<ArticleId> {
        self.restore_inner(articles, false)
    }

    fn restore_inner(&mut self, articles: Vec<Article>, count: bool) -> Vec<ArticleId> {
        let mut fresh = Vec::with_capacity(articles.len());
        self.articles.reserve(articles.len());
        self.keys.reserve(&self.articles, articles.len());
        for a in articles {
            if self.feeds.get(a.feed.0 as usize).is_none() {
                continue;
            }
            let id = ArticleId(self.articles.len() as u32);
            if !self.keys.insert_new(&self.articles, &a, id) {
                continue;
            }
            if count {
                let c = &mut self.counts[a.feed.0 as usize];
                c.total += 1;
                if !a.read {
                    c.unread += 1;
                }
                self.starred += usize::from(a.starred);
            }
            self.articles.push(a);
            fresh.push(id);
        }
        self.merge_into_order(fresh.clone());
        self.generations.articles += 1;
        fresh
    }

    /// Fills in the bodies of an article restored from the cache without them.
    pub fn set_bodies(
        &mut self,
        id: ArticleId,
        summary_html: Option<String>,
        content_html: Option<String>,
    ) {
        // Bodies are shown only by the reader, which lays them out itself: no list view
        // depends on them.
        if let Some(a) = self.articles.get_mut(id.0 as usize) {
            a.set_bodies(summary_html, content_html);
        }
    }

    /// Moves an article's bodies out (the cache keeps them; nothing on screen depends on them,
    /// so the views need not recompute).
    pub fn take_bodies(&mut self, id: ArticleId) -> (Option<String>, Option<String>) {
        match self.articles.get_mut(id.0 as usize) {
            Some(a) => {
                if !self.no_body_hashes {
                    let hash = hash_bodies(a.summary_html(), a.content_html());
                    self.body_hashes.insert(id, hash);
                }
                a.take_bodies()
            }
            None => (None, None),
        }
    }

    /// For a store that sees each feed once (`akhbar refresh`): [`Store::take_bodies`] keeps
    /// no hash to compare the next fetch with.
    pub fn forget_taken_bodies(&mut self) {
        self.no_body_hashes = true;
        self.body_hashes = HashMap::new();
    }
}
