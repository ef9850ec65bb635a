//! Cache benchmark: 100,000 articles in 1,000 feeds (sizes as in ../shared/bench: titles of
//! 60-120 characters, HTML bodies of 1-4 KiB, every third feed Arabic). Times the fill, the
//! start-up load (`persist::open`), `count_unread` (print-unread) and a lazy body load.
//!
//! `cargo bench --bench persist [-- FEEDS ITEMS]`

use std::time::{Duration, Instant};

use akhbar::model::{Article, ArticleFields};
use akhbar::persist::{self, Change, StoredFeed};
use chrono::{Duration as Span, Utc};

// The tests' builders with defaults; this bench uses only the article.
#[allow(dead_code)]
#[path = "../tests/it/support/builders.rs"]
mod builders;

const AR: &[&str] = &[
    "الأخبار",
    "اليوم",
    "العالم",
    "الحكومة",
    "الاقتصاد",
    "السوق",
    "النفط",
    "التقنية",
];
const EN: &[&str] = &[
    "news", "today", "world", "market", "energy", "science", "policy", "report",
];

/// A tiny deterministic generator (no dependency, same corpus every run).
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

fn words(rng: &mut Lcg, vocab: &[&str], min_chars: usize) -> String {
    let mut s = String::new();
    while s.chars().count() < min_chars {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(vocab[rng.next(vocab.len() as u64) as usize]);
    }
    s
}

fn feed_url(f: usize) -> String {
    format!("http://127.0.0.1:8700/f{f:05}.xml")
}

fn fill(dir: &std::path::Path, feeds: usize, items: usize) {
    let (cache, _) = persist::open(dir).unwrap();
    let mut rng = Lcg(42);
    let now = Utc::now();
    for f in 0..feeds {
        let vocab = if f % 3 == 0 { AR } else { EN };
        let url = feed_url(f);
        cache.send(Change::FeedMeta(StoredFeed {
            url: url.clone(),
            title: Some(words(&mut rng, vocab, 20)),
            etag: Some(format!("\"{f:x}\"")),
            last_modified: Some("Mon, 01 Jan 2024 00:00:00 GMT".into()),
            next_poll: Some(now + Span::minutes(30)),
            ..StoredFeed::default()
        }));
        let articles = (0..items)
            .map(|k| {
                let title_len = 60 + rng.next(61) as usize;
                let body_len = 1024 + rng.next(3 * 1024) as usize;
                Article::from(ArticleFields {
                    title: words(&mut rng, vocab, title_len),
                    link: Some(format!("{url}/item-{k}")),
                    author: Some("newsroom".into()),
                    categories: vec!["world".into()],
                    published: Some(now - Span::hours(k as i64)),
                    first_seen: now,
                    content_html: Some(format!("<p>{}</p>", words(&mut rng, vocab, body_len / 2))),
                    language: Some(if f % 3 == 0 { "ar" } else { "en" }.into()),
                    // Most of a long-lived cache has been read.
                    read: rng.next(10) < 7,
                    starred: rng.next(100) == 0,
                    ..builders::article(&format!("{}#item-{k}", url)).into_fields()
                })
            })
            .collect();
        cache.send(Change::UpsertArticles {
            feed_url: url,
            articles,
        });
        if f % 50 == 49 {
            cache.flush_blocking().unwrap();
        }
    }
    cache.flush_blocking().unwrap();
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU time of this thread (ns), which other processes on a busy machine do not inflate.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<28} min {:>8.2} ms   median {:>8.2} ms   max {:>8.2} ms   ({} runs)",
        ms(times[0]),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

fn main() {
    // `cargo bench` passes `--bench`; numbers after it are FEEDS ITEMS.
    let nums: Vec<usize> = std::env::args().filter_map(|a| a.parse().ok()).collect();
    let feeds = nums.first().copied().unwrap_or(1000);
    let items = nums.get(1).copied().unwrap_or(100);
    // AKHBAR_BENCH_DIR keeps the filled cache between runs (e.g. for profiling the load).
    let kept = std::env::var_os("AKHBAR_BENCH_DIR").map(std::path::PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let dir_path = kept.unwrap_or_else(|| temp.path().to_path_buf());
    let dir = dir_path.as_path();
    let start = Instant::now();
    if !dir.join(persist::CACHE_FILE).exists() {
        fill(dir, feeds, items);
    }
    let size = std::fs::metadata(dir.join(persist::CACHE_FILE)).map_or(0, |m| m.len());
    println!(
        "fill: {} articles in {feeds} feeds in {:.2} s, cache file {:.1} MiB",
        feeds * items,
        start.elapsed().as_secs_f64(),
        size as f64 / (1024.0 * 1024.0)
    );

    let mut opens = Vec::new();
    let mut open_cpu = Vec::new();
    let mut rss = None;
    for _ in 0..7 {
        let before = rss_kib();
        let t = Instant::now();
        let cpu = thread_cpu();
        let (cache, loaded) = persist::open(dir).unwrap();
        opens.push(t.elapsed());
        open_cpu.push(thread_cpu() - cpu);
        // The first load shows the real growth; later ones reuse freed memory.
        rss.get_or_insert((before, rss_kib()));
        assert_eq!(loaded.articles.len(), feeds * items);
        drop(loaded);
        drop(cache);
    }
    // The first is what a user sees: a fresh process, no memory to reuse.
    println!(
        "first open in this process      {:>8.2} ms",
        opens[0].as_secs_f64() * 1000.0
    );
    report("open (load, no bodies)", opens);
    report("open, CPU time", open_cpu);
    let (before, after) = rss.unwrap_or_default();
    println!(
        "resident memory growth of the first load: +{:.1} MiB",
        after.saturating_sub(before) as f64 / 1024.0
    );

    let mut counts = Vec::new();
    let mut unread = 0;
    let mut count_cpu = Vec::new();
    for _ in 0..21 {
        let t = Instant::now();
        let cpu = thread_cpu();
        unread = persist::count_unread(dir).unwrap();
        counts.push(t.elapsed());
        count_cpu.push(thread_cpu() - cpu);
    }
    report("count_unread", counts);
    report("count_unread, CPU time", count_cpu);
    println!("unread: {unread}");

    let (cache, _) = persist::open(dir).unwrap();
    let mut bodies = Vec::new();
    let mut rng = Lcg(7);
    for _ in 0..200 {
        let f = rng.next(feeds as u64) as usize;
        let k = rng.next(items as u64);
        let url = feed_url(f);
        let t = Instant::now();
        let body = cache.load_body(&url, &format!("{url}#item-{k}"));
        bodies.push(t.elapsed());
        assert!(body.is_some_and(|(_, c)| c.is_some()));
    }
    report("load_body", bodies);
}
