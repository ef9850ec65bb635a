//! Search in the cache (issue 12): the full-text index is written with the articles, folds
//! Arabic, Persian, Hebrew and Latin text, removes articles with them, is built in the
//! background for an older cache (resuming after a quit), and takes any query without an
//! SQL or FTS error.

use std::path::Path;
use std::time::{Duration, Instant};

use akhbar::model::{Article, ArticleFields, FeedId};
use akhbar::persist::{self, Cache, Change, PersistEvent, SearchHit, StoredFeed};
use akhbar::text::fold::FoldOptions;
use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use rusqlite::Connection;

const AR: &str = "https://ar.example.org/rss.xml";
const EN: &str = "https://en.example.org/atom.xml";

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/persist");

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, day, 12, 0, 0).unwrap()
}

fn article(key: &str, title: &str, body: Option<&str>, day: u32) -> Article {
    Article::from(ArticleFields {
        feed: FeedId(0),
        key: key.into(),
        title: title.into(),
        link: None,
        author: None,
        categories: Vec::new(),
        published: Some(at(day)),
        first_seen: at(day),
        summary_html: body.map(str::to_owned),
        content_html: None,
        language: None,
        read: false,
        starred: false,
        enclosures: Vec::new(),
    })
}

fn store(cache: &Cache, feed_url: &str, articles: Vec<Article>) {
    cache.send(Change::UpsertArticles {
        feed_url: feed_url.into(),
        articles,
    });
    cache.index_blocking().unwrap();
}

fn keys(cache: &Cache, query: &str) -> Vec<String> {
    cache
        .search(query, 100)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.key)
        .collect()
}

/// Articles written for the folding rows: harakat, tatweel, digits, niqqud, Persian letters,
/// Latin diacritics, ZWNJ.
fn corpus(cache: &Cache) {
    store(
        cache,
        AR,
        vec![
            article(
                "harakat",
                "إصدار جديد",
                Some("<p>الإصدار <b>يُحَسِّنُ</b> سرعة الترجمة</p>"),
                1,
            ),
            article("tatweel", "أخبـــار الاقتصـاد", None, 2),
            article(
                "digits",
                "آيفون بسعر ۱۹۹۹ دولار",
                Some("<p>&#1605;&#1578;&#1575;&#1581;</p>"),
                3,
            ),
            article(
                "persian",
                "شرکت اپل",
                Some("<p>می\u{200C}خواهم یک گوشی</p>"),
                4,
            ),
            article("hebrew", "שָׁלוֹם עֲלֵיכֶם", Some("<p>גּוּף הַכַּתָּבָה</p>"), 5),
            article(
                "latin",
                "Café society",
                Some("<p>Ångström &amp; Øresund</p>"),
                6,
            ),
            article("madrasa", "مدرسة جديدة", None, 7),
        ],
    );
}

#[test]
fn an_arabic_word_without_marks_finds_the_article_whose_body_has_it_with_marks() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    corpus(&cache);
    assert_eq!(keys(&cache, "يحسن"), ["harakat"]);
    // The other way round too: a query with marks finds the word without.
    assert_eq!(keys(&cache, "سُرعة"), ["harakat"]);
}

#[test]
fn every_folding_row_is_found_by_its_plain_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    corpus(&cache);
    assert_eq!(keys(&cache, "اخبار الاقتصاد"), ["tatweel"]);
    assert_eq!(keys(&cache, "اصدار"), ["harakat"]);
    assert_eq!(keys(&cache, "1999"), ["digits"]);
    assert_eq!(keys(&cache, "١٩٩٩"), ["digits"]);
    // Character references in the body are decoded before folding: متاح.
    assert_eq!(keys(&cache, "متاح"), ["digits"]);
    assert_eq!(keys(&cache, "شركت"), ["persian"]);
    assert_eq!(keys(&cache, "ميخواهم"), ["persian"]);
    assert_eq!(keys(&cache, "يك"), ["persian"]);
    assert_eq!(keys(&cache, "שלום"), ["hebrew"]);
    assert_eq!(keys(&cache, "הכתבה"), ["hebrew"]);
    assert_eq!(keys(&cache, "cafe"), ["latin"]);
    assert_eq!(keys(&cache, "ANGSTROM"), ["latin"]);
    // Markup is not text: no word of the corpus starts with "p", though every body has <p>.
    assert!(keys(&cache, "p").is_empty());
}

#[test]
fn teh_marbuta_folds_only_with_the_option() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    corpus(&cache);
    assert!(keys(&cache, "مدرسه جديده").is_empty());
    let on = FoldOptions { teh_marbuta: true };
    let found = cache.search_with("مدرسه جديده", 10, on).unwrap();
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.hits[0].key, "madrasa");
}

