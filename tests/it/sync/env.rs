//! Where the harness's servers are (tests/harness/*.sh print the variables; `.ci/run`
//! exports them), and the skip rule: without them a test says so and passes, unless CI=true.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use akhbar::feed::PollOptions;

/// A running server of the harness, as its `env` printed it.
#[derive(Clone, Debug)]
pub struct Server {
    pub url: String,
    pub user: String,
    pub password: String,
    /// Where the harness's feed server serves files from, and its address.
    pub feed_dir: std::path::PathBuf,
    pub feed_url: String,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The server whose variables start with `prefix` (`AKHBAR_TTRSS`, `AKHBAR_FEVER`), or
/// `None` after printing why the test skips. Under CI a missing server fails the test.
pub fn server(prefix: &str, test: &str) -> Option<Server> {
    let get = |k: &str| var(&format!("{prefix}_{k}"));
    match (
        get("URL"),
        get("USER"),
        get("PASSWORD"),
        get("FEED_DIR"),
        get("FEED_URL"),
    ) {
        (Some(url), Some(user), Some(password), Some(dir), Some(feed_url)) => Some(Server {
            url,
            user,
            password,
            feed_dir: dir.into(),
            feed_url,
        }),
        _ => {
            let how =
                "run `eval \"$(tests/harness/sync-servers.sh up | sed 's/^/export /')\"` first";
            if var("CI").as_deref() == Some("true") {
                panic!(
                    "{test}: {prefix}_* not set: the sync test server is missing under CI ({how})"
                );
            }
            eprintln!("skipping {test}: {prefix}_* not set, no sync test server ({how})");
            None
        }
    }
}

/// akhbar's fetch options with short limits, so a failure shows in seconds.
pub fn options() -> PollOptions {
    PollOptions {
        timeout: Duration::from_secs(60),
        connect_timeout: Duration::from_secs(5),
        ..PollOptions::default()
    }
}

/// A name no other test (and no earlier run against the same server) uses: servers keep
/// guids across runs and dedupe on them.
pub fn unique(tag: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{tag}-{nanos}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}
