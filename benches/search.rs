//! Search benchmark (issue 12): what the full-text index costs the cache's writer (50,000
//! articles stored with and without it), the index's size, searches over 100,000 cached
//! articles, folding and body-text throughput, and filter evaluation over 100,000 articles.
//!
//! `cargo bench --bench search` (AKHBAR_BENCH_QUICK=1: 10,000 / 20,000 articles, for a check)
//!
//! The corpus: 1,000 feeds (every third Arabic, with harakat on some words), titles of 60-120
//! characters and HTML bodies of 1-4 KiB drawn from a 4,000-word vocabulary with a Zipf-like
//! skew, so there are frequent, middling and rare words to search for.

use std::path::Path;
use std::time::{Duration, Instant};

use akhbar::filter::{Fields, Filter};
use akhbar::model::{Article, ArticleFields, FeedId};
use akhbar::persist::{self, Change, StoredFeed};
use akhbar::text::fold;
use chrono::{Duration as Span, Utc};
use criterion::{BenchmarkId, Criterion};

/// A tiny deterministic generator (same corpus every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

const LATIN: &[&str] = &[
    "ka", "lo", "mi", "ra", "te", "su", "no", "vi", "de", "ba", "zo", "pe", "ri", "ta", "ne",
];
const ARABIC: &[&str] = &[
    "كا", "لو", "مي", "را", "تي", "سو", "نو", "في", "دي", "با", "زو", "بي", "ري", "طا", "ني",
];
const VOCAB: usize = 4000;

/// Word `i` of a script's vocabulary: syllables spelled from the index, so words differ.
fn word(syllables: &[&str], i: usize) -> String {
    let mut n = i + 1;
    let mut w = String::new();
    while n > 0 {
        w.push_str(syllables[n % syllables.len()]);
        n /= syllables.len();
    }
    w
}

struct Corpus {
    latin: Vec<String>,
    arabic: Vec<String>,
    rng: Lcg,
}

impl Corpus {
    fn new() -> Corpus {
        Corpus {
            latin: (0..VOCAB).map(|i| word(LATIN, i)).collect(),
            arabic: (0..VOCAB).map(|i| word(ARABIC, i)).collect(),
            rng: Lcg(42),
        }
    }

    /// A Zipf-like pick: word i with probability about 1/(i+1).
    fn pick(&mut self) -> usize {
        let u = (self.rng.next(1 << 20) as f64 + 1.0) / f64::from(1 << 20);
        (((VOCAB as f64 + 1.0).powf(u) - 1.0) as usize).min(VOCAB - 1)
    }

    fn text(&mut self, arabic: bool, chars: usize) -> String {
        let mut s = String::new();
        while s.chars().count() < chars {
            if !s.is_empty() {
                s.push(' ');
            }
            let i = self.pick();
            if arabic {
                s.push_str(&self.arabic[i]);
                // Some words carry a shadda and a fatha, as real text does.
                if self.rng.next(4) == 0 {
                    s.push_str("\u{0651}\u{064E}");
                }
            } else {
                s.push_str(&self.latin[i]);
            }
        }
        s
    }
}

fn feed_url(f: usize) -> String {
    format!("http://127.0.0.1:8700/f{f:05}.xml")
}

/// Stores `feeds` x `items` articles; returns the time from the first send to the last
/// commit (the writer's work: the senders only queue), and the time the index then takes to
/// take in what it has left (it works in the writer's idle time).
fn fill(dir: &Path, feeds: usize, items: usize) -> (Duration, Duration) {
    let (cache, _) = persist::open(dir).unwrap();
    let mut corpus = Corpus::new();
    let now = Utc::now();
    let mut changes = Vec::new();
    for f in 0..feeds {
        let arabic = f % 3 == 0;
        let url = feed_url(f);
        // Feed names of their own (a word of the articles' vocabulary in a few), so the
        // feed-name match is measured on its own query.
        let title = if f % 100 == 0 {
            format!("{} Courier {f}", corpus.latin[2])
        } else {
            format!("{} {f}", if arabic { "صحيفة" } else { "Daily" })
        };
        let articles: Vec<Article> = (0..items)
            .map(|k| {
                let title_len = 60 + corpus.rng.next(61) as usize;
                let body_len = 1024 + corpus.rng.next(3 * 1024) as usize;
                Article::from(ArticleFields {
                    feed: FeedId(0),
                    key: format!("{url}#item-{k}"),
                    title: corpus.text(arabic, title_len),
                    link: Some(format!("{url}/item-{k}")),
                    author: Some("newsroom".into()),
                    categories: vec!["world".into()],
                    published: Some(now - Span::hours(k as i64)),
                    first_seen: now,
                    summary_html: None,
                    // About as many bytes of HTML as body_len (Arabic letters are 2 bytes).
                    content_html: Some(format!(
                        "<p>{}</p>",
                        corpus.text(arabic, if arabic { body_len / 2 } else { body_len })
                    )),
                    language: Some(if arabic { "ar" } else { "en" }.into()),
                    read: corpus.rng.next(10) < 7,
                    starred: false,
                    enclosures: Vec::new(),
                })
            })
            .collect();
        changes.push(Change::FeedMeta(StoredFeed {
            url: url.clone(),
            title: Some(title),
            ..StoredFeed::default()
        }));
        changes.push(Change::UpsertArticles {
            feed_url: url,
            articles,
        });
    }
    // The corpus is built before the clock starts: only the cache's work is timed.
    let start = Instant::now();
    for (i, change) in changes.into_iter().enumerate() {
        cache.send(change);
        // As `akhbar refresh` does: wait for the writer every 2,000 articles or so.
        if i % 40 == 39 {
            cache.flush_blocking().unwrap();
        }
    }
    cache.flush_blocking().unwrap();
    let took = start.elapsed();
    let start = Instant::now();
    cache.index_blocking().unwrap();
    let index = start.elapsed();
    drop(cache);
    (took, index)
}

