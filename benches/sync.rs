//! Sync speed against the real TT-RSS of tests/harness/ttrss.sh (issue 13): a first sync of
//! 10,000 articles with content, and a refresh with nothing new, in wall time and akhbar's
//! own CPU time (this process, all threads). The target: akhbar's CPU under 10% of the wall
//! time, the rest being the server.
//!
//! ```sh
//! eval "$(tests/harness/ttrss.sh up | sed 's/^/export /')"
//! cargo bench --bench sync            # RUNS=5 ARTICLES=10000 to change
//! ```
//! The first run subscribes the harness's bench user to feeds of 1,000 items each until it
//! has ARTICLES (once per harness; it takes a minute): the numbers are for a sync of that
//! user, whose articles are only the bench's.

use std::time::{Duration, Instant};

use akhbar::feed::PollOptions;
use akhbar::sync::{RemoteArticle, Secret, TtRss};

const PER_FEED: usize = 1000;

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// CPU time of this process so far (user + system, every thread), from /proc/self/stat.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) in parentheses.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of stat(5), i.e. 11 and 12 after the name.
    let total = ticks(11) + ticks(12);
    Duration::from_millis(total * 10) // USER_HZ is 100 on Linux
}

fn feed_xml(base: &str, name: &str) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Bench {name}</title><link>{base}{name}/</link><description>bench</description>\n"
    );
    let body = "<p>هذا نص عربي للاختبار مع English words و أرقام 2026.</p>".repeat(8);
    for i in 0..PER_FEED {
        xml.push_str(&format!(
            "<item><title>خبر {i} من {name}</title><link>{base}{name}/{i}.html</link>\
             <guid isPermaLink=\"false\">{name}-{i}</guid>\
             <pubDate>Mon, 01 Jan 2024 {:02}:{:02}:00 +0000</pubDate>\
             <description><![CDATA[{body}]]></description></item>\n",
            (i / 60) % 24,
            i % 60
        ));
    }
    xml.push_str("</channel></rss>\n");
    xml
}

async fn count(c: &TtRss) -> usize {
    let mut n = 0;
    c.articles_since(None, &mut |page: Vec<RemoteArticle>| n += page.len())
        .await
        .expect("articles");
    n
}

/// Subscribes the bench user to new 1,000-item feeds until it has `want` articles.
async fn fill(c: &TtRss, want: usize, dir: &str, base: &str) -> usize {
    let mut have = count(c).await;
    while have < want {
        let name = format!(
            "bench-{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        std::fs::write(format!("{dir}/{name}.xml"), feed_xml(base, &name)).expect("write a feed");
        let url = format!("{base}{name}.xml");
        let feed = match c.subscribe(&url, None).await.expect("subscribe") {
            akhbar::sync::Subscribed::New(id) | akhbar::sync::Subscribed::Already(id) => id,
            other => panic!("{other:?}"),
        };
        let t = Instant::now();
        c.refresh_feed(feed).await.expect("refresh");
        have = count(c).await;
        eprintln!(
            "filled: {have} articles ({:.1} s for the server to fetch 1,000)",
            t.elapsed().as_secs_f64()
        );
    }
    have
}

struct Sample {
    wall: Duration,
    cpu: Duration,
    articles: usize,
    bytes: usize,
    requests: usize,
}

/// A whole sync as the app will do it: feeds, then articles since `since`, then the unread
/// and starred lists (the API has no "changed since", so those are full every time).
async fn sync_once(
    c: &TtRss,
    since: Option<akhbar::sync::ArticleId>,
) -> (Sample, Option<akhbar::sync::ArticleId>) {
    let (t, cpu) = (Instant::now(), cpu_time());
    let mut bytes = 0;
    c.feeds().await.expect("feeds");
    let summary = c
        .articles_since(since, &mut |page: Vec<RemoteArticle>| {
            bytes += page
                .iter()
                .map(|a| a.content_html.as_ref().map_or(0, String::len))
                .sum::<usize>();
        })
        .await
        .expect("articles");
    let unread = c.unread_ids().await.expect("unread");
    let starred = c.starred_ids().await.expect("starred");
    std::hint::black_box((unread.len(), starred.len()));
    let sample = Sample {
        wall: t.elapsed(),
        cpu: cpu_time().saturating_sub(cpu),
        articles: summary.articles,
        bytes,
        requests: summary.requests,
    };
    (sample, summary.newest)
}

fn report(name: &str, mut samples: Vec<Sample>) {
    samples.sort_by_key(|s| s.wall);
    let m = &samples[samples.len() / 2];
    let pct = 100.0 * m.cpu.as_secs_f64() / m.wall.as_secs_f64().max(1e-9);
    println!(
        "{name}: median of {} runs: wall {:.2} s, akhbar CPU {:.2} s ({pct:.1}% of wall); \
         {} articles, {:.1} MB of content, {} article requests (wall min {:.2} s, max {:.2} s)",
        samples.len(),
        m.wall.as_secs_f64(),
        m.cpu.as_secs_f64(),
        m.articles,
        m.bytes as f64 / 1e6,
        m.requests,
        samples[0].wall.as_secs_f64(),
        samples[samples.len() - 1].wall.as_secs_f64(),
    );
}

fn main() {
    // `cargo bench` passes --bench; nothing to filter here.
    let (Some(url), Some(user), Some(password), Some(dir), Some(base)) = (
        var("AKHBAR_TTRSS_URL"),
        var("AKHBAR_TTRSS_BENCH_USER"),
        var("AKHBAR_TTRSS_BENCH_PASSWORD"),
        var("AKHBAR_TTRSS_FEED_DIR"),
        var("AKHBAR_TTRSS_FEED_URL"),
    ) else {
        eprintln!("sync bench: AKHBAR_TTRSS_* not set; start tests/harness/ttrss.sh up first");
        return;
    };
    let runs: usize = var("RUNS").and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    let want: usize = var("ARTICLES")
        .and_then(|r| r.parse().ok())
        .unwrap_or(10_000);
    let opts = PollOptions {
        timeout: Duration::from_secs(300),
        ..PollOptions::default()
    };
    // One thread, as the app's sync task would mostly be: its CPU is what is measured.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let c = TtRss::new(&url, &user, Secret::new(password.clone()), &opts).expect("client");
        c.login().await.expect("login");
        let have = fill(&c, want, &dir, &base).await;
        eprintln!("bench user has {have} articles");
        let mut first = Vec::new();
        let mut newest = None;
        for _ in 0..runs {
            let fresh =
                TtRss::new(&url, &user, Secret::new(password.clone()), &opts).expect("client");
            let (s, n) = sync_once(&fresh, None).await;
            newest = n;
            first.push(s);
        }
        report("first sync", first);
        let mut again = Vec::new();
        for _ in 0..runs {
            again.push(sync_once(&c, newest).await.0);
        }
        report("refresh, nothing new", again);
    });
}