#[test]
fn new_articles_are_indexed_in_the_writers_idle_time_right_after_their_commit() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    cache.send(Change::UpsertArticles {
        feed_url: EN.into(),
        articles: vec![article("a", "Harbour opens", None, 1)],
    });
    cache.flush_blocking().unwrap();
    let until = Instant::now() + Duration::from_secs(10);
    while keys(&cache, "harbour").is_empty() {
        assert!(Instant::now() < until, "not indexed within 10 s");
        std::thread::sleep(Duration::from_millis(5));
    }
    // A poll's few articles are not reported as an index build.
    assert!(
        !std::iter::from_fn(|| cache.try_event())
            .any(|e| matches!(e, PersistEvent::Indexing { .. }))
    );
}

#[test]
fn words_are_anded_and_the_last_one_is_a_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    store(
        &cache,
        EN,
        vec![
            article("a", "Rust compiler release", None, 1),
            article("b", "Rust conference", None, 2),
            article("c", "Compiler news", None, 3),
        ],
    );
    assert_eq!(keys(&cache, "rust compiler"), ["a"]);
    assert_eq!(keys(&cache, "rust"), ["b", "a"]);
    // As the user types: a prefix of three letters or more...
    assert_eq!(keys(&cache, "rust com"), ["a"]);
    assert_eq!(keys(&cache, "rust con"), ["b"]);
    // ...a shorter one is a whole word.
    assert!(keys(&cache, "rust co").is_empty());
    // A prefix applies to the last word only.
    assert!(keys(&cache, "ru compiler").is_empty());
}

#[test]
fn results_are_newest_first_limited_and_counted_in_all() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    let articles = (1..=20)
        .map(|d| article(&format!("k{d:02}"), "market report", None, d))
        .collect();
    store(&cache, EN, articles);
    let found = cache.search("market", 5).unwrap();
    assert_eq!(found.total, 20);
    let got: Vec<&str> = found.hits.iter().map(|h| h.key.as_str()).collect();
    assert_eq!(got, ["k20", "k19", "k18", "k17", "k16"]);
    assert_eq!(
        found.hits[0],
        SearchHit {
            feed_url: EN.into(),
            key: "k20".into()
        }
    );
    assert_eq!(found.indexing, None);
}

#[test]
fn fts_syntax_in_a_query_is_searched_as_words_never_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    store(
        &cache,
        EN,
        vec![
            article("near", "Stores NEAR the harbour", None, 1),
            article("quote", "He said \"yes\" AND left", None, 2),
        ],
    );
    assert_eq!(keys(&cache, "NEAR"), ["near"]);
    assert_eq!(keys(&cache, "\"yes"), ["quote"]);
    assert_eq!(keys(&cache, "yes\" AND"), ["quote"]);
    for q in [
        "\"",
        "*",
        "NEAR(",
        "a OR",
        "NOT",
        "(",
        ")",
        "^",
        "title:",
        "-x",
        "+",
        "''",
        "\\",
        ";--",
        "' OR 1=1 --",
        "{a b}",
        "a*b",
        "\u{0}",
        "",
    ] {
        assert!(cache.search(q, 10).is_ok(), "{q:?}");
    }
    assert_eq!(cache.search("\" * ( )", 10).unwrap().total, 0);
}

#[test]
fn a_feed_name_finds_every_article_of_the_feed_even_after_a_rename() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    store(
        &cache,
        AR,
        vec![
            article("x", "خبر", None, 1),
            article("y", "اقتصاد", None, 2),
        ],
    );
    store(&cache, EN, vec![article("z", "Harbour news", None, 3)]);
    // The feed's name arrives after its first articles, as on a first fetch.
    cache.send(Change::FeedMeta(StoredFeed {
        url: AR.into(),
        title: Some("صحيفة الواحة".into()),
        ..StoredFeed::default()
    }));
    cache.flush_blocking().unwrap();
    assert_eq!(keys(&cache, "الواحه"), Vec::<String>::new());
    assert_eq!(keys(&cache, "صحيفة"), ["y", "x"]);
    // A feed-name word and an article word together.
    assert_eq!(keys(&cache, "صحيفة اقتصاد"), ["y"]);
    cache.send(Change::FeedMeta(StoredFeed {
        url: AR.into(),
        title: Some("The Oasis Daily".into()),
        ..StoredFeed::default()
    }));
    cache.flush_blocking().unwrap();
    assert!(keys(&cache, "صحيفة").is_empty());
    assert_eq!(keys(&cache, "oasis dai"), ["y", "x"]);
}

