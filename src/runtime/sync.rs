//! The sync worker: the one owner of the conversation with the user's TT-RSS or Fever
//! server. The app sees it only through [`SyncEvent`]s (like the poller's events) and asks it
//! through [`SyncCmd`]s. A sync sends the queued changes first, then reads the server's feeds,
//! the articles above the saved marker and the unread and starred lists. Local changes are
//! queued in the cache (`persist::SyncQueue`) before they are sent, so quitting, a kill -9 or
//! an unreachable server loses none; each leaves the queue when the server confirmed it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::app::Msg;
use crate::config::{SyncConfig, SyncPassword};
use crate::feed::PollOptions;
use crate::persist::{MarkKind, PendingMark, SyncQueue, SyncedFeedRow};
use crate::sync::event::feed_url;
use crate::sync::{
    Account, ArticleId, Mark, RemoteFeedId, Service, SyncClient, SyncEvent, SyncService,
    SyncedArticle, password_from_command,
};

/// Changes per mark request (TT-RSS takes comma-separated ids; the Fever client sends one
/// request per id and state anyway).
const MARK_BATCH: usize = 200;
/// How long after a failed send the queue is tried again.
const RETRY_AFTER: Duration = Duration::from_secs(30);
/// How long `password_command` may take (it may ask for a passphrase).
const PASSWORD_TIMEOUT: Duration = Duration::from_secs(120);

/// What the worker is asked.
#[derive(Debug)]
pub enum SyncCmd {
    /// Sync now (one feed: TT-RSS `updateFeed` first).
    Sync(Option<RemoteFeedId>),
    /// Local changes: queued, then sent.
    Marks(Vec<(ArticleId, MarkKind, bool)>),
    /// Send what the queue holds.
    Drain,
    /// Stop (queued changes stay in the cache for the next run).
    Shutdown,
}

/// The handle the runtime keeps.
#[derive(Clone, Debug)]
pub struct SyncHandle {
    tx: UnboundedSender<SyncCmd>,
    /// Local changes go into the cache's queue at once on a thread of their own (the worker
    /// may be busy with a long sync): a quit or a kill right after loses none.
    queue_tx: Option<std::sync::mpsc::Sender<QueueMsg>>,
}

/// What the queue's thread is asked.
#[derive(Debug)]
enum QueueMsg {
    Marks(Vec<(ArticleId, MarkKind, bool)>),
    /// Answer once everything sent before is in the cache (or could not be put there: the
    /// answer is how many changes that leaves unsaved).
    Flush(std::sync::mpsc::Sender<usize>),
}

/// How long a flush at quit waits for the queue's thread (its connection waits up to 10 s
/// for a lock).
const FLUSH_WAIT: Duration = Duration::from_secs(15);
/// How soon the queue's thread tries a cache it could not open or write again.
const QUEUE_RETRY: Duration = Duration::from_millis(500);

impl SyncHandle {
    pub fn send(&self, cmd: SyncCmd) {
        match (cmd, &self.queue_tx) {
            (SyncCmd::Marks(marks), Some(q)) => {
                if let Err(std::sync::mpsc::SendError(QueueMsg::Marks(marks))) =
                    q.send(QueueMsg::Marks(marks))
                {
                    // The thread is gone: the worker keeps them.
                    let _ = self.tx.send(SyncCmd::Marks(marks));
                }
            }
            (cmd, _) => {
                let _ = self.tx.send(cmd);
            }
        }
    }

    /// Waits until every change sent before is in the cache's queue. `Err`: how many are not
    /// (the cache could not be written); they were handed to the worker, which sends them if
    /// the server answers before the process ends.
    pub fn flush(&self) -> Result<(), String> {
        let Some(q) = &self.queue_tx else {
            return Ok(());
        };
        let (ack, answer) = std::sync::mpsc::channel();
        if q.send(QueueMsg::Flush(ack)).is_err() {
            return Ok(());
        }
        match answer.recv_timeout(FLUSH_WAIT) {
            Ok(0) => Ok(()),
            Ok(n) => Err(format!(
                "{n} sync change{} could not be saved in the cache",
                if n == 1 { "" } else { "s" }
            )),
            Err(_) => Err("the sync queue did not answer: recent changes may not be saved".into()),
        }
    }
}

