//! The search in the app (issue 12): `/` asks the cache's index through a `Cmd::Search`, the
//! headline list shows what it found (bodies included), newest first, with the count in the
//! status line; a newer search drops an older answer; without a cache, titles in memory are
//! matched, folded.

use akhbar::app::{AppOptions, Cmd, Msg, SearchProgress};
use akhbar::persist::{self, Change, SearchHit, SearchResults};
use akhbar::runtime::Runtime;
use akhbar::text::BidiMode;
use crossterm::event::KeyCode;

use crate::support::app::{app, app_with, options, send, store, type_str};
use crate::support::builders::code;

const EN_URL: &str = "http://127.0.0.1:1/en.xml";
const AR_URL: &str = "http://127.0.0.1:1/ar.xml";

fn search(app: &mut akhbar::app::App, query: &str) -> Vec<Cmd> {
    let mut cmds = type_str(app, "/");
    cmds.extend(type_str(app, query));
    cmds.extend(send(app, code(KeyCode::Enter)));
    cmds
}

fn searches(cmds: &[Cmd]) -> Vec<(u64, String)> {
    cmds.iter()
        .filter_map(|c| match c {
            Cmd::Search { seq, query } => Some((*seq, query.clone())),
            _ => None,
        })
        .collect()
}

fn titles(app: &akhbar::app::App) -> Vec<String> {
    app.view()
        .iter()
        .map(|&id| app.store().article(id).unwrap().title.clone())
        .collect()
}

fn key_of(app: &akhbar::app::App, title: &str) -> String {
    app.store()
        .order()
        .iter()
        .map(|&id| app.store().article(id).unwrap())
        .find(|a| a.title == title)
        .unwrap()
        .key
        .clone()
}

fn hit(feed_url: &str, key: String) -> SearchHit {
    SearchHit {
        feed_url: feed_url.into(),
        key,
    }
}

#[test]
fn with_a_cache_the_search_asks_the_index_and_lists_what_it_found() {
    let mut app = app_with(AppOptions {
        persistent: true,
        ..options(store(), BidiMode::App)
    });
    let cmds = search(&mut app, "paragraph");
    let asked = searches(&cmds);
    assert_eq!(asked.len(), 1, "{cmds:?}");
    assert_eq!(asked[0].1, "paragraph");
    assert_eq!(app.search_progress(), Some(SearchProgress::Searching));
    // Only bodies have the word, so no title matches while the index is asked.
    assert!(app.view().is_empty());
    let (rust, weather) = (
        key_of(&app, "Rust 1.95 released"),
        key_of(&app, "Weather report"),
    );
    send(
        &mut app,
        Msg::Searched {
            seq: asked[0].0,
            query: "paragraph".into(),
            result: Ok(SearchResults {
                // The index's order is not the list's: the list stays newest first.
                hits: vec![hit(EN_URL, weather), hit(EN_URL, rust)],
                total: 2,
                indexing: None,
            }),
        },
    );
    assert_eq!(titles(&app), ["Rust 1.95 released", "Weather report"]);
    assert_eq!(
        app.search_progress(),
        Some(SearchProgress::Found { total: 2, sent: 2 })
    );
    let status = akhbar::ui::status::summary(&app);
    assert!(status.contains("search: paragraph (2 matches)"), "{status}");
    // Esc clears the search: every article again.
    send(&mut app, code(KeyCode::Esc));
    assert_eq!(app.view().len(), 5);
    assert_eq!(app.search_progress(), None);
}

#[test]
fn articles_the_index_takes_in_later_join_the_applied_search_without_moving_the_selection() {
    let mut app = app_with(AppOptions {
        persistent: true,
        ..options(store(), BidiMode::App)
    });
    let asked = searches(&search(&mut app, "paragraph"));
    let (rust, weather, calm) = (
        key_of(&app, "Rust 1.95 released"),
        key_of(&app, "Weather report"),
        key_of(&app, "Markets calm"),
    );
    let answer = |seq: u64, hits: Vec<SearchHit>| Msg::Searched {
        seq,
        query: "paragraph".into(),
        result: Ok(SearchResults {
            total: hits.len(),
            hits,
            indexing: None,
        }),
    };
    // Asked before the index had the newest article: the older ones are found.
    send(
        &mut app,
        answer(
            asked[0].0,
            vec![hit(EN_URL, weather.clone()), hit(EN_URL, calm.clone())],
        ),
    );
    let before = titles(&app);
    assert_eq!(before.len(), 2, "{before:?}");
    assert!(!before.contains(&"Rust 1.95 released".to_string()));
    // Other cache events ask nothing.
    let saved = send(
        &mut app,
        Msg::Persist(persist::PersistEvent::Saved { changes: 1 }),
    );
    assert!(searches(&saved).is_empty());
    send(&mut app, code(KeyCode::Down));
    assert_eq!(app.headlines().selected(), 1);
    // The index took in more: the same query is asked again; the answer so far stays.
    let again = searches(&send(
        &mut app,
        Msg::Persist(persist::PersistEvent::Indexed),
    ));
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].1, "paragraph");
    assert!(again[0].0 > asked[0].0);
    assert_eq!(titles(&app), before);
    send(
        &mut app,
        answer(
            again[0].0,
            vec![hit(EN_URL, weather), hit(EN_URL, calm), hit(EN_URL, rust)],
        ),
    );
    let after = titles(&app);
    assert_eq!(after.len(), 3, "{after:?}");
    assert_eq!(after[0], "Rust 1.95 released");
    let status = akhbar::ui::status::summary(&app);
    assert!(status.contains("(3 matches)"), "{status}");
    assert_eq!(app.headlines().selected(), 1, "the selection was not reset");
    // Cleared: an index step asks nothing.
    send(&mut app, code(KeyCode::Esc));
    let idle = send(&mut app, Msg::Persist(persist::PersistEvent::Indexed));
    assert!(searches(&idle).is_empty());
}

