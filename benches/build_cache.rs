//! The cost curve's cache builder and query timer (issue 15), run by `benches/cost_curve.sh`.
//!
//! `build DIR ARTICLES FEEDS PORT`: writes DIR/data/cache.sqlite through akhbar's own cache
//! writer (`persist::open`, `Change`, the search index included: the cache is what akhbar
//! writes) with ARTICLES articles spread over FEEDS feeds, and DIR/bench.toml listing those
//! feeds at http://127.0.0.1:PORT/fNNNNN.xml. Every feed is stored with an ETag and
//! Last-Modified, so a server that answers 304 gives a warm refresh. Titles of 60-120
//! characters and HTML bodies of 1-3 KiB, every third feed Arabic (with harakat on some
//! words), words drawn with a Zipf-like skew from everyday words and a long tail of made-up
//! ones; 70% of the articles read, 1% starred; dates one hour apart, newest first.
//!
//! `query DIR`: opens the cache as the headless commands do (every article, no bodies) and
//! times a few searches through the index and filters over every article, printing one
//! `name: median ms (min-max), result` line each.
//!
//! `cargo build --release --bench build_cache`, then
//! `target/release/deps/build_cache-* build /tmp/c 100000 1000 8794` (the script finds it).

use std::path::Path;
use std::time::{Duration, Instant};

use akhbar::filter::{Fields, Filter};
use akhbar::model::{Article, ArticleFields, FeedId};
use akhbar::persist::{self, Change, StoredFeed};
use chrono::{Duration as Span, Utc};

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

const EN: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "government",
    "market",
    "energy",
    "minister",
    "report",
    "election",
    "talks",
    "prices",
    "oil",
    "climate",
    "court",
    "police",
    "city",
    "health",
    "school",
    "football",
    "league",
    "bank",
    "rates",
    "inflation",
    "storm",
    "border",
    "summit",
    "science",
    "study",
    "space",
    "company",
    "shares",
    "workers",
    "strike",
    "budget",
    "vote",
    "president",
    "parliament",
    "war",
    "peace",
    "deal",
    "trade",
    "water",
    "food",
    "farmers",
    "festival",
    "music",
    "film",
    "museum",
    "railway",
    "airport",
    "flood",
    "fire",
    "record",
];
const AR: &[&str] = &[
    "في",
    "من",
    "على",
    "إلى",
    "الحكومة",
    "السوق",
    "الطاقة",
    "الوزير",
    "تقرير",
    "الانتخابات",
    "محادثات",
    "الأسعار",
    "النفط",
    "المناخ",
    "المحكمة",
    "الشرطة",
    "المدينة",
    "الصحة",
    "المدرسة",
    "كرة",
    "الدوري",
    "البنك",
    "الفائدة",
    "التضخم",
    "العاصفة",
    "الحدود",
    "القمة",
    "العلوم",
    "دراسة",
    "الفضاء",
    "الشركة",
    "الأسهم",
    "العمال",
    "إضراب",
    "الميزانية",
    "التصويت",
    "الرئيس",
    "البرلمان",
    "الحرب",
    "السلام",
    "اتفاق",
    "التجارة",
    "المياه",
    "الغذاء",
    "المزارعين",
    "مهرجان",
    "الموسيقى",
    "فيلم",
    "المتحف",
    "القطار",
    "المطار",
];
const LATIN_SYL: &[&str] = &[
    "ka", "lo", "mi", "ra", "te", "su", "no", "vi", "de", "ba", "zo", "pe", "ri", "ta", "ne",
];
const ARABIC_SYL: &[&str] = &[
    "كا", "لو", "مي", "را", "تي", "سو", "نو", "في", "دي", "با", "زو", "بي", "ري", "طا", "ني",
];
/// Made-up words after the everyday ones: the index's long tail.
const TAIL: usize = 20_000;

fn made_up(syllables: &[&str], i: usize) -> String {
    let mut n = i + 1;
    let mut w = String::new();
    while n > 0 {
        w.push_str(syllables[n % syllables.len()]);
        n /= syllables.len();
    }
    w
}

struct Corpus {
    en: Vec<String>,
    ar: Vec<String>,
    rng: Lcg,
}

