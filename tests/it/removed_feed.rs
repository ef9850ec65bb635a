//! Issue 10 item 14: the starred articles of a feed taken out of the config disappeared from
//! ★ Starred. They stay there (and in the cache, so in `export-state`), whichever way the
//! cache is read at start; the feed's other articles do not come back.

use std::path::Path;

use akhbar::persist::{self, Change};
use akhbar::runtime::session;
use akhbar::text::BidiMode;

use akhbar::app::Msg;

use crate::support::app::{send, test_clock};
use crate::support::builders::{article, bidi};

const KEPT: &str = "https://kept.example/feed.xml";
const REMOVED: &str = "https://removed.example/feed.xml";

fn cache(dir: &Path) {
    let (cache, _) = persist::open(dir).unwrap();
    for (url, prefix) in [(KEPT, "k"), (REMOVED, "r")] {
        let mut starred = article(&format!("{prefix}-starred"));
        starred.starred = true;
        cache.send(Change::UpsertArticles {
            feed_url: url.into(),
            articles: vec![starred, article(&format!("{prefix}-plain"))],
        });
    }
    cache.flush_blocking().unwrap();
}

fn open(dir: &Path, first: Option<usize>) -> session::Session {
    let path = dir.join("config.toml");
    let config =
        akhbar::config::Config::parse(&path, &format!("[[feed]]\nurl = \"{KEPT}\"\n")).unwrap();
    match session::open(&config, bidi(BidiMode::App), test_clock(), Some(dir), first) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

fn keys(s: &session::Session) -> Vec<String> {
    let store = s.app.store();
    let mut keys: Vec<String> = store
        .order()
        .iter()
        .filter_map(|&id| store.article(id))
        .map(|a| a.key().to_owned())
        .collect();
    keys.sort();
    keys
}

#[test]
fn starred_articles_of_a_removed_feed_stay_starred_and_survive_retention() {
    for first in [None, Some(1)] {
        let dir = tempfile::tempdir().unwrap();
        cache(dir.path());
        let mut s = open(dir.path(), first);
        if let Some(rest) = s.rest.take() {
            // The rest of a staged start-up, as the TUI's loader thread reads it.
            let mut msgs = Vec::new();
            rest.load(8, |p| msgs.push(Msg::Restored(p))).unwrap();
            msgs.push(Msg::RestoreDone(Ok(())));
            for msg in msgs {
                send(&mut s.app, msg);
            }
        }
        assert_eq!(
            keys(&s),
            ["k-plain", "k-starred", "r-starred"],
            "with {first:?}"
        );
        assert_eq!(s.app.store().starred_count(), 2, "with {first:?}");
        // The removed feed is not counted among the feeds.
        let summary = akhbar::ui::status::summary(&s.app);
        assert!(summary.starts_with("0/1 feed ok"), "{summary}");
        // Retention on quit (the tightest limits) keeps it, so export-state has it.
        let cache = s.cache.clone().unwrap();
        cache.send(s.app.retention(1, 1).unwrap());
        cache.flush_blocking().unwrap();
        drop(s);
        drop(cache);
        let state = persist::export_state(dir.path()).unwrap();
        assert!(state.contains("r-starred"), "{state}");
    }
}