#[test]
fn an_updated_article_is_found_by_its_new_words_and_a_kept_body_stays_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    store(
        &cache,
        EN,
        vec![article("a", "Old headline", Some("<p>body words</p>"), 1)],
    );
    // A new title, no body: the stored body is kept, and so are its words.
    store(&cache, EN, vec![article("a", "Fresh headline", None, 1)]);
    assert!(keys(&cache, "old").is_empty());
    assert_eq!(keys(&cache, "fresh"), ["a"]);
    assert_eq!(keys(&cache, "body words"), ["a"]);
    // A new body replaces the old one's words.
    store(
        &cache,
        EN,
        vec![article("a", "Fresh headline", Some("<p>other text</p>"), 1)],
    );
    assert!(keys(&cache, "body").is_empty());
    assert_eq!(keys(&cache, "other"), ["a"]);
    // The same article twice in one batch.
    store(
        &cache,
        EN,
        vec![
            article("b", "first try", None, 2),
            article("b", "second try", None, 2),
        ],
    );
    assert!(keys(&cache, "first").is_empty());
    assert_eq!(keys(&cache, "second"), ["b"]);
    let (_, loaded) = {
        drop(cache);
        persist::open(dir.path()).unwrap()
    };
    assert_eq!(loaded.articles.len(), 2);
}

#[test]
fn retention_and_a_removed_feed_take_their_articles_out_of_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    let old = Utc.with_ymd_and_hms(2001, 1, 1, 0, 0, 0).unwrap();
    let mut ancient = article("old", "ancient harbour", None, 1);
    ancient.published = Some(old);
    ancient.first_seen = old;
    let mut recent = article("new", "recent harbour", None, 1);
    recent.published = Some(Utc::now());
    store(&cache, EN, vec![ancient, recent]);
    let mut arabic = article("ar", "harbour ميناء", None, 1);
    arabic.published = Some(Utc::now());
    store(&cache, AR, vec![arabic]);
    assert_eq!(cache.search("harbour", 10).unwrap().total, 3);
    cache.send(Change::Retain {
        keep_days: 30,
        keep_per_feed: 0,
        still_listed: Vec::new(),
    });
    cache.flush_blocking().unwrap();
    assert_eq!(keys(&cache, "harbour ancient"), Vec::<String>::new());
    assert_eq!(cache.search("harbour", 10).unwrap().total, 2);
    cache.send(Change::RemoveFeed {
        feed_url: AR.into(),
    });
    cache.flush_blocking().unwrap();
    assert_eq!(keys(&cache, "harbour"), ["new"]);
    // A row id freed by retention and used again is indexed afresh.
    store(
        &cache,
        EN,
        vec![article("again", "brand new words", None, 2)],
    );
    assert_eq!(keys(&cache, "brand"), ["again"]);
    assert!(keys(&cache, "ميناء").is_empty());
    // The index itself agrees (no stale rows left behind under a reused id).
    drop(cache);
    let conn = Connection::open(dir.path().join("cache.sqlite")).unwrap();
    let stale: i64 = conn
        .query_row(
            "SELECT count(*) FROM search WHERE search MATCH '\"ancient\"'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stale, 0);
}

