//! How the poller and every other fetch of akhbar's (feeds, `akhbar add`) fetch: limits,
//! timeouts, user agent. Plain options, below both the fetcher and the poller.

use std::time::Duration;

/// How the poller fetches.
#[derive(Clone, Debug)]
pub struct PollOptions {
    /// Default time between polls of a feed (a feed's own `interval` wins).
    pub interval: Duration,
    /// Whole fetch, redirects and body included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Body cap, counted after decompression.
    pub max_body_bytes: u64,
    /// Fetches at once, overall.
    pub concurrency: usize,
    /// Fetches at once to one host (host:port).
    pub per_host: usize,
    pub user_agent: String,
}

impl Default for PollOptions {
    fn default() -> Self {
        PollOptions {
            interval: Duration::from_secs(15 * 60),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_body_bytes: 20 * 1024 * 1024,
            concurrency: 64,
            per_host: 4,
            user_agent: format!(
                "akhbar/{} (+{})",
                env!("CARGO_PKG_VERSION"),
                env!("CARGO_PKG_REPOSITORY")
            ),
        }
    }
}
