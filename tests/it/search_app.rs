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
use crate::support::builders::{code, key};

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
        .map(|&id| app.store().article(id).unwrap().title().to_owned())
        .collect()
}

fn key_of(app: &akhbar::app::App, title: &str) -> String {
    app.store()
        .order()
        .iter()
        .map(|&id| app.store().article(id).unwrap())
        .find(|a| a.title() == title)
        .unwrap()
        .key()
        .to_owned()
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
    articles[1].set_bodies(Some("<p>الإصدار <b>يُحَسِّنُ</b> السرعة</p>".into()), None);
    let marked = articles[1].title().to_owned();
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

/// A store of one Arabic feed whose article "خبر" has `body`, and an English one.
fn marked_store(body: &str) -> akhbar::store::Store {
    use akhbar::model::{Direction, ParsedFeed};
    let mut s = akhbar::store::Store::new();
    let ar = s.add_feed(AR_URL, Some("أخبار"), vec![], Direction::Auto);
    s.ingest(
        ar,
        ParsedFeed {
            language: Some("ar".into()),
            ..crate::support::builders::parsed_feed(vec![
                crate::support::app::item("a1", "خبر", 9, None, body),
                crate::support::app::item("a2", "آخر", 8, None, "<p>لا شيء</p>"),
            ])
        },
        chrono::Utc::now(),
    );
    s
}

/// The graphemes of the laid-out lines drawn in the search-match style, folded, each line's
/// run in logical order (`reversed`: the line was reordered right to left).
fn highlighted(lines: &[akhbar::view::ReaderLine], reversed: bool) -> (usize, Vec<String>) {
    let style = akhbar::view::theme::search_match();
    let mut cells = 0;
    let mut words = Vec::new();
    for l in lines {
        let run: String = l
            .line
            .cells()
            .filter(|(_, _, s)| *s == style)
            .map(|(g, _, _)| {
                cells += 1;
                g.to_string()
            })
            .collect();
        if !run.is_empty() {
            let run = akhbar::text::fold::fold(&run);
            words.push(if reversed {
                run.chars().rev().collect()
            } else {
                run
            });
        }
        assert_eq!(l.matched, l.line.cells().any(|(_, _, s)| s == style));
    }
    (cells, words)
}

#[test]
fn the_reader_highlights_a_word_with_harakat_found_by_a_bare_query_in_every_bidi_mode() {
    let store = marked_store("<p>قال إن الإصدار <b>يُحَسِّنُ</b> سرعة الترجمة كثيرا</p>");
    let id = store.order()[0];
    let a = store.article(id).unwrap();
    for (mode, reversed) in [
        (BidiMode::App, true),
        (BidiMode::Terminal, false),
        (BidiMode::Off, false),
    ] {
        for shaping in [true, false] {
            let opts = akhbar::text::TextOptions {
                mode,
                shaping: shaping && mode == BidiMode::App,
            };
            for width in [60, 14, 7] {
                let lines = akhbar::view::layout_article_marked(
                    a,
                    store.feed(a.feed),
                    width,
                    &opts,
                    akhbar::clock::Zone::UTC,
                    Some("يحسن"),
                );
                // Four letters, four cells: the marks ride on their letters' cells.
                let (cells, words) = highlighted(&lines, reversed);
                assert_eq!(cells, 4, "{mode:?} shaping {shaping} width {width}");
                assert_eq!(words, ["يحسن"], "{mode:?} shaping {shaping} width {width}");
                let plain = akhbar::view::layout_article(
                    a,
                    store.feed(a.feed),
                    width,
                    &opts,
                    akhbar::clock::Zone::UTC,
                );
                assert_eq!(highlighted(&plain, reversed).0, 0);
            }
        }
    }
}

#[test]
fn a_latin_word_in_an_rtl_paragraph_is_highlighted_on_its_own_cells() {
    let store = marked_store("<p>أعلنت شركة Apple عن هاتف جديد</p>");
    let a = store.article(store.order()[0]).unwrap();
    for mode in [BidiMode::App, BidiMode::Terminal, BidiMode::Off] {
        let opts = opts_of(mode);
        let lines = akhbar::view::layout_article_marked(
            a,
            store.feed(a.feed),
            40,
            &opts,
            akhbar::clock::Zone::UTC,
            Some("APPLE"),
        );
        // The Latin run keeps its left-to-right order in every mode.
        assert_eq!(highlighted(&lines, false), (5, vec!["apple".to_string()]));
    }
}

fn opts_of(mode: BidiMode) -> akhbar::text::TextOptions {
    crate::support::builders::bidi(mode).text_options()
}

/// A cached app over `store` in `mode` that searched `query` and got the first article back
/// from the index; the headline cursor on it.
fn found(store: akhbar::store::Store, mode: BidiMode, query: &str) -> akhbar::app::App {
    let key = store.article(store.order()[0]).unwrap().key().to_owned();
    let mut app = app_with(AppOptions {
        persistent: true,
        ..options(store, mode)
    });
    let asked = searches(&search(&mut app, query));
    send(
        &mut app,
        Msg::Searched {
            seq: asked[0].0,
            query: query.into(),
            result: Ok(SearchResults {
                hits: vec![hit(AR_URL, key)],
                total: 1,
                indexing: None,
            }),
        },
    );
    assert_eq!(titles(&app), ["خبر"]);
    app
}

#[test]
fn an_article_opened_from_the_results_shows_the_matches_and_n_moves_between_them() {
    // Three paragraphs with the word, far apart, on a short screen.
    let filler = "<p>سطر</p>".repeat(12);
    let body = format!("<p>الإصدار يُحَسِّنُ</p>{filler}<p>ثم يحسن مرة</p>{filler}<p>وأخيرا يُحسِّن</p>");
    let mut app = found(marked_store(&body), BidiMode::App, "يحسن");
    crate::support::app::resize(&mut app, 80, 12);
    send(&mut app, code(KeyCode::Enter));
    let lines = app.reader().unwrap().lines.clone();
    let rows: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].matched).collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    let page = app.geometry().page_rows();
    let shows = |app: &akhbar::app::App, row: usize| {
        let s = app.reader().unwrap().scroll;
        s <= row && row < s + page
    };
    // The first match is on the first screen: `n` stays on it.
    send(&mut app, key('n'));
    assert!(shows(&app, rows[0]));
    assert_eq!(app.status_message(), Some("match 1 of 3"));
    send(&mut app, key('n'));
    assert!(shows(&app, rows[1]) && !shows(&app, rows[0]));
    assert_eq!(app.status_message(), Some("match 2 of 3"));
    send(&mut app, key('n'));
    assert!(shows(&app, rows[2]));
    // Past the last: back to the first, and said so.
    send(&mut app, key('n'));
    assert!(shows(&app, rows[0]));
    assert_eq!(app.status_message(), Some("match 1 of 3: back at the top"));
    send(&mut app, key('N'));
    assert!(shows(&app, rows[2]));
    assert_eq!(
        app.status_message(),
        Some("match 3 of 3: back at the bottom")
    );
    send(&mut app, key('N'));
    assert!(shows(&app, rows[1]));
    // The reader stays on the same article all along.
    assert_eq!(app.reader().unwrap().lines.len(), lines.len());
}

