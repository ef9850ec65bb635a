//! The in-memory store: feeds and their status, articles deduplicated per feed, ordered newest
//! first, with read/starred state. Only `App::update` changes it.

use std::collections::HashMap;

use chrono::{DateTime, Duration as ChronoDuration, Utc};

use crate::model::{Article, Direction, FeedId, ParsedFeed, ParsedItem};

/// Index of an article in the store (stable for one run).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId(pub u32);

/// Where a feed stands, shown in the feed list and the status line.
#[derive(Clone, Debug, PartialEq)]
pub enum FeedStatus {
    /// Not fetched yet in this run.
    Pending,
    /// A fetch is under way.
    Loading,
    /// Last fetch worked.
    Ok { at: DateTime<Utc> },
    /// Last fetch failed; `next_try` is when the poller tries again.
    Failed {
        reason: String,
        since: DateTime<Utc>,
        next_try: Option<DateTime<Utc>>,
    },
    /// The server said 410 Gone.
    Gone,
}

/// One feed as the store knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Feed {
    pub id: FeedId,
    pub url: String,
    /// Name from the config, else the feed's own title, else the URL's host.
    pub name: String,
    pub configured_name: bool,
    pub tags: Vec<String>,
    pub direction: Direction,
    pub language: Option<String>,
    pub status: FeedStatus,
    pub unread: usize,
    pub total: usize,
    /// When the fetch under way started.
    pub loading_since: Option<DateTime<Utc>>,
    /// Where a permanent redirect moved the feed (`url` stays the configured address, which
    /// is how the cache knows the feed).
    pub moved_to: Option<String>,
    /// The article keys the feed listed in its last successful fetch (retention keeps them).
    /// Until the feed is fetched in this run, the keys restored from the cache: what the feed
    /// lists now is unknown then, and quitting offline must not expire what it may still list.
    pub listed: Vec<String>,
    /// Not shown in the feed list (config `hidden`); its articles still are.
    pub hidden: bool,
}

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

/// All feeds and articles.
#[derive(Debug, Default)]
pub struct Store {
    feeds: Vec<Feed>,
    articles: Vec<Article>,
    by_key: HashMap<(FeedId, String), ArticleId>,
    /// Article ids, newest first (by published date, else first-seen time).
    order: Vec<ArticleId>,
    /// Starred articles, kept as they change (the feed list shows it).
    starred: usize,
    /// Bumped on every change, so views know when to recompute.
    generation: u64,
    /// Inside [`Store::begin_batch`]: new articles wait in `unordered` and take their places
    /// in `order` together at [`Store::end_batch`], one pass over `order` for a whole burst
    /// of feeds instead of one per feed.
    batching: bool,
    unordered: Vec<ArticleId>,
    /// A hash of the bodies [`Store::take_bodies`] moved out, so the next fetch can still
    /// tell an edited body from the same one.
    body_hashes: HashMap<ArticleId, u64>,
    /// Off for a one-shot refresh, which never fetches a feed twice (hashing ~100 MB of
    /// bodies would be wasted work).
    no_body_hashes: bool,
}

fn hash_bodies(summary: Option<&str>, content: Option<&str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (summary, content).hash(&mut h);
    h.finish()
}

