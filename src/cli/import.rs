//! `akhbar import [FILE] [--newsboat-config FILE]`: the feeds of an OPML file or a newsboat
//! `urls` file, newsboat's query feeds (`"query:Name:filter"` lines) as `[[query]]` tables,
//! and the `ignore-article` lines of a newsboat config as `ignore` filters, appended to the
//! config file; every entry added, already there or refused is printed.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use akhbar::config::{IgnorePlace, NewFeed, NewIgnore, NewQuery, append_feeds, append_finds};
use akhbar::opml::{self, newsboat};
use akhbar::text::sanitize::{redact_credentials, sanitize_inline};

use super::report;

fn read(file: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))
}

/// Imports into the config at `config`.
pub fn run(
    file: Option<&Path>,
    newsboat_config: Option<&Path>,
    config: &Path,
) -> anyhow::Result<ExitCode> {
    if file.is_none() && newsboat_config.is_none() {
        anyhow::bail!("import what? give an OPML or newsboat urls FILE, or --newsboat-config FILE");
    }
    let mut queries = Vec::new();
    if let Some(file) = file {
        let text = read(file)?;
        let (feeds, refused) =
            opml::import_file(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        for (url, reason) in &refused {
            report::line(format!("refused: {}: {reason}", redact_credentials(url)));
        }
        let new: Vec<NewFeed> = feeds
            .into_iter()
            .map(|f| NewFeed {
                url: f.url,
                // Titles from someone else's file: no control character into the config.
                name: f.title.map(|t| sanitize_inline(&t)),
                tags: f.tags,
                hidden: f.hidden,
            })
            .collect();
        let added = append_feeds(config, &new)?;
        report::line(format!(
            "{added} feeds added to {} ({} already there, {} refused)",
            config.display(),
            new.len() - added,
            refused.len()
        ));
        let found = newsboat::parse_queries(&text);
        for (line, reason) in &found.refused {
            report::line(format!("refused: {line}: {reason}"));
        }
        queries = found.accepted;
        if newsboat_config.is_none() {
            hint_sibling_config(file);
        }
    }
    let mut ignores = Vec::new();
    if let Some(nb) = newsboat_config {
        let found = newsboat::parse_ignores(&read(nb)?);
        for note in &found.notes {
            report::line(format!("note: {note}"));
        }
        for (line, reason) in &found.refused {
            report::line(format!("refused: {line}: {reason}"));
        }
        ignores = found.accepted;
    }
    if queries.is_empty() && ignores.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let new_queries: Vec<NewQuery> = queries
        .into_iter()
        .map(|q| NewQuery {
            name: q.name,
            filter: q.filter,
            tags: q.tags,
        })
        .collect();
    let new_ignores: Vec<NewIgnore> = ignores
        .into_iter()
        .map(|i| NewIgnore {
            feed: i.feed,
            filter: i.filter,
        })
        .collect();
    let done = append_finds(config, &new_queries, &new_ignores)?;
    for ((name, added), q) in done.queries.iter().zip(&new_queries) {
        report::line(if *added {
            format!("query feed added: {name}: {}", q.filter)
        } else {
            format!("query feed already there: {name}")
        });
    }
    for (ig, place) in &done.ignores {
        let feed = ig.feed.as_deref().map(redact_credentials);
        let feed = feed.as_deref().unwrap_or("");
        report::line(match place {
            IgnorePlace::Global => format!("ignore added (every feed): {}", ig.filter),
            IgnorePlace::Feed => format!("ignore added ({feed}): {}", ig.filter),
            IgnorePlace::GlobalForFeed => format!(
                "ignore added (top level, for {feed}, which is not in the config): {}",
                ig.filter
            ),
            IgnorePlace::AlreadyThere => format!("ignore already there: {}", ig.filter),
        });
    }
    let queries_added = done.queries.iter().filter(|(_, a)| *a).count();
    let ignores_added = done
        .ignores
        .iter()
        .filter(|(_, p)| *p != IgnorePlace::AlreadyThere)
        .count();
    report::line(format!(
        "{queries_added} query feeds and {ignores_added} ignore filters added to {}",
        config.display()
    ));
    Ok(ExitCode::SUCCESS)
}

/// A newsboat `urls` file usually has its `config` beside it: say how to bring its kill
/// file along (never read without being asked).
fn hint_sibling_config(urls: &Path) {
    let Some(sibling) = urls.parent().map(|d| d.join("config")) else {
        return;
    };
    let Ok(text) = std::fs::read_to_string(&sibling) else {
        return;
    };
    let n = newsboat::parse_ignores(&text);
    let lines = n.accepted.len() + n.refused.len();
    if lines > 0 {
        report::line(format!(
            "{} has {lines} ignore-article lines: `akhbar import --newsboat-config {}` imports them",
            sibling.display(),
            sibling.display()
        ));
    }
}