/// The thread that writes local changes to the queue, then asks the worker to send them.
/// It opens its own connection, and opens it again after a failure (a locked or briefly
/// unavailable cache); changes it could not write yet are kept and tried again, and handed
/// to the worker meanwhile so the server still gets them.
fn spawn_queue_writer(
    dir: PathBuf,
    account: String,
    host: String,
    worker: UnboundedSender<SyncCmd>,
    app: UnboundedSender<Msg>,
) -> std::sync::mpsc::Sender<QueueMsg> {
    let (tx, rx) = std::sync::mpsc::channel::<QueueMsg>();
    std::thread::spawn(move || {
        let mut writer = QueueWriter {
            dir,
            account,
            queue: None,
            held: Vec::new(),
            failing: false,
        };
        loop {
            let first = if writer.held.is_empty() {
                match rx.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return,
                }
            } else {
                match rx.recv_timeout(QUEUE_RETRY) {
                    Ok(m) => Some(m),
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => None,
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
                }
            };
            let mut acks = Vec::new();
            let mut fresh = Vec::new();
            for msg in first
                .into_iter()
                .chain(std::iter::from_fn(|| rx.try_recv().ok()))
            {
                match msg {
                    QueueMsg::Marks(marks) => {
                        fresh.extend(marks.iter().map(|m| (m.0.0, m.1, m.2)));
                        writer.held.extend(marks.iter().map(|m| (m.0.0, m.1, m.2)));
                    }
                    QueueMsg::Flush(ack) => acks.push(ack),
                }
            }
            let outcome = writer.write();
            match &outcome {
                Err(e) if !writer.failing => {
                    writer.failing = true;
                    let _ = app.send(Msg::Sync(SyncEvent::Notice(format!(
                        "sync: changes not saved in the cache yet, trying again ({e})"
                    ))));
                }
                Ok(()) if writer.failing => {
                    writer.failing = false;
                    let _ = app.send(Msg::Sync(SyncEvent::Notice(
                        "sync: the queued changes are saved in the cache".into(),
                    )));
                }
                _ => {}
            }
            if outcome.is_err() && !fresh.is_empty() {
                // Not in the cache yet: the worker holds them in memory and sends them.
                let marks = fresh
                    .iter()
                    .map(|&(a, k, v)| (ArticleId(a), k, v))
                    .collect();
                let _ = worker.send(SyncCmd::Marks(marks));
            }
            let changes = writer.len();
            let _ = app.send(Msg::Sync(SyncEvent::Waiting {
                changes,
                host: host.clone(),
            }));
            for ack in acks {
                let _ = ack.send(writer.held.len());
            }
            if outcome.is_ok() && !fresh.is_empty() && worker.send(SyncCmd::Drain).is_err() {
                return;
            }
        }
    });
    tx
}

/// The queue thread's connection and the changes it could not write yet.
struct QueueWriter {
    dir: PathBuf,
    account: String,
    queue: Option<SyncQueue>,
    held: Vec<(u64, MarkKind, bool)>,
    /// The last write failed (said once in the status line, and once when it works again).
    failing: bool,
}

impl QueueWriter {
    fn write(&mut self) -> Result<(), crate::persist::PersistError> {
        if self.held.is_empty() {
            return Ok(());
        }
        let queue = match self.queue.as_mut() {
            Some(q) => q,
            None => self
                .queue
                .insert(SyncQueue::open(&self.dir, &self.account)?),
        };
        match queue.push(&self.held) {
            Ok(()) => {
                self.held.clear();
                Ok(())
            }
            Err(e) => {
                // A new connection next time.
                self.queue = None;
                Err(e)
            }
        }
    }

    fn len(&self) -> usize {
        let stored = self.queue.as_ref().and_then(|q| q.len().ok()).unwrap_or(0);
        stored + self.held.len()
    }
}

/// The key the cache keeps this account's queue, marker and feeds under.
pub fn account_key(sync: &SyncConfig) -> String {
    format!("{:?}|{}|{}", sync.service, sync.url, sync.username)
}

/// Starts the worker on the current tokio runtime. `every`: sync on this interval too.
/// `data_dir`: the cache (None: changes are only kept in memory).
pub fn spawn_sync(
    sync: &SyncConfig,
    opts: PollOptions,
    data_dir: Option<PathBuf>,
    every: Option<Duration>,
    tx: UnboundedSender<Msg>,
) -> SyncHandle {
    let (cmd_tx, cmd_rx) = unbounded_channel();
    let queue_tx = data_dir.as_ref().map(|dir| {
        spawn_queue_writer(
            dir.clone(),
            account_key(sync),
            sync.host(),
            cmd_tx.clone(),
            tx.clone(),
        )
    });
    let worker = Worker {
        config: sync.clone(),
        opts,
        data_dir,
        tx,
        client: None,
        queue: None,
        memory: Vec::new(),
        next_seq: 0,
        send_failed: false,
    };
    tokio::spawn(worker.run(cmd_rx, every));
    SyncHandle {
        tx: cmd_tx,
        queue_tx,
    }
}