/// The sort key of an article: published date, else the time akhbar first saw it.
pub fn sort_time(a: &Article) -> DateTime<Utc> {
    a.published.unwrap_or(a.first_seen)
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
    pub fn new() -> Store {
        Store::default()
    }

    /// Adds a feed; ids are handed out in order.
    pub fn add_feed(
        &mut self,
        url: &str,
        name: Option<&str>,
        tags: Vec<String>,
        direction: Direction,
    ) -> FeedId {
        let id = FeedId(self.feeds.len() as u32);
        let fallback = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| crate::text::sanitize::redact_credentials(url));
        self.feeds.push(Feed {
            id,
            url: url.to_string(),
            name: name.map(str::to_string).unwrap_or(fallback),
            configured_name: name.is_some(),
            tags,
            direction,
            language: None,
            status: FeedStatus::Pending,
            unread: 0,
            total: 0,
            loading_since: None,
            moved_to: None,
            listed: Vec::new(),
            hidden: false,
        });
        self.generation += 1;
        id
    }

    pub fn feeds(&self) -> &[Feed] {
        &self.feeds
    }

    pub fn feed(&self, id: FeedId) -> Option<&Feed> {
        self.feeds.get(id.0 as usize)
    }

    /// Marks a fetch as under way (or over) without counting as a change of the articles:
    /// a burst of fetch starts must not make every view recompute.
    pub fn set_loading(&mut self, id: FeedId, since: Option<DateTime<Utc>>) {
        if let Some(f) = self.feeds.get_mut(id.0 as usize) {
            f.loading_since = since;
        }
    }

    pub fn feed_mut(&mut self, id: FeedId) -> Option<&mut Feed> {
        self.generation += 1;
        self.feeds.get_mut(id.0 as usize)
    }

    pub fn article(&self, id: ArticleId) -> Option<&Article> {
        self.articles.get(id.0 as usize)
    }

    /// Article ids newest first. Inside a batch, without the articles ingested since it began.
    pub fn order(&self) -> &[ArticleId] {
        &self.order
    }

    /// Starts a batch of ingests whose new articles are ordered together at
    /// [`Store::end_batch`] (until then [`Store::order`] leaves them out).
    pub fn begin_batch(&mut self) {
        self.batching = true;
    }

    /// Puts the articles ingested during the batch in their places.
    pub fn end_batch(&mut self) {
        self.batching = false;
        if !self.unordered.is_empty() {
            let fresh = std::mem::take(&mut self.unordered);
            self.merge_into_order(fresh);
        }
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn article_count(&self) -> usize {
        self.articles.len()
    }

    pub fn starred_count(&self) -> usize {
        self.starred
    }

    pub fn unread_count(&self) -> usize {
        self.feeds.iter().map(|f| f.unread).sum()
    }

    /// Merges a parsed feed: new items are added, known ones (same key) updated in place
    /// keeping their read/starred state. Undated items keep the feed's order: each gets a
    /// first-seen time a microsecond older than the item before it.
    pub fn ingest(&mut self, feed: FeedId, parsed: ParsedFeed, now: DateTime<Utc>) -> IngestReport {
        let mut report = IngestReport::default();
        let Some(f) = self.feeds.get_mut(feed.0 as usize) else {
            return report;
        };
        if !f.configured_name
            && let Some(t) = parsed.title.as_deref().filter(|t| !t.is_empty())
        {
            f.name = t.to_string();
        }
        if parsed.language.is_some() {
            f.language = parsed.language.clone();
        }
        let mut fresh = Vec::new();
        let mut listed = Vec::with_capacity(parsed.items.len());
        for (i, item) in parsed.items.into_iter().enumerate() {
            let key = article_key(&item);
            listed.push(key.clone());
            if let Some(&id) = self.by_key.get(&(feed, key.clone())) {
                let a = &mut self.articles[id.0 as usize];
                // An article restored from the cache has no bodies in memory (they load
                // lazily): its bodies are unknown, not different, so only the title counts
                // and the fetched bodies fill it in.
                let bodies_unknown = a.content_html.is_none() && a.summary_html.is_none();
                let bodies_changed = if bodies_unknown {
                    // Moved to the cache in this run: the hash still tells.
                    self.body_hashes.get(&id).is_some_and(|&h| {
                        h != hash_bodies(item.summary_html.as_deref(), item.content_html.as_deref())
                    })
                } else {
                    a.content_html != item.content_html || a.summary_html != item.summary_html
                };
                let changed = a.title != item.title || bodies_changed;
                if bodies_unknown && !changed {
                    a.content_html = item.content_html;
                    a.summary_html = item.summary_html;
                    report.filled.push(id);
                    continue;
                }
                if changed {
                    a.title = item.title;
                    a.content_html = item.content_html;
                    a.summary_html = item.summary_html;
                    a.author = item.author;
                    a.categories = item.categories;
                    a.link = item.link;
                    report.updated += 1;
                    report.changed.push(id);
                }
                continue;
            }
            let id = ArticleId(self.articles.len() as u32);
            let article = Article {
                feed,
                key: key.clone(),
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
            };
            self.articles.push(article);
            self.by_key.insert((feed, key), id);
            fresh.push(id);
        }
        report.new_articles = fresh.len();
        report.changed.extend_from_slice(&fresh);
        self.feeds[feed.0 as usize].listed = listed;
        if !fresh.is_empty() {
            let f = &mut self.feeds[feed.0 as usize];
            f.unread += fresh.len();
            f.total += fresh.len();
            if self.batching {
                self.unordered.extend(fresh);
            } else {
                self.merge_into_order(fresh);
            }
        }
        self.generation += 1;
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
    pub fn preset_counts(&mut self, counts: &[(FeedId, usize, usize, usize)]) {
        for &(feed, total, unread, starred) in counts {
            if let Some(f) = self.feeds.get_mut(feed.0 as usize) {
                f.total += total;
                f.unread += unread;
                self.starred += starred;
            }
        }
        self.generation += 1;
    }

    /// Like [`Store::restore`], for articles [`Store::preset_counts`] has counted already.
    pub fn restore_counted(&mut self, articles: Vec<Article>) -> Vec<ArticleId> {
        self.restore_inner(articles, false)
    }

    fn restore_inner(&mut self, articles: Vec<Article>, count: bool) -> Vec<ArticleId> {
        let mut fresh = Vec::with_capacity(articles.len());
        self.articles.reserve(articles.len());
        self.by_key.reserve(articles.len());
        for a in articles {
            if self.feeds.get(a.feed.0 as usize).is_none() {
                continue;
            }
            let id = ArticleId(self.articles.len() as u32);
            match self.by_key.entry((a.feed, a.key.clone())) {
                std::collections::hash_map::Entry::Occupied(_) => continue,
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(id);
                }
            }
            let f = &mut self.feeds[a.feed.0 as usize];
            if count {
                f.total += 1;
                if !a.read {
                    f.unread += 1;
                }
                self.starred += usize::from(a.starred);
            }
            f.listed.push(a.key.clone());
            self.articles.push(a);
            fresh.push(id);
        }
        self.merge_into_order(fresh.clone());
        self.generation += 1;
        fresh
    }

    fn merge_into_order(&mut self, mut fresh: Vec<ArticleId>) {
        let arts = &self.articles;
        let newer_first = |a: &ArticleId, b: &ArticleId| {
            sort_time(&arts[b.0 as usize])
                .cmp(&sort_time(&arts[a.0 as usize]))
                .then(a.0.cmp(&b.0))
        };
        fresh.sort_by(newer_first);
        if self.order.is_empty() {
            // The start-up restore: the sorted ids are the order.
            self.order = fresh;
            return;
        }
        // A feed brings tens of items into an order of up to ~100k: find each one's place by
        // binary search and move the runs of old ids between them, in place and from the back,
        // rather than comparing every old id and building a new vector (which made a
        // 1,000-feed refresh quadratic and paged in a fresh allocation per feed).
        let order = &mut self.order;
        let old_len = order.len();
        order.resize(old_len + fresh.len(), ArticleId(0));
        // `end`: old ids at [..end] are not yet placed; `dst`: next free slot from the back.
        let mut end = old_len;
        let mut dst = order.len();
        for id in fresh.into_iter().rev() {
            let at = order[..end].partition_point(|o| newer_first(o, &id).is_lt());
            let run = end - at;
            order.copy_within(at..end, dst - run);
            dst -= run;
            dst -= 1;
            order[dst] = id;
            end = at;
        }
    }

    /// Sets an article's read flag; returns whether it changed.
    pub fn set_read(&mut self, id: ArticleId, read: bool) -> bool {
        let Some(a) = self.articles.get_mut(id.0 as usize) else {
            return false;
        };
        if a.read == read {
            return false;
        }
        a.read = read;
        let f = &mut self.feeds[a.feed.0 as usize];
        if read {
            f.unread = f.unread.saturating_sub(1);
        } else {
            f.unread += 1;
        }
        self.generation += 1;
        true
    }

    /// Sets an article's starred flag; returns whether it changed.
    pub fn set_starred(&mut self, id: ArticleId, starred: bool) -> bool {
        let Some(a) = self.articles.get_mut(id.0 as usize) else {
            return false;
        };
        if a.starred == starred {
            return false;
        }
        a.starred = starred;
        if starred {
            self.starred += 1;
        } else {
            self.starred -= 1;
        }
        self.generation += 1;
        true
    }

    /// Fills in the bodies of an article restored from the cache without them.
    pub fn set_bodies(
        &mut self,
        id: ArticleId,
        summary_html: Option<String>,
        content_html: Option<String>,
    ) {
        if let Some(a) = self.articles.get_mut(id.0 as usize) {
            a.summary_html = summary_html;
            a.content_html = content_html;
            self.generation += 1;
        }
    }

    /// Moves an article's bodies out (the cache keeps them; nothing on screen depends on them,
    /// so the views need not recompute).
    pub fn take_bodies(&mut self, id: ArticleId) -> (Option<String>, Option<String>) {
        match self.articles.get_mut(id.0 as usize) {
            Some(a) => {
                if !self.no_body_hashes {
                    let hash = hash_bodies(a.summary_html.as_deref(), a.content_html.as_deref());
                    self.body_hashes.insert(id, hash);
                }
                (a.summary_html.take(), a.content_html.take())
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

    /// Looks an article up by feed and key.
    pub fn find(&self, feed: FeedId, key: &str) -> Option<ArticleId> {
        self.by_key.get(&(feed, key.to_string())).copied()
    }

    /// The newest `n` articles across all feeds.
    pub fn newest(&self, n: usize) -> &[ArticleId] {
        &self.order[..n.min(self.order.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn item(guid: Option<&str>, link: Option<&str>, title: &str, day: Option<u32>) -> ParsedItem {
        ParsedItem {
            guid: guid.map(str::to_string),
            link: link.map(str::to_string),
            title: title.to_string(),
            published: day.map(|d| Utc.with_ymd_and_hms(2026, 11, d, 12, 0, 0).unwrap()),
            ..Default::default()
        }
    }

    fn feed_of(items: Vec<ParsedItem>) -> ParsedFeed {
        ParsedFeed {
            title: Some("Feed".into()),
            items,
            ..Default::default()
        }
    }

    fn titles(s: &Store) -> Vec<String> {
        s.order()
            .iter()
            .map(|&id| s.article(id).unwrap().title.clone())
            .collect()
    }

    #[test]
    fn items_are_deduplicated_by_guid_then_link_then_content() {
        let mut s = Store::new();
        let f = s.add_feed("http://x/feed", None, vec![], Direction::Auto);
        let now = Utc::now();
        let items = vec![
            item(Some("g1"), Some("http://x/1"), "one", Some(1)),
            item(None, Some("http://x/2"), "two", Some(2)),
            item(None, None, "three", Some(3)),
        ];
        assert_eq!(s.ingest(f, feed_of(items.clone()), now).new_articles, 3);
        let mut again = items;
        again[0].link = Some("http://x/changed".into());
        assert_eq!(s.ingest(f, feed_of(again), now).new_articles, 0);
        assert_eq!(s.article_count(), 3);
        assert_eq!(s.feed(f).unwrap().unread, 3);
    }

    #[test]
    fn articles_are_ordered_newest_first_across_feeds() {
        let mut s = Store::new();
        let a = s.add_feed("http://a/", None, vec![], Direction::Auto);
        let b = s.add_feed("http://b/", None, vec![], Direction::Auto);
        let now = Utc::now();
        s.ingest(
            a,
            feed_of(vec![
                item(Some("1"), None, "a1", Some(1)),
                item(Some("3"), None, "a3", Some(3)),
            ]),
            now,
        );
        s.ingest(
            b,
            feed_of(vec![
                item(Some("2"), None, "b2", Some(2)),
                item(Some("4"), None, "b4", Some(4)),
            ]),
            now,
        );
        assert_eq!(titles(&s), ["b4", "a3", "b2", "a1"]);
    }

    #[test]
    fn order_stays_newest_first_when_many_feeds_interleave() {
        // Guards the binary-search merge: feeds with overlapping, repeated and missing dates
        // must give the same order as sorting everything at once.
        let mut s = Store::new();
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap();
        for f in 0..40u32 {
            let feed = s.add_feed(&format!("http://f{f}/"), None, vec![], Direction::Auto);
            let items = (0..12u32)
                .map(|k| {
                    let day = (f * 7 + k * 5) % 29;
                    let guid = format!("{f}-{k}");
                    item(Some(&guid), None, &guid, (day != 0).then_some(day))
                })
                .collect();
            s.ingest(feed, feed_of(items), now);
        }
        let mut expected: Vec<ArticleId> = s.order().to_vec();
        expected.sort_by(|a, b| {
            let (x, y) = (s.article(*a).unwrap(), s.article(*b).unwrap());
            sort_time(y).cmp(&sort_time(x)).then(a.0.cmp(&b.0))
        });
        assert_eq!(s.order().len(), 40 * 12);
        assert_eq!(s.order(), expected.as_slice());
    }

    #[test]
    fn restored_articles_count_as_listed_until_their_feed_is_fetched() {
        // Quitting before a feed was fetched (offline, or at once) sent a retention with an
        // empty list for it, and every cached article older than keep_days was deleted.
        let mut s = Store::new();
        let a = s.add_feed("http://a/", None, vec![], Direction::Auto);
        let b = s.add_feed("http://b/", None, vec![], Direction::Auto);
        let now = Utc.with_ymd_and_hms(2026, 11, 10, 0, 0, 0).unwrap();
        let cached = |feed, key: &str| Article {
            feed,
            key: key.into(),
            title: key.into(),
            link: None,
            author: None,
            categories: Vec::new(),
            published: None,
            first_seen: now,
            summary_html: None,
            content_html: None,
            language: None,
            read: false,
            starred: false,
        };
        s.restore(vec![cached(a, "a1"), cached(a, "a2"), cached(b, "b1")]);
        assert_eq!(s.feed(a).unwrap().listed, ["a1", "a2"]);
        assert_eq!(s.feed(b).unwrap().listed, ["b1"]);
        s.ingest(
            a,
            feed_of(vec![item(Some("a3"), None, "new", Some(1))]),
            now,
        );
        assert_eq!(s.feed(a).unwrap().listed, ["a3"]);
        assert_eq!(s.feed(b).unwrap().listed, ["b1"]);
    }

    #[test]
    fn undated_items_keep_feed_order_at_first_seen_time() {
        let mut s = Store::new();
        let a = s.add_feed("http://a/", None, vec![], Direction::Auto);
        let now = Utc.with_ymd_and_hms(2026, 11, 10, 0, 0, 0).unwrap();
        s.ingest(
            a,
            feed_of(vec![
                item(Some("x"), None, "first", None),
                item(Some("y"), None, "second", None),
                item(Some("old"), None, "dated", Some(1)),
            ]),
            now,
        );
        assert_eq!(titles(&s), ["first", "second", "dated"]);
    }

    #[test]
    fn read_state_survives_a_refetch_and_counts_follow() {
        let mut s = Store::new();
        let a = s.add_feed("http://a/", None, vec![], Direction::Auto);
        let now = Utc::now();
        s.ingest(a, feed_of(vec![item(Some("1"), None, "t", Some(1))]), now);
        let id = s.order()[0];
        assert!(s.set_read(id, true));
        assert!(!s.set_read(id, true));
        assert_eq!(s.feed(a).unwrap().unread, 0);
        s.ingest(
            a,
            feed_of(vec![item(Some("1"), None, "t (updated)", Some(1))]),
            now,
        );
        assert!(s.article(id).unwrap().read);
        assert_eq!(s.article(id).unwrap().title, "t (updated)");
        assert_eq!(s.unread_count(), 0);
    }

    #[test]
    fn feed_title_names_the_feed_unless_the_config_did() {
        let mut s = Store::new();
        let a = s.add_feed("http://a.example/rss", None, vec![], Direction::Auto);
        let b = s.add_feed(
            "http://b.example/rss",
            Some("Mine"),
            vec![],
            Direction::Auto,
        );
        assert_eq!(s.feed(a).unwrap().name, "a.example");
        s.ingest(a, feed_of(vec![]), Utc::now());
        s.ingest(b, feed_of(vec![]), Utc::now());
        assert_eq!(s.feed(a).unwrap().name, "Feed");
        assert_eq!(s.feed(b).unwrap().name, "Mine");
    }

    #[test]
    fn a_restored_article_without_bodies_is_not_changed_by_a_refetch() {
        let mut s = Store::new();
        let a = s.add_feed("http://a/", None, vec![], Direction::Auto);
        let mut it = item(Some("1"), None, "t", Some(1));
        it.content_html = Some("<p>body</p>".into());
        s.restore(vec![Article {
            feed: a,
            key: "1".into(),
            title: "t".into(),
            link: None,
            author: None,
            categories: vec![],
            published: it.published,
            first_seen: Utc::now(),
            summary_html: None,
            content_html: None,
            language: None,
            read: true,
            starred: false,
        }]);
        let report = s.ingest(a, feed_of(vec![it.clone()]), Utc::now());
        assert_eq!((report.new_articles, report.updated), (0, 0));
        assert!(report.changed.is_empty());
        assert_eq!(report.filled.len(), 1);
        assert_eq!(
            s.article(report.filled[0]).unwrap().content_html.as_deref(),
            Some("<p>body</p>")
        );
        it.title = "t2".into();
        assert_eq!(
            s.ingest(a, feed_of(vec![it]), Utc::now()).updated,
            1,
            "a new title is a change"
        );
    }

    #[test]
    fn content_hash_key_is_stable() {
        let i = item(None, None, "same", None);
        assert_eq!(article_key(&i), article_key(&i.clone()));
        assert!(article_key(&i).starts_with("hash:"));
        assert_ne!(
            article_key(&i),
            article_key(&item(None, None, "other", None))
        );
    }

    #[test]
    fn an_edited_body_is_still_noticed_after_the_bodies_moved_to_the_cache() {
        let mut store = Store::new();
        let f = store.add_feed("https://e.org/f", None, vec![], Direction::Auto);
        let with_body = |body: &str| {
            let mut i = item(Some("g"), None, "same title", Some(3));
            i.content_html = Some(body.to_string());
            ParsedFeed {
                items: vec![i],
                ..Default::default()
            }
        };
        let now = Utc::now();
        let first = store.ingest(f, with_body("<p>one</p>"), now);
        let id = first.changed[0];
        assert_eq!(store.take_bodies(id).1.as_deref(), Some("<p>one</p>"));
        // The same body again: only filled in, not an update.
        let again = store.ingest(f, with_body("<p>one</p>"), now);
        assert_eq!((again.updated, again.filled.clone()), (0, vec![id]));
        store.take_bodies(id);
        // An edited body under the same title is an update.
        let edited = store.ingest(f, with_body("<p>two</p>"), now);
        assert_eq!((edited.updated, edited.changed.clone()), (1, vec![id]));
        // Without hashes (a one-shot refresh), bodies moved out are unknown: filled.
        store.take_bodies(id);
        store.forget_taken_bodies();
        let unknown = store.ingest(f, with_body("<p>three</p>"), now);
        assert_eq!((unknown.updated, unknown.filled), (0, vec![id]));
    }
}