#[test]
fn an_answer_to_an_older_search_is_dropped() {
    let mut app = app_with(AppOptions {
        persistent: true,
        ..options(store(), BidiMode::App)
    });
    let first = searches(&search(&mut app, "calm"));
    let second = searches(&search(&mut app, "rust"));
    assert!(second[0].0 > first[0].0);
    let calm = key_of(&app, "Markets calm");
    send(
        &mut app,
        Msg::Searched {
            seq: first[0].0,
            query: "calm".into(),
            result: Ok(SearchResults {
                hits: vec![hit(EN_URL, calm)],
                total: 1,
                indexing: None,
            }),
        },
    );
    assert_eq!(app.search_progress(), Some(SearchProgress::Searching));
    // Meanwhile the titles in memory answer for the applied query.
    assert_eq!(titles(&app), ["Rust 1.95 released"]);
}

#[test]
fn a_failed_index_falls_back_to_titles_in_memory_and_says_so() {
    let mut app = app_with(AppOptions {
        persistent: true,
        ..options(store(), BidiMode::App)
    });
    let asked = searches(&search(&mut app, "شركه"));
    send(
        &mut app,
        Msg::Searched {
            seq: asked[0].0,
            query: "شركه".into(),
            result: Err("disk I/O error".into()),
        },
    );
    assert_eq!(app.search_progress(), Some(SearchProgress::InMemory));
    assert!(
        app.status_message().unwrap().contains("disk I/O error"),
        "{:?}",
        app.status_message()
    );
    // No teh marbuta folding by default: "شركه" is not "شركة".
    assert!(app.view().is_empty());
}

#[test]
fn without_a_cache_titles_in_memory_are_matched_folded() {
    let mut app = app();
    // Marks, a Persian kaf and a capital: folded like the index folds.
    let cmds = search(&mut app, "شرکَة apple");
    assert!(searches(&cmds).is_empty(), "no cache, no index: {cmds:?}");
    assert_eq!(titles(&app), ["شركة (Apple) تعلن"]);
    assert_eq!(app.search_progress(), Some(SearchProgress::InMemory));
    let status = akhbar::ui::status::summary(&app);
    assert!(status.contains("(1 match in titles)"), "{status}");
}

#[test]
fn the_runtime_searches_the_cache_off_the_render_loop_and_answers_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = persist::open(dir.path()).unwrap();
    let mut app = app_with(AppOptions {
        persistent: true,
        ..options(store(), BidiMode::App)
    });
    // The cache gets the app's articles, an Arabic body with marks among them.
    let mut articles: Vec<_> = app
        .store()
        .order()
        .iter()
        .map(|&id| app.store().article(id).unwrap().clone())
        .filter(|a| a.feed == crate::support::app::AR)
        .collect();
    articles[1].summary_html = Some("<p>الإصدار <b>يُحَسِّنُ</b> السرعة</p>".into());
    let marked = articles[1].title.clone();
    cache.send(Change::UpsertArticles {
        feed_url: AR_URL.into(),
        articles,
    });
    cache.index_blocking().unwrap();
    let cache = std::sync::Arc::new(cache);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let _enter = rt.enter();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let runtime = Runtime::new(Some(cache), tx);
    let cmds = search(&mut app, "يحسن");
    let rest = runtime.run(cmds);
    assert!(rest.is_empty(), "{rest:?}");
    let answer = rx.blocking_recv().unwrap();
    assert!(matches!(&answer, Msg::Searched { result: Ok(r), .. } if r.total == 1));
    send(&mut app, answer);
    assert_eq!(titles(&app), [marked]);
    drop(runtime);
}