struct Worker {
    config: SyncConfig,
    opts: PollOptions,
    data_dir: Option<PathBuf>,
    tx: UnboundedSender<Msg>,
    client: Option<SyncClient>,
    queue: Option<SyncQueue>,
    /// The queue without a cache.
    memory: Vec<PendingMark>,
    next_seq: i64,
    /// The last send failed: try again after [`RETRY_AFTER`].
    send_failed: bool,
}

impl Worker {
    fn event(&self, ev: SyncEvent) {
        let _ = self.tx.send(Msg::Sync(ev));
    }

    async fn run(mut self, mut rx: UnboundedReceiver<SyncCmd>, every: Option<Duration>) {
        if let Some(dir) = &self.data_dir {
            match SyncQueue::open(dir, &account_key(&self.config)) {
                Ok(q) => self.queue = Some(q),
                Err(e) => self.event(SyncEvent::Notice(format!(
                    "sync: the queue of changes is not saved ({e})"
                ))),
            }
        }
        self.report_waiting();
        let mut tick = every.map(|d| {
            let mut i = tokio::time::interval_at(tokio::time::Instant::now() + d, d);
            i.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            i
        });
        loop {
            let retry = self.send_failed && self.waiting() > 0;
            let cmd = tokio::select! {
                cmd = rx.recv() => cmd,
                _ = async { tick.as_mut().expect("checked").tick().await }, if tick.is_some() => {
                    Some(SyncCmd::Sync(None))
                }
                _ = tokio::time::sleep(RETRY_AFTER), if retry => {
                    let _ = self.drain().await;
                    continue;
                }
            };
            match cmd {
                None | Some(SyncCmd::Shutdown) => return,
                Some(SyncCmd::Marks(marks)) => {
                    self.push(&marks);
                    let _ = self.drain().await;
                }
                Some(SyncCmd::Drain) => {
                    let _ = self.drain().await;
                }
                Some(SyncCmd::Sync(feed)) => {
                    // Requests that piled up while a sync ran are one sync.
                    self.sync(feed).await;
                }
            }
        }
    }

    fn push(&mut self, marks: &[(ArticleId, MarkKind, bool)]) {
        let rows: Vec<(u64, MarkKind, bool)> = marks.iter().map(|m| (m.0.0, m.1, m.2)).collect();
        if let Some(q) = self.queue.as_mut() {
            if let Err(e) = q.push(&rows) {
                self.event(SyncEvent::Notice(format!("sync: {e}")));
            }
        } else {
            for (article, kind, value) in rows {
                self.memory
                    .retain(|m| !(m.article == article && m.kind == kind));
                self.next_seq += 1;
                self.memory.push(PendingMark {
                    seq: self.next_seq,
                    article,
                    kind,
                    value,
                });
            }
        }
        self.report_waiting();
    }

    fn pending(&self) -> Vec<PendingMark> {
        match &self.queue {
            Some(q) => q.pending().unwrap_or_default(),
            None => self.memory.clone(),
        }
    }

    fn waiting(&self) -> usize {
        match &self.queue {
            Some(q) => q.len().unwrap_or(0),
            None => self.memory.len(),
        }
    }

    fn report_waiting(&self) {
        self.event(SyncEvent::Waiting {
            changes: self.waiting(),
            host: self.config.host(),
        });
    }

    fn confirm(&mut self, seqs: &[i64]) {
        match self.queue.as_mut() {
            Some(q) => {
                if let Err(e) = q.confirm(seqs) {
                    self.event(SyncEvent::Notice(format!("sync: {e}")));
                }
            }
            None => self.memory.retain(|m| !seqs.contains(&m.seq)),
        }
    }

    /// The client, made on first use (`password_command` runs then).
    async fn client(&mut self) -> Result<&SyncClient, String> {
        if self.client.is_none() {
            let password = match &self.config.password {
                SyncPassword::Plain(p) => p.clone(),
                SyncPassword::Command(argv) => password_from_command(argv, PASSWORD_TIMEOUT)
                    .await
                    .map_err(|e| e.to_string())?,
            };
            let account = Account {
                service: self.config.service,
                url: self.config.url.clone(),
                username: self.config.username.clone(),
                password,
            };
            let client = SyncClient::new(&account, &self.opts).map_err(|e| e.to_string())?;
            self.client = Some(client);
        }
        Ok(self.client.as_ref().expect("made above"))
    }

