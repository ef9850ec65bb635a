//! The headless subcommands: add, import (in `import`), export, export-state, import-state,
//! vacuum.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use akhbar::config::{Config, NewFeed, append_feeds};
use akhbar::feed::{discover_feeds, parse_feed};
use akhbar::opml;
use akhbar::persist;
use akhbar::text::sanitize::redact_credentials;

use super::args::Command;
use super::report;

pub fn run(cmd: Command, config: &Config, data_dir: &Path) -> anyhow::Result<ExitCode> {
    let config_path = || {
        config
            .path
            .clone()
            .or_else(akhbar::config::default_path)
            .context("no config file path")
    };
    match cmd {
        Command::Refresh { .. } | Command::PrintUnread => unreachable!("handled in run::main"),
        Command::Export => {
            let feeds: Vec<_> = config
                .feeds
                .iter()
                .map(|f| (f.url.clone(), f.name.clone(), f.tags.clone()))
                .collect();
            print!("{}", opml::export_opml(&feeds));
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            file,
            newsboat_config,
        } => super::import::run(file.as_deref(), newsboat_config.as_deref(), &config_path()?),
        Command::ExportState => {
            // A text file ends with a newline (issue 10 item 13).
            println!("{}", persist::export_state(data_dir)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Vacuum => {
            let done = persist::vacuum(data_dir)?;
            if done.before == 0 {
                println!("no cache in {} yet", data_dir.display());
            } else {
                let mib = |b: u64| b as f64 / 1_048_576.0;
                println!(
                    "cache {}: {:.1} MiB -> {:.1} MiB",
                    data_dir.join(persist::CACHE_FILE).display(),
                    mib(done.before),
                    mib(done.after)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::ImportState { file } => {
            let json = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let done = persist::import_state_detailed(data_dir, &json)?;
            // Flags of articles this cache has not fetched cannot be kept (they would be lost
            // without a word, issue 10 item 13): say which way to get them in.
            let later = "run `akhbar refresh` (the articles come with the first fetch), then import-state again";
            if done.applied == 0 && done.not_cached > 0 {
                report::error(format!(
                    "nothing imported: none of the {} articles in {} is in the cache yet; {later}",
                    done.not_cached,
                    file.display()
                ));
                return Ok(ExitCode::from(1));
            }
            report::line(format!("{} articles updated", done.applied));
            if done.not_cached > 0 {
                report::error(format!(
                    "{} articles of {} are not in the cache yet and were not imported; {later}",
                    done.not_cached,
                    file.display()
                ));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Add { url } => add(&url, config, &config_path()?),
        Command::Completions { .. } | Command::Man => unreachable!("handled in run::main"),
    }
}

/// `akhbar add URL`: a feed is added as it is; for a web page, the feeds it links with
/// `<link rel="alternate">` are offered (picked on the terminal when there are several).
fn add(url: &str, config: &Config, path: &Path) -> anyhow::Result<ExitCode> {
    if let Some(sync) = &config.sync {
        return super::refresh_sync::add(url, sync, config);
    }
    // `HTTP://x` is `http://x`; `example.org/feed.xml` is tried with https, then http.
    let candidates: Vec<String> = match url.split_once("://") {
        Some((scheme, rest)) => vec![format!("{}://{rest}", scheme.to_ascii_lowercase())],
        None => vec![format!("https://{url}"), format!("http://{url}")],
    };
    let first = redact_credentials(&candidates[0]);
    if !(candidates[0].starts_with("http://") || candidates[0].starts_with("https://")) {
        anyhow::bail!(
            "{first}: only http and https addresses can be added this way (edit the config for file: and exec:)"
        );
    }
    // The refresh's own fetch path: timeouts, size cap, redirects, status texts, charsets.
    let fetcher = akhbar::feed::PageFetcher::new(akhbar::runtime::session::poll_options(config));
    let rt = tokio::runtime::Runtime::new()?;
    let mut last_error = None;
    let mut fetched = None;
    for candidate in &candidates {
        match rt.block_on(fetcher.fetch_feed_or_page(candidate)) {
            Ok(page) => {
                fetched = Some((candidate.clone(), page));
                break;
            }
            Err(e) => last_error = Some((candidate.clone(), e)),
        }
    }
    let Some((url, page)) = fetched else {
        let (tried, e) = last_error.expect("one address was tried");
        anyhow::bail!(
            "{}: {}",
            redact_credentials(&tried),
            redact_credentials(&e.to_string())
        );
    };
    if candidates.len() > 1 {
        report::line(format!("using {}", redact_credentials(&url)));
    }
    // Links found in a page resolve against where it was found, after redirects.
    let base = page.url.clone();
    let url = url.as_str();
    let shown = redact_credentials(url);
    let (body, content_type) = (page.body.to_vec(), page.content_type);
    let chosen = match parse_feed(&body, content_type.as_deref()) {
        Ok(feed) => NewFeed {
            url: url.to_string(),
            name: feed.title,
            tags: Vec::new(),
            hidden: false,
        },
        Err(_) => {
            let html = String::from_utf8_lossy(&body);
            let found = discover_feeds(&html, &base);
            match found.len() {
                0 => anyhow::bail!("{shown} is neither a feed nor a page that links to one"),
                1 => {
                    let (title, u) = found.into_iter().next().expect("one");
                    NewFeed {
                        url: u,
                        name: title,
                        tags: Vec::new(),
                        hidden: false,
                    }
                }
                _ => pick(&found)?,
            }
        }
    };
    let added = append_feeds(path, std::slice::from_ref(&chosen))?;
    let shown = redact_credentials(&chosen.url);
    if added == 0 {
        report::line(format!("{shown} is already in {}", path.display()));
    } else {
        report::line(format!("added {shown} to {}", path.display()));
    }
    Ok(ExitCode::SUCCESS)
}

fn pick(found: &[(Option<String>, String)]) -> anyhow::Result<NewFeed> {
    report::line("This page offers several feeds:");
    for (i, (title, u)) in found.iter().enumerate() {
        let title = title.as_deref().unwrap_or_default();
        report::line(format!("  {}. {title} <{}>", i + 1, redact_credentials(u)));
    }
    if !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "several feeds found: run `akhbar add` again with one of the addresses above"
        );
    }
    let mut out = std::io::stdout();
    write!(out, "Which one (1-{})? ", found.len())?;
    out.flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let n: usize = line
        .trim()
        .parse()
        .ok()
        .filter(|n| (1..=found.len()).contains(n))
        .context("no feed chosen")?;
    let (title, u) = found[n - 1].clone();
    Ok(NewFeed {
        url: u,
        name: title,
        tags: Vec::new(),
        hidden: false,
    })
}