#[test]
fn n_says_so_when_the_article_has_no_match_and_without_a_search_goes_to_the_next_unread() {
    // The index found it (say, by a word its cached body had): nothing here matches.
    let mut app = found(marked_store("<p>لا شيء هنا</p>"), BidiMode::App, "سلام");
    send(&mut app, code(KeyCode::Enter));
    let open = app.reader().unwrap().article;
    assert!(app.reader().unwrap().lines.iter().all(|l| !l.matched));
    send(&mut app, key('n'));
    assert_eq!(app.status_message(), Some("no match in this article"));
    assert_eq!(app.reader().unwrap().article, open);
    // Without a search `n` is the next unread article, as before.
    let mut plain = app_with(options(marked_store("<p>x</p>"), BidiMode::App));
    send(&mut plain, code(KeyCode::Enter));
    let first = plain.reader().unwrap().article;
    send(&mut plain, key('n'));
    assert_ne!(plain.reader().unwrap().article, first);
}

#[test]
fn a_match_in_the_title_is_highlighted_there_too_and_n_finds_it() {
    let store = marked_store("<p>لا شيء هنا</p>");
    let a = store.article(store.order()[0]).unwrap();
    let style = akhbar::view::theme::search_match();
    let lines = akhbar::view::layout_article_marked(
        a,
        store.feed(a.feed),
        40,
        &opts_of(BidiMode::App),
        akhbar::clock::Zone::UTC,
        Some("خبر"),
    );
    assert!(lines[0].matched);
    let title_cells = lines[0]
        .line
        .cells()
        .filter(|(_, _, s)| *s == style)
        .count();
    assert_eq!(title_cells, 3, "{:?}", lines[0].line.text());
    assert_eq!(lines.iter().filter(|l| l.matched).count(), 1);
    // The rest of the title keeps the title's style.
    let plain = akhbar::view::layout_article(
        a,
        store.feed(a.feed),
        40,
        &opts_of(BidiMode::App),
        akhbar::clock::Zone::UTC,
    );
    assert_eq!(plain[0].line.text(), lines[0].line.text());
    let mut app = found(marked_store("<p>لا شيء هنا</p>"), BidiMode::App, "خبر");
    send(&mut app, code(KeyCode::Enter));
    send(&mut app, key('n'));
    assert_eq!(app.status_message(), Some("match 1 of 1"));
}