    /// Sends the queued changes, in batches per state; each batch leaves the queue once the
    /// server took it. Returns how many were sent.
    async fn drain(&mut self) -> Result<usize, String> {
        let pending = self.pending();
        if pending.is_empty() {
            self.send_failed = false;
            return Ok(0);
        }
        let mut groups: BTreeMap<u8, Vec<PendingMark>> = BTreeMap::new();
        for m in pending {
            let g = match (m.kind, m.value) {
                (MarkKind::Read, true) => 0,
                (MarkKind::Read, false) => 1,
                (MarkKind::Starred, true) => 2,
                (MarkKind::Starred, false) => 3,
            };
            groups.entry(g).or_default().push(m);
        }
        let mut sent = 0;
        let result = async {
            for (g, marks) in groups {
                let mark = [Mark::Read, Mark::Unread, Mark::Starred, Mark::Unstarred][g as usize];
                for batch in marks.chunks(MARK_BATCH) {
                    let ids: Vec<ArticleId> = batch.iter().map(|m| ArticleId(m.article)).collect();
                    let client = self.client().await?;
                    client.mark(&ids, mark).await.map_err(|e| e.to_string())?;
                    let seqs: Vec<i64> = batch.iter().map(|m| m.seq).collect();
                    self.confirm(&seqs);
                    sent += batch.len();
                }
            }
            Ok::<(), String>(())
        }
        .await;
        self.send_failed = result.is_err();
        self.report_waiting();
        result.map(|()| sent)
    }

    async fn sync(&mut self, feed: Option<RemoteFeedId>) {
        self.event(SyncEvent::Started);
        let outcome = self.sync_steps(feed).await;
        let (articles, sent, error) = match outcome {
            Ok((a, s)) => (a, s, None),
            Err(e) => (0, 0, Some(e)),
        };
        self.event(SyncEvent::Finished {
            articles,
            sent,
            error,
        });
    }

    async fn sync_steps(&mut self, feed: Option<RemoteFeedId>) -> Result<(usize, usize), String> {
        let service = self.config.service;
        if let Some(id) = feed {
            match service {
                Service::TtRss => {
                    let client = self.client().await?;
                    if let Err(e) = client.refresh_feed(id).await {
                        self.event(SyncEvent::Notice(format!("sync: {e}")));
                    }
                }
                Service::Fever => self.event(SyncEvent::Notice(
                    "Fever cannot update one feed: asking the server for everything new".into(),
                )),
            }
        }
        // Local changes first: the lists read below then include them.
        let sent = self.drain().await?;
        let host = self.config.host();
        let client = self.client().await?;
        let feeds = client.feeds().await.map_err(|e| e.to_string())?;
        let rows: Vec<SyncedFeedRow> = feeds
            .iter()
            .map(|f| SyncedFeedRow {
                url: feed_url(service, &host, f.id),
                title: f.title.clone(),
                tags: f.categories.iter().map(|c| c.title.clone()).collect(),
            })
            .collect();
        let urls: HashMap<RemoteFeedId, String> = feeds
            .iter()
            .zip(&rows)
            .map(|(f, r)| (f.id, r.url.clone()))
            .collect();
        self.event(SyncEvent::Feeds(rows.clone()));
        let marker = self
            .queue
            .as_ref()
            .and_then(|q| q.state("marker").ok().flatten())
            .and_then(|v| v.parse().ok())
            .map(ArticleId);
        let tx = self.tx.clone();
        let mut sink = move |page: Vec<crate::sync::RemoteArticle>| {
            let mut by_feed: HashMap<RemoteFeedId, Vec<SyncedArticle>> = HashMap::new();
            for a in page {
                by_feed
                    .entry(a.feed)
                    .or_default()
                    .push(SyncedArticle::from_remote(a));
            }
            for (feed, articles) in by_feed {
                let Some(feed_url) = urls.get(&feed).cloned() else {
                    continue;
                };
                let _ = tx.send(Msg::Sync(SyncEvent::Articles { feed_url, articles }));
            }
        };
        let client = self.client.as_ref().expect("made above");
        let summary = client
            .articles_since(marker, &mut sink)
            .await
            .map_err(|e| e.to_string())?;
        let unread = client.unread_ids().await.map_err(|e| e.to_string())?;
        let starred = client.starred_ids().await.map_err(|e| e.to_string())?;
        if let (Some(q), Some(newest)) = (self.queue.as_mut(), summary.newest) {
            let _ = q.set_state("marker", &newest.0.to_string());
        }
        if let Some(q) = self.queue.as_mut() {
            let _ = q.set_feeds(&rows);
        }
        let pending: HashSet<ArticleId> = self
            .pending()
            .into_iter()
            .map(|m| ArticleId(m.article))
            .collect();
        self.event(SyncEvent::Reconcile {
            unread,
            starred,
            upto: summary.newest,
            pending,
        });
        Ok((summary.articles, sent))
    }
}
