//! `akhbar refresh` with `[sync]`: one sync with the server through the sync worker and the
//! app's update step (as in the TUI), then one line saying how it went.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use akhbar::app::{App, Msg};
use akhbar::config::{Config, SyncConfig, SyncPassword};
use akhbar::runtime::sync::{SyncCmd, spawn_sync};
use akhbar::runtime::{Runtime, poll_options};
use akhbar::sync::{Service, SyncEvent};
use akhbar::view::count;

use super::report;

/// Messages applied as one batch (one view update).
const BATCH: usize = 64;

/// Syncs once; false when the sync failed.
pub fn run(
    sync: &SyncConfig,
    config: &Config,
    rt: &tokio::runtime::Runtime,
    runtime: &Runtime,
    app: &mut App,
    data_dir: &Path,
) -> bool {
    let started = Instant::now();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let handle = {
        let _entered = rt.enter();
        spawn_sync(
            sync,
            poll_options(config),
            Some(data_dir.to_path_buf()),
            None,
            tx,
        )
    };
    handle.send(SyncCmd::Sync(None));
    let mut finished = None;
    let mut waiting = 0;
    while finished.is_none() {
        let Some(first) = rx.blocking_recv() else {
            break;
        };
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match rx.try_recv() {
                Ok(m) => batch.push(m),
                Err(_) => break,
            }
        }
        for m in &batch {
            match m {
                Msg::Sync(SyncEvent::Finished {
                    articles,
                    sent,
                    error,
                }) => finished = Some((*articles, *sent, error.clone())),
                Msg::Sync(SyncEvent::Waiting { changes, .. }) => waiting = *changes,
                Msg::Sync(SyncEvent::Notice(n)) => report::line(n),
                _ => {}
            }
        }
        runtime.run(app.update_many(batch));
    }
    handle.send(SyncCmd::Shutdown);
    let host = sync.host();
    let waiting = match waiting {
        0 => String::new(),
        n => format!(", {} waiting for {host}", count(n, "change")),
    };
    match finished {
        Some((articles, sent, None)) => {
            let synced = app
                .store()
                .feeds()
                .iter()
                .filter(|f| akhbar::sync::event::is_synced_feed(&f.url))
                .count();
            report::line(format!(
                "sync with {host} ({}): {}, {} new articles, {} sent{waiting}, {:.2} s",
                sync.service,
                count(synced, "feed"),
                articles,
                count(sent, "change"),
                started.elapsed().as_secs_f64()
            ));
            true
        }
        Some((_, _, Some(e))) => {
            report::line(format!("sync with {host} failed: {e}{waiting}"));
            false
        }
        None => {
            report::line(format!(
                "sync with {host} stopped without an answer{waiting}"
            ));
            false
        }
    }
}

/// `akhbar add URL` with `[sync]`: TT-RSS subscribes on the server (its articles come with
/// the next sync); the Fever API cannot subscribe, which is said.
pub fn add(url: &str, sync: &SyncConfig, config: &Config) -> anyhow::Result<ExitCode> {
    use akhbar::sync::{Account, Subscribed, SyncClient, SyncService, password_from_command};
    let shown = akhbar::text::sanitize::redact_credentials(url);
    let host = sync.host();
    let rt = tokio::runtime::Runtime::new()?;
    let result = rt.block_on(async {
        let password = match &sync.password {
            SyncPassword::Plain(p) => p.clone(),
            SyncPassword::Command(argv) => {
                password_from_command(argv, std::time::Duration::from_secs(120))
                    .await
                    .map_err(|e| e.to_string())?
            }
        };
        let account = Account {
            service: sync.service,
            url: sync.url.clone(),
            username: sync.username.clone(),
            password,
        };
        let client = SyncClient::new(&account, &poll_options(config)).map_err(|e| e.to_string())?;
        client.subscribe(url, None).await.map_err(|e| e.to_string())
    });
    match result {
        Ok(Subscribed::New(id)) => {
            report::line(format!(
                "subscribed to {shown} on {host} (feed {}); its articles come with the next sync (R, or akhbar refresh)",
                id.0
            ));
            Ok(ExitCode::SUCCESS)
        }
        Ok(Subscribed::Already(id)) => {
            report::line(format!(
                "{shown} is already a subscription on {host} (feed {})",
                id.0
            ));
            Ok(ExitCode::SUCCESS)
        }
        Ok(Subscribed::ChooseOne(urls)) => {
            report::line(format!("{shown} offers several feeds: add one of them"));
            for u in urls {
                report::line(format!(
                    "  {}",
                    akhbar::text::sanitize::redact_credentials(&u)
                ));
            }
            Ok(ExitCode::from(1))
        }
        Err(e) => {
            let hint = match sync.service {
                Service::Fever => {
                    "; or add it as a [[feed]] in the config, which akhbar fetches itself"
                }
                Service::TtRss => "",
            };
            report::error(format!(
                "could not subscribe to {shown} on {host}: {e}{hint}"
            ));
            Ok(ExitCode::from(1))
        }
    }
}
