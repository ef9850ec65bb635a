//! Fetch slots, overall and per host (host:port): one set shared by everything that fetches
//! (the poller, article pages), so a site is never hit harder than `per_host_concurrency`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::options::PollOptions;

/// The fetch slots. Clones share them.
#[derive(Clone, Debug)]
pub struct FetchLimits {
    global: Arc<Semaphore>,
    per_host: usize,
    hosts: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
}

/// A fetch's host slot (none for file/exec sources) and its overall slot, released on drop.
pub(crate) type Permits = (Option<OwnedSemaphorePermit>, OwnedSemaphorePermit);

impl FetchLimits {
    /// `concurrency` fetches at once overall, `per_host` to one host (at least one each).
    pub fn new(opts: &PollOptions) -> FetchLimits {
        FetchLimits {
            global: Arc::new(Semaphore::new(opts.concurrency.max(1))),
            per_host: opts.per_host.max(1),
            hosts: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Waits for a slot on the URL's host, then for an overall slot (in that order, so a
    /// fetch queued behind a busy host does not hold an overall slot meanwhile).
    pub(crate) async fn acquire(&self, url: &str) -> Permits {
        let host_sem = host_key(url).map(|key| {
            let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            hosts
                .entry(key)
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_host)))
                .clone()
        });
        let host = match host_sem {
            Some(sem) => sem.acquire_owned().await.ok(),
            None => None,
        };
        let global = self
            .global
            .clone()
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        (host, global)
    }
}

/// `host:port` of an http(s) URL; `None` for file/exec sources (no host to protect).
fn host_key(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    Some(format!(
        "{}:{}",
        url.host_str()?.to_ascii_lowercase(),
        url.port_or_known_default()?
    ))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn limits(concurrency: usize, per_host: usize) -> FetchLimits {
        FetchLimits::new(&PollOptions {
            concurrency,
            per_host,
            ..PollOptions::default()
        })
    }

    #[test]
    fn hosts_are_keyed_with_their_port_and_without_case() {
        assert_eq!(
            host_key("https://News.Example/a"),
            Some("news.example:443".into())
        );
        assert_eq!(
            host_key("http://news.example:8080/a"),
            Some("news.example:8080".into())
        );
        assert_eq!(host_key("file:///tmp/feed.xml"), None);
    }

    #[tokio::test]
    async fn a_busy_host_waits_while_another_host_goes_ahead() {
        let limits = limits(8, 1);
        let held = limits.acquire("http://a.example/1").await;
        let same_host = limits.acquire("http://a.example/2");
        let blocked = tokio::time::timeout(Duration::from_millis(50), same_host).await;
        assert!(blocked.is_err(), "a second slot on a.example was granted");
        let other =
            tokio::time::timeout(Duration::from_secs(5), limits.acquire("http://b.example/1"))
                .await;
        assert!(other.is_ok(), "b.example waited for a.example");
        drop(held);
        let freed =
            tokio::time::timeout(Duration::from_secs(5), limits.acquire("http://a.example/2"))
                .await;
        assert!(freed.is_ok(), "the slot was not released");
    }

    #[tokio::test]
    async fn clones_share_their_slots() {
        let limits = limits(1, 4);
        let clone = limits.clone();
        let _held = limits.acquire("http://a.example/").await;
        let waited =
            tokio::time::timeout(Duration::from_millis(50), clone.acquire("file:///x")).await;
        assert!(waited.is_err(), "the clone had a slot of its own");
    }
}