impl Corpus {
    fn new() -> Corpus {
        let vocab = |real: &[&str], syl: &[&str]| {
            real.iter()
                .map(|w| (*w).to_string())
                .chain((0..TAIL).map(|i| made_up(syl, i)))
                .collect()
        };
        Corpus {
            en: vocab(EN, LATIN_SYL),
            ar: vocab(AR, ARABIC_SYL),
            rng: Lcg(42),
        }
    }

    /// A Zipf-like pick: word i with probability about 1/(i+1).
    fn pick(&mut self, n: usize) -> usize {
        let u = (self.rng.next(1 << 20) as f64 + 1.0) / f64::from(1 << 20);
        (((n as f64 + 1.0).powf(u) - 1.0) as usize).min(n - 1)
    }

    /// About `bytes` bytes of words.
    fn text(&mut self, arabic: bool, bytes: usize) -> String {
        let mut s = String::with_capacity(bytes + 32);
        while s.len() < bytes {
            if !s.is_empty() {
                s.push(' ');
            }
            let vocab = if arabic { &self.ar } else { &self.en };
            let i = self.pick(vocab.len());
            let vocab = if arabic { &self.ar } else { &self.en };
            s.push_str(&vocab[i]);
            if arabic && self.rng.next(4) == 0 {
                s.push_str("\u{0651}\u{064E}");
            }
        }
        s
    }

    /// An HTML body of about `bytes` bytes, in paragraphs.
    fn body(&mut self, arabic: bool, bytes: usize) -> String {
        let mut html = String::with_capacity(bytes + 64);
        while html.len() < bytes {
            let para = 200 + self.rng.next(400) as usize;
            html.push_str("<p>");
            html.push_str(&self.text(arabic, para.min(bytes.saturating_sub(html.len()) + 20)));
            html.push_str("</p>");
        }
        html
    }
}

fn feed_url(port: u16, f: usize) -> String {
    format!("http://127.0.0.1:{port}/f{f:05}.xml")
}

fn build(dir: &Path, articles: usize, feeds: usize, port: u16) {
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let start = Instant::now();
    let (cache, _) = persist::open(&data).unwrap();
    let mut corpus = Corpus::new();
    let now = Utc::now();
    let mut config = String::from("refresh_interval = \"15m\"\n");
    let mut sent = 0;
    for f in 0..feeds {
        let arabic = f % 3 == 0;
        let url = feed_url(port, f);
        config.push_str(&format!("[[feed]]\nurl = \"{url}\"\n"));
        // Articles spread evenly: the first feeds take the remainder.
        let items = articles / feeds + usize::from(f < articles % feeds);
        cache.send(Change::FeedMeta(StoredFeed {
            url: url.clone(),
            title: Some(if arabic {
                format!("صحيفة {f}")
            } else {
                format!("Daily {f}")
            }),
            etag: Some(format!("\"bench-{f:05}\"")),
            last_modified: Some("Mon, 01 Jan 2024 00:00:00 GMT".into()),
            next_poll: Some(now + Span::minutes(30)),
            last_fetch: Some(now),
            ..StoredFeed::default()
        }));
        // In batches of 100, as a feed's fetch would bring them.
        let mut k = 0;
        while k < items {
            let batch: Vec<Article> = (k..items.min(k + 100))
                .map(|k| {
                    let title_len = 60 + corpus.rng.next(61) as usize;
                    let body_len = 1024 + corpus.rng.next(2 * 1024) as usize;
                    Article::from(ArticleFields {
                        feed: FeedId(0),
                        key: format!("{url}#item-{k}"),
                        // Arabic letters are 2 bytes: as many characters as an English title.
                        title: corpus.text(arabic, if arabic { title_len * 2 } else { title_len }),
                        link: Some(format!("http://127.0.0.1:{port}/f{f:05}/item-{k}")),
                        author: Some("newsroom".into()),
                        categories: vec![if arabic { "عالم" } else { "world" }.into()],
                        published: Some(now - Span::hours(k as i64)),
                        first_seen: now,
                        summary_html: None,
                        content_html: Some(corpus.body(arabic, body_len)),
                        language: Some(if arabic { "ar" } else { "en" }.into()),
                        read: corpus.rng.next(10) < 7,
                        starred: corpus.rng.next(100) == 0,
                        enclosures: Vec::new(),
                    })
                })
                .collect();
            sent += batch.len();
            k += batch.len();
            cache.send(Change::UpsertArticles {
                feed_url: url.clone(),
                articles: batch,
            });
            // As `akhbar refresh` does: wait for the writer every 2,000 articles or so (the
            // queue stays short, so memory stays flat).
            if sent % 2000 < 100 {
                cache.flush_blocking().unwrap();
            }
        }
    }
    cache.flush_blocking().unwrap();
    let stored = start.elapsed();
    cache.index_blocking().unwrap();
    drop(cache);
    std::fs::write(dir.join("bench.toml"), config).unwrap();
    let size = std::fs::metadata(data.join(persist::CACHE_FILE)).map_or(0, |m| m.len());
    println!(
        "built {sent} articles in {feeds} feeds: stored in {:.1} s, indexed by {:.1} s, cache file {:.1} MiB",
        stored.as_secs_f64(),
        start.elapsed().as_secs_f64(),
        size as f64 / (1024.0 * 1024.0)
    );
}

fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    times.sort();
    (
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        last.unwrap(),
    )
}

fn line(name: &str, (median, min, max): (Duration, Duration, Duration), result: &str) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name}: {:.2} ms ({:.2}-{:.2}), {result}",
        ms(median),
        ms(min),
        ms(max)
    );
}

fn query(dir: &Path) {
    let data = dir.join("data");
    let t = Instant::now();
    let (cache, loaded) = persist::open(&data).unwrap();
    let open = t.elapsed();
    let n = loaded.articles.len();
    line(
        "open (all articles, no bodies)",
        (open, open, open),
        &format!("{n} articles"),
    );
    let corpus = Corpus::new();
    let queries = [
        ("search, frequent word", corpus.en[5].clone()),
        ("search, rare word", corpus.en[EN.len() + 15_000].clone()),
        ("search, arabic word", corpus.ar[6].clone()),
        (
            "search, two words",
            format!("{} {}", corpus.en[7], corpus.en[8]),
        ),
        (
            "search, three-letter prefix",
            corpus.en[EN.len() + 300].chars().take(3).collect(),
        ),
    ];
    for (name, q) in &queries {
        let (m, lo, hi, found) = timed(5, || cache.search(q, 1000).unwrap());
        line(
            &format!("{name} \"{q}\""),
            (m, lo, hi),
            &format!("{} matches", found.total),
        );
    }

    // The filter over every article, with the fields the app holds (no bodies).
    let titles: std::collections::HashMap<&str, &str> = loaded
        .feeds
        .iter()
        .map(|f| (f.url.as_str(), f.title.as_deref().unwrap_or("")))
        .collect();
    let tags: Vec<String> = vec!["news".into()];
    let now = Utc::now();
    let exprs = [
        (
            "filter, unread and age",
            "unread = \"yes\" and age between 0:7".to_string(),
        ),
        (
            "filter, title regex",
            format!("title =~ \"{}\"", corpus.en[12]),
        ),
        (
            "filter, feed title",
            "feedtitle =~ \"^Daily 1\"".to_string(),
        ),
    ];
    for (name, expr) in &exprs {
        let filter = Filter::parse(expr).unwrap();
        let (m, lo, hi, matched) = timed(5, || {
            loaded
                .articles
                .iter()
                .filter(|(url, a)| {
                    let fields = Fields {
                        title: a.title(),
                        author: a.author().unwrap_or(""),
                        link: a.link().unwrap_or(""),
                        feed_title: titles.get(url.as_str()).copied().unwrap_or(""),
                        feed_url: url,
                        key: a.key(),
                        tags: &tags,
                        unread: !a.read,
                        starred: a.starred,
                        date: a.published.unwrap_or(a.first_seen),
                        ..Fields::default()
                    };
                    filter.matches(&fields, now)
                })
                .count()
        });
        line(
            &format!("{name} ({expr})"),
            (m, lo, hi),
            &format!("{matched} of {n}"),
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`: without a mode there is nothing to do.
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["build", dir, n, feeds, port] => build(
            Path::new(dir),
            n.parse().expect("ARTICLES"),
            feeds.parse().expect("FEEDS"),
            port.parse().expect("PORT"),
        ),
        ["query", dir] => query(Path::new(dir)),
        _ => eprintln!(
            "usage: build_cache build DIR ARTICLES FEEDS PORT | build_cache query DIR (see benches/cost_curve.sh)"
        ),
    }
}