fn size_mib(dir: &Path) -> f64 {
    std::fs::metadata(dir.join(persist::CACHE_FILE)).map_or(0, |m| m.len()) as f64
        / (1024.0 * 1024.0)
}

/// Sets or clears the writer's measuring switch. Only called while no cache is open (no other
/// thread of this process reads the environment then).
fn index_switch(on: bool) {
    // SAFETY: single-threaded at this point: every cache (and its writer thread) is dropped.
    unsafe {
        if on {
            std::env::remove_var("AKHBAR_SEARCH_INDEX");
        } else {
            std::env::set_var("AKHBAR_SEARCH_INDEX", "off");
        }
    }
}

fn write_cost(feeds: usize, items: usize) {
    let mut with = Vec::new();
    let mut without = Vec::new();
    let mut after = Vec::new();
    let mut sizes = (0.0, 0.0);
    for _ in 0..3 {
        for on in [true, false] {
            index_switch(on);
            let dir = tempfile::tempdir().unwrap();
            let (took, index) = fill(dir.path(), feeds, items);
            if on {
                with.push(took);
                after.push(index);
                sizes.0 = size_mib(dir.path());
            } else {
                without.push(took);
                sizes.1 = size_mib(dir.path());
            }
        }
    }
    index_switch(true);
    with.sort();
    without.sort();
    after.sort();
    let (w, wo) = (with[1].as_secs_f64(), without[1].as_secs_f64());
    println!(
        "store {} articles: with the index {w:.2} s, without {wo:.2} s (medians of 3): +{:.2} s, +{:.0}%",
        feeds * items,
        w - wo,
        (w / wo - 1.0) * 100.0
    );
    println!(
        "then the index takes in the rest in {:.2} s (median; the writer's idle time, after the stores)",
        after[1].as_secs_f64()
    );
    println!(
        "cache file after storing them: {:.1} MiB with the index, {:.1} MiB without",
        sizes.0, sizes.1
    );
}

fn main() {
    let quick = std::env::var_os("AKHBAR_BENCH_QUICK").is_some();
    let (write_feeds, search_feeds) = if quick { (100, 200) } else { (500, 1000) };
    let items = 100;
    write_cost(write_feeds, items);

    let dir = tempfile::tempdir().unwrap();
    let _ = fill(dir.path(), search_feeds, items);
    let with = size_mib(dir.path());
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(
        dir.path().join(persist::CACHE_FILE),
        copy.path().join(persist::CACHE_FILE),
    )
    .unwrap();
    {
        let conn = rusqlite::Connection::open(copy.path().join(persist::CACHE_FILE)).unwrap();
        conn.execute_batch("DROP TRIGGER articles_unindex; DROP TABLE search; VACUUM;")
            .unwrap();
    }
    let vacuumed = tempfile::tempdir().unwrap();
    std::fs::copy(
        dir.path().join(persist::CACHE_FILE),
        vacuumed.path().join(persist::CACHE_FILE),
    )
    .unwrap();
    {
        let conn = rusqlite::Connection::open(vacuumed.path().join(persist::CACHE_FILE)).unwrap();
        conn.execute_batch("VACUUM;").unwrap();
    }
    println!(
        "{} articles: cache file {with:.1} MiB as written ({:.1} MiB vacuumed), {:.1} MiB without the index (vacuumed)",
        search_feeds * items,
        size_mib(vacuumed.path()),
        size_mib(copy.path())
    );

    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(20)
        .measurement_time(Duration::from_secs(4));
    searches(&mut c, dir.path());
    text_throughput(&mut c);
    filters(&mut c, search_feeds * items);
    c.final_summary();
}