/// Polls the cache's events until `done` says so, or 20 s pass.
fn events_until(cache: &Cache, mut done: impl FnMut(&PersistEvent) -> bool) -> Vec<PersistEvent> {
    let until = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    while Instant::now() < until {
        match cache.try_event() {
            Some(e) => {
                let stop = done(&e);
                seen.push(e);
                if stop {
                    return seen;
                }
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    panic!("no such event within 20 s; saw {seen:?}");
}

fn finished(e: &PersistEvent) -> bool {
    matches!(e, PersistEvent::Indexing { done, total } if done == total)
}

fn copy_fixture(name: &str, dir: &Path) {
    std::fs::copy(format!("{FIXTURES}/{name}"), dir.join("cache.sqlite")).unwrap();
}

#[test]
fn a_version_2_cache_gets_its_index_built_in_the_background_with_progress() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture("v2.sqlite", dir.path());
    let (cache, loaded) = persist::open(dir.path()).unwrap();
    assert_eq!(loaded.articles.len(), 3);
    let events = events_until(&cache, finished);
    assert!(matches!(
        events.last(),
        Some(PersistEvent::Indexing { done: 3, total: 3 })
    ));
    assert_eq!(keys(&cache, "הכתבה"), ["he-1"]);
    assert_eq!(keys(&cache, "فارسي"), ["fa-1"]);
    assert_eq!(keys(&cache, "خلاصه"), ["fa-1"]);
    // The feed's stored name is searched too.
    assert_eq!(keys(&cache, "חדשות").len(), 2);
    assert_eq!(cache.search("x", 1).unwrap().indexing, None);
    drop(cache);
    // Built once: a second start has nothing to build.
    let (cache, _) = persist::open(dir.path()).unwrap();
    cache.flush_blocking().unwrap();
    assert!(
        !std::iter::from_fn(|| cache.try_event())
            .any(|e| matches!(e, PersistEvent::Indexing { .. }))
    );
}

#[test]
fn a_version_1_cache_migrates_and_is_indexed() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixture("v1.sqlite", dir.path());
    let (cache, _) = persist::open(dir.path()).unwrap();
    events_until(&cache, finished);
    assert_eq!(keys(&cache, "اسعار النفط"), ["guid-1"]);
    assert_eq!(keys(&cache, "النص الكامل"), ["guid-1"]);
    assert_eq!(keys(&cache, "summary"), ["https://en.example.org/a"]);
}

/// A cache as schema 3 left it: the same tables without the index.
fn version_3_cache(dir: &Path, n: usize) {
    let (cache, _) = persist::open(dir).unwrap();
    let articles = (0..n)
        .map(|i| {
            article(
                &format!("k{i}"),
                &format!("headline {i}"),
                Some("<p>common words</p>"),
                1 + (i % 28) as u32,
            )
        })
        .collect();
    store(&cache, EN, articles);
    drop(cache);
    let conn = Connection::open(dir.join("cache.sqlite")).unwrap();
    conn.execute_batch(
        "DROP TRIGGER articles_unindex; DROP TABLE search; DROP TABLE search_backfill;
         PRAGMA user_version = 3;",
    )
    .unwrap();
}

#[test]
fn the_background_build_resumes_where_a_quit_left_it() {
    let dir = tempfile::tempdir().unwrap();
    version_3_cache(dir.path(), 3000);
    let (cache, _) = persist::open(dir.path()).unwrap();
    let first = events_until(
        &cache,
        |e| matches!(e, PersistEvent::Indexing { done, .. } if *done > 0),
    );
    assert!(matches!(
        first[0],
        PersistEvent::Indexing {
            done: 0,
            total: 3000
        }
    ));
    // While it builds, a search says so.
    let partial = cache.search("common", 10).unwrap();
    drop(cache);
    // Quit half way (the writer stops after the step it is in).
    let (cache, _) = persist::open(dir.path()).unwrap();
    let events = events_until(&cache, finished);
    let PersistEvent::Indexing {
        done: resumed,
        total,
    } = events[0]
    else {
        panic!("{events:?}");
    };
    assert_eq!(total, 3000);
    assert!(resumed > 0 && resumed < 3000, "resumed at {resumed}");
    if let Some((done, total)) = partial.indexing {
        assert!(done < total);
    }
    let found = cache.search("common", 5000).unwrap();
    assert_eq!(found.total, 3000);
    assert_eq!(found.indexing, None);
    assert_eq!(keys(&cache, "headline 2999"), ["k2999"]);
}

#[test]
fn changes_during_the_background_build_are_indexed_once() {
    let dir = tempfile::tempdir().unwrap();
    version_3_cache(dir.path(), 1200);
    let (cache, _) = persist::open(dir.path()).unwrap();
    // An article the build has not reached yet changes, and a new one arrives.
    store(
        &cache,
        EN,
        vec![
            article("k1100", "renamed headline", Some("<p>fresh body</p>"), 1),
            article("brand-new", "brand new", None, 2),
        ],
    );
    events_until(&cache, finished);
    assert_eq!(keys(&cache, "renamed fresh"), ["k1100"]);
    assert!(keys(&cache, "headline 1100").is_empty());
    assert_eq!(keys(&cache, "brand"), ["brand-new"]);
    assert_eq!(cache.search("common", 5000).unwrap().total, 1199);
}

#[test]
fn searching_while_the_writer_writes_never_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    let cache = std::sync::Arc::new(cache);
    let writer = std::sync::Arc::clone(&cache);
    let feeding = std::thread::spawn(move || {
        for batch in 0..20 {
            let articles = (0..200)
                .map(|i| {
                    article(
                        &format!("{batch}-{i}"),
                        "steady stream",
                        Some("<p>of news</p>"),
                        1,
                    )
                })
                .collect();
            writer.send(Change::UpsertArticles {
                feed_url: EN.into(),
                articles,
            });
            writer.flush_blocking().unwrap();
        }
    });
    let mut searcher = cache.searcher();
    let mut last = 0;
    while !feeding.is_finished() {
        let found = searcher.search("steady", 10).unwrap();
        assert!(
            found.total >= last,
            "counts only grow: {} after {last}",
            found.total
        );
        last = found.total;
    }
    feeding.join().unwrap();
    cache.index_blocking().unwrap();
    assert_eq!(searcher.search("stream news", 1).unwrap().total, 4000);
}

#[test]
fn any_query_answers_without_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    store(&cache, EN, vec![article("a", "anything at all", None, 1)]);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(256));
    runner
        .run(&"\\PC{0,30}", |q| {
            let on = FoldOptions { teh_marbuta: true };
            prop_assert!(cache.search(&q, 10).is_ok(), "{:?}", q);
            prop_assert!(cache.search_with(&q, 10, on).is_ok(), "{:?}", q);
            Ok(())
        })
        .unwrap();
}