fn searches(c: &mut Criterion, dir: &Path) {
    let (cache, _) = persist::open(dir).unwrap();
    let latin: Vec<String> = (0..VOCAB).map(|i| word(LATIN, i)).collect();
    let arabic: Vec<String> = (0..VOCAB).map(|i| word(ARABIC, i)).collect();
    let prefix3: String = latin[200].chars().take(3).collect();
    let queries = [
        ("frequent word", latin[0].clone()),
        ("middling word", latin[60].clone()),
        ("rare word", latin[3500].clone()),
        ("two frequent words", format!("{} {}", latin[0], latin[1])),
        ("arabic word with marks", format!("{}\u{0651}", arabic[20])),
        ("three-letter prefix", prefix3),
        (
            "two words, the last a prefix",
            format!(
                "{} {}",
                latin[0],
                latin[100].chars().take(3).collect::<String>()
            ),
        ),
        ("feed-name word", "courier".to_string()),
        (
            "feed-name word and a word",
            format!("courier {}", latin[60]),
        ),
    ];
    let mut group = c.benchmark_group("search 100k (limit 1000)");
    for (name, q) in &queries {
        let found = cache.search(q, 1000).unwrap();
        println!("{name:<24} {q:<14} {:>6} matches", found.total);
        group.bench_with_input(BenchmarkId::from_parameter(name), q, |b, q| {
            b.iter(|| cache.search(q, 1000).unwrap())
        });
    }
    group.finish();
}

fn text_throughput(c: &mut Criterion) {
    let mut corpus = Corpus::new();
    let arabic_body = format!("<p>{}</p>", corpus.text(true, 1500));
    let latin_body = format!("<p>{}</p>", corpus.text(false, 3000));
    let mut group = c.benchmark_group("body text");
    for (name, body) in [("arabic 3 KiB", &arabic_body), ("latin 3 KiB", &latin_body)] {
        group.bench_function(format!("strip {name}"), |b| {
            let mut out = String::new();
            b.iter(|| {
                out.clear();
                akhbar::text::strip::html_text(body, &mut out);
                out.len()
            })
        });
        group.bench_function(format!("parse_html {name}"), |b| {
            b.iter(|| akhbar::text::html::parse_html(body, None).blocks.len())
        });
        group.bench_function(format!("fold {name}"), |b| {
            b.iter(|| fold::fold(body).len())
        });
    }
    group.finish();
}

/// The fields of the 100,000 articles a filter runs over, as the app would hold them.
struct Row {
    title: String,
    folded_title: String,
    author: String,
    feed_title: String,
    feed_url: String,
    tags: Vec<String>,
    unread: bool,
    date: chrono::DateTime<Utc>,
}

fn filters(c: &mut Criterion, n: usize) {
    let mut corpus = Corpus::new();
    let now = Utc::now();
    let rows: Vec<Row> = (0..n)
        .map(|i| {
            let arabic = (i / 100) % 3 == 0;
            let title = corpus.text(arabic, 60 + (i % 61));
            Row {
                folded_title: fold::fold(&title),
                title,
                author: "newsroom".into(),
                feed_title: format!("Feed {}", i / 100),
                feed_url: feed_url(i / 100),
                tags: vec![if arabic { "ar" } else { "en" }.into(), "news".into()],
                unread: i % 10 >= 7,
                date: now - Span::hours((i % 2000) as i64),
            }
        })
        .collect();
    let latin: Vec<String> = (0..VOCAB).map(|i| word(LATIN, i)).collect();
    let exprs = [
        (
            "unread and age",
            "unread = \"yes\" and age between 0:7".to_string(),
        ),
        ("tags contain", "tags # \"ar\"".to_string()),
        ("title regex", format!("title =~ \"{}\"", latin[60])),
        (
            "unread and title regex or author",
            format!(
                "unread = \"yes\" and (title =~ \"^{}\" or author = \"nobody\")",
                latin[3]
            ),
        ),
    ];
    let mut group = c.benchmark_group("filter 100k");
    for (name, expr) in &exprs {
        let filter = Filter::parse(expr).unwrap();
        for folded in [false, true] {
            let label = format!(
                "{name}{}",
                if folded { " (titles folded once)" } else { "" }
            );
            let matched = count(&filter, &rows, folded, now);
            println!("{label:<48} {matched:>6} of {n} match");
            group.bench_function(label, |b| b.iter(|| count(&filter, &rows, folded, now)));
        }
    }
    group.finish();
}

fn count(filter: &Filter, rows: &[Row], folded: bool, now: chrono::DateTime<Utc>) -> usize {
    rows.iter()
        .filter(|r| {
            let mut fields = Fields {
                title: &r.title,
                author: &r.author,
                feed_title: &r.feed_title,
                feed_url: &r.feed_url,
                tags: &r.tags,
                unread: r.unread,
                date: r.date,
                ..Fields::default()
            };
            if folded {
                fields.folded_title = Some(&r.folded_title);
            }
            filter.matches(&fields, now)
        })
        .count()
}
