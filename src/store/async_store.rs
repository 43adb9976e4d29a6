//! The store's async face. SQLite calls block, so they run on a few dedicated threads: one
//! writer (SQLite takes one writer at a time anyway) and a couple of readers, fed by queues.
//! Under load this beats a blocking-pool thread per request all queueing on one lock: the
//! writer thread works through the queue while the async threads keep answering, and it
//! commits whatever has queued up meanwhile in one transaction (see `batch`: a request that
//! fails fails alone, and each is answered only after the commit).

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, OnceLock, mpsc};

use anyhow::anyhow;
use rusqlite::{Connection, Transaction};

use super::Store;
use super::batch::{Request, Unit};

/// Reader threads: one per core is plenty for queries that take microseconds.
const READ_THREADS: usize = 2;
/// Most write requests committed together.
const MAX_BATCH: usize = 64;

type Job = Box<dyn FnOnce(&Store) + Send>;
/// Told how many writes each committed transaction holds (for metrics, set by the edge).
type BatchObserver = Arc<OnceLock<Box<dyn Fn(usize) + Send + Sync>>>;

/// A write probe running (see [`AsyncStore::write_probe`]).
pub type WriteProbe = tokio::task::JoinHandle<anyhow::Result<()>>;

/// A cheaply cloneable handle to the store for async code. The threads stop when the last
/// handle is dropped.
#[derive(Clone)]
pub struct AsyncStore {
    store: Arc<Store>,
    reads: mpsc::Sender<Job>,
    writes: Writes,
    batches: BatchObserver,
}

/// The writer's queues: writes in the order they came, and a lane for the few that must not
/// wait behind them (see [`AsyncStore::write_first`]).
#[derive(Clone)]
struct Writes {
    /// `None` only wakes the writer to look at `first`.
    queue: mpsc::Sender<Option<Box<dyn Unit>>>,
    first: Arc<Mutex<VecDeque<Box<dyn Unit>>>>,
}

impl AsyncStore {
    pub fn new(store: Store) -> AsyncStore {
        let store = Arc::new(store);
        let reads = spawn_threads("db-read", READ_THREADS, &store);
        let batches = BatchObserver::default();
        let writes = spawn_writer(&store, batches.clone());
        match store.checkpoints() {
            super::Checkpoints::Bot => spawn_checkpointer(Arc::downgrade(&store)),
            // Litestream checkpoints; the bot cuts the `-wal` file back behind it.
            super::Checkpoints::Litestream => spawn_log_cut(Arc::downgrade(&store)),
        }
        spawn_outside_watch(Arc::downgrade(&store));
        AsyncStore {
            store,
            reads,
            writes,
            batches,
        }
    }

    /// Resolves once the last clone of this store is dropped, its threads have ended and
    /// its file is closed.
    pub fn closing(&self) -> super::Closed {
        self.store.closing()
    }

    /// Has `f` told the size of every write batch from now on (the first observer set stays).
    pub fn observe_batches(&self, f: impl Fn(usize) + Send + Sync + 'static) {
        let _ = self.batches.set(Box::new(f));
    }

    /// Runs `f` on a read-only connection.
    pub async fn read<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> anyhow::Result<T> + Send + 'static,
    {
        // What `f` logs on the database thread carries the request's span (its id), as what
        // the request logs itself does.
        let span = tracing::Span::current();
        run(&self.reads, move |store| {
            let _in_request = span.enter();
            store.read(f)
        })
        .await
    }

    /// Runs `f` in one write transaction, committed only if it succeeds. `f` may run more
    /// than once (when another write in its batch fails, see `batch`): it must do nothing
    /// but its database work, and decide anything else once, outside or memoised.
    pub async fn write<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnMut(&Transaction) -> anyhow::Result<T> + Send + 'static,
    {
        self.write_in_lane(false, f).await
    }

    /// For tests: the writer held in one unit until the sender is sent to (or dropped), so
    /// that writes first polled meanwhile queue behind it however slow the machine (a sleep
    /// was not enough). The future is that unit's, already started; await it after release.
    #[cfg(test)]
    pub(crate) async fn held_writer(
        &self,
    ) -> (
        std::pin::Pin<Box<dyn std::future::Future<Output = anyhow::Result<()>> + Send + '_>>,
        std::sync::mpsc::Sender<()>,
    ) {
        let (started, on_start) = std::sync::mpsc::channel::<()>();
        let (release, held) = std::sync::mpsc::channel::<()>();
        let mut busy: std::pin::Pin<Box<dyn std::future::Future<Output = _> + Send + '_>> =
            Box::pin(self.write(move |_| {
                let _ = started.send(());
                Ok(held.recv()?)
            }));
        assert!(futures::poll!(busy.as_mut()).is_pending());
        on_start
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap();
        (busy, release)
    }

    /// The same, committed in the writer's next batch however many writes are queued: for
    /// recording that Slack took a post. Until that commits, a crash posts it again, and
    /// behind a burst of queued requests (thousands, from one eager user) that would be
    /// seconds rather than one commit.
    pub async fn write_first<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnMut(&Transaction) -> anyhow::Result<T> + Send + 'static,
    {
        self.write_in_lane(true, f).await
    }

    async fn write_in_lane<T, F>(&self, first: bool, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnMut(&Transaction) -> anyhow::Result<T> + Send + 'static,
    {
        let (done, answer) = tokio::sync::oneshot::channel();
        // As for `read`: the writer's lines carry the request's span.
        let span = tracing::Span::current();
        let mut f = f;
        let in_span = move |tx: &Transaction| {
            let _in_request = span.enter();
            f(tx)
        };
        let unit: Box<dyn Unit> = Box::new(Request::new(in_span, done));
        let queued = if first {
            self.writes
                .first
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push_back(unit);
            self.writes.queue.send(None)
        } else {
            self.writes.queue.send(Some(unit))
        };
        queued.map_err(|_| anyhow!("the database threads have stopped"))?;
        answer
            .await
            .map_err(|_| anyhow!("a database write failed without an answer"))?
    }

    /// See [`Store::generation`]: moves on with every write that changes a row.
    pub fn generation(&self) -> u64 {
        self.store.generation()
    }

    /// See [`Store::outside_writes`]: moves on only with another process's writes.
    pub fn outside_writes(&self) -> u64 {
        self.store.outside_writes()
    }

    /// Whether a write commits now (see [`Store::can_write`]); on a thread of its own, neither
    /// queued behind the writes it is checking nor holding a reader's thread while it waits
    /// for the writer's connection (a stuck writer would otherwise stop every read).
    pub async fn can_write(&self, now: i64) -> anyhow::Result<()> {
        Self::probed(self.write_probe(now).await)
    }

    /// [`Self::can_write`], started: it runs on when its handle is dropped (a thread waiting
    /// for the writer cannot be called off), and [`Self::probed`] reads what it found.
    pub fn write_probe(&self, now: i64) -> WriteProbe {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || store.can_write(now))
    }

    /// What a [`WriteProbe`] that ended found.
    pub fn probed(ended: Result<anyhow::Result<()>, tokio::task::JoinError>) -> anyhow::Result<()> {
        ended.map_err(|_| anyhow!("the write probe failed without an answer"))?
    }

    /// See [`Store::litestream_waited`] (an 8-byte read of the log's header: done here, not
    /// queued behind the writes).
    pub fn litestream_waited(&self, now: i64) -> Option<i64> {
        self.store.litestream_waited(now)
    }

    /// Who checkpoints this database (see [`super::Checkpoints`]).
    pub fn checkpoints(&self) -> super::Checkpoints {
        self.store.checkpoints()
    }

    /// See [`Store::litestream_late`].
    pub fn litestream_late(&self, now: i64) -> Option<super::LitestreamLate> {
        self.store.litestream_late(now)
    }

    /// Empties the WAL at the next checkpoint, after a forget (see [`Store::clear_log`]).
    pub fn clear_log(&self) {
        self.store.clear_log();
    }

    pub async fn is_healthy(&self) -> bool {
        run(&self.reads, |store| Ok(store.is_healthy()))
            .await
            .unwrap_or(false)
    }
}

async fn run<T, F>(queue: &mpsc::Sender<Job>, f: F) -> anyhow::Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Store) -> anyhow::Result<T> + Send + 'static,
{
    let (done, answer) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move |store| {
        let _ = done.send(f(store));
    });
    queue
        .send(job)
        .map_err(|_| anyhow!("the database threads have stopped"))?;
    answer
        .await
        .map_err(|_| anyhow!("a database job failed without an answer"))?
}

fn spawn_threads(name: &str, n: usize, store: &Arc<Store>) -> mpsc::Sender<Job> {
    let (sender, receiver) = mpsc::channel::<Job>();
    let receiver = Arc::new(Mutex::new(receiver));
    for i in 0..n {
        let (receiver, store) = (receiver.clone(), store.clone());
        std::thread::Builder::new()
            .name(format!("{name}-{i}"))
            .spawn(move || {
                loop {
                    let next = receiver
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .recv();
                    let Ok(job) = next else { return };
                    // A panic in one job (a bug) must not take the thread, and with it every
                    // later query, down; its caller sees an error instead.
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| job(&store)));
                }
            })
            .expect("cannot start a database thread");
    }
    sender
}

/// The writer: takes what waits in the first lane, then one unit (waiting for it if there is
/// nothing at all), then whatever else is already queued (up to [`MAX_BATCH`]), and commits
/// them together.
fn spawn_writer(store: &Arc<Store>, batches: BatchObserver) -> Writes {
    let (sender, receiver) = mpsc::channel::<Option<Box<dyn Unit>>>();
    let first: Arc<Mutex<VecDeque<Box<dyn Unit>>>> = Arc::default();
    let store = store.clone();
    let lane = first.clone();
    let take_first = move |units: &mut Vec<Box<dyn Unit>>| {
        let mut lane = lane.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        while units.len() < MAX_BATCH {
            match lane.pop_front() {
                Some(unit) => units.push(unit),
                None => break,
            }
        }
    };
    std::thread::Builder::new()
        .name("db-write".into())
        .spawn(move || {
            loop {
                let mut units = Vec::new();
                take_first(&mut units);
                if units.is_empty() {
                    match receiver.recv() {
                        Ok(Some(unit)) => units.push(unit),
                        Ok(None) => take_first(&mut units),
                        Err(_) => return,
                    }
                }
                while units.len() < MAX_BATCH {
                    match receiver.try_recv() {
                        Ok(Some(unit)) => units.push(unit),
                        Ok(None) => take_first(&mut units),
                        Err(_) => break,
                    }
                }
                if units.is_empty() {
                    continue;
                }
                // Counted once committed: a batch that failed to commit wrote nothing.
                let committed = |writes| {
                    if let (1.., Some(observe)) = (writes, batches.get()) {
                        observe(writes);
                    }
                };
                let _ = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    store.write_batch(units, committed)
                }));
            }
        })
        .expect("cannot start the database writer");
    Writes {
        queue: sender,
        first,
    }
}

/// How often the WAL is copied back into the database file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// Checkpoints in the background until the store is gone.
fn spawn_checkpointer(store: std::sync::Weak<Store>) {
    let failed = "checkpoint failed; will retry";
    spawn_every(
        "db-checkpoint",
        CHECKPOINT_EVERY,
        store,
        failed,
        Store::checkpoint,
    );
}

/// Where Litestream checkpoints, cuts the `-wal` file back behind it (see `log_cut`) until
/// the store is gone.
fn spawn_log_cut(store: std::sync::Weak<Store>) {
    let failed = "cannot cut the write-ahead log back; will retry";
    spawn_every("db-log-cut", CHECKPOINT_EVERY, store, failed, |store| {
        store.cut_log_behind_litestream().map(drop)
    });
}

/// How often another process's writes are looked for (see [`Store::notice_outside_writes`]).
const OUTSIDE_WRITES_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Looks for other processes' writes until the store is gone.
fn spawn_outside_watch(store: std::sync::Weak<Store>) {
    let failed = "cannot look for outside writes";
    spawn_every("db-watch", OUTSIDE_WRITES_EVERY, store, failed, |store| {
        store.notice_outside_writes().map(|_| ())
    });
}

/// Runs `work` every `period` on a thread named `name` until the store is gone, logging a
/// failure as `failed` (it is tried again at the next period).
fn spawn_every(
    name: &str,
    period: std::time::Duration,
    store: std::sync::Weak<Store>,
    failed: &'static str,
    work: impl Fn(&Store) -> anyhow::Result<()> + Send + 'static,
) {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            loop {
                std::thread::sleep(period);
                let Some(store) = store.upgrade() else { return };
                if let Err(e) = work(&store) {
                    tracing::warn!(error = format!("{e:#}"), "{failed}");
                }
            }
        })
        .unwrap_or_else(|e| panic!("cannot start the database's {name} thread: {e}"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Checkpoints;

    /// Size of the database file itself (the WAL aside) after a write and a few of the bot's
    /// checkpoint periods.
    async fn file_size_after_a_write(checkpoints: Checkpoints) -> (u64, u64) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let db = AsyncStore::new(Store::open_with(&path, checkpoints).unwrap());
        let before = std::fs::metadata(&path).unwrap().len();
        db.write(|tx| {
            tx.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (zeroblob(100000))")?;
            Ok(())
        })
        .await
        .unwrap();
        tokio::time::sleep(CHECKPOINT_EVERY * 3).await;
        (before, std::fs::metadata(&path).unwrap().len())
    }

    /// Another process's commit moves the generation (what is cached per generation is read
    /// afresh); the store's own writes and reads do not count as outside ones.
    #[tokio::test]
    async fn another_process_writing_moves_the_generation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let store = Store::open(&path).unwrap();
        store
            .write(|tx| Ok(tx.execute_batch("CREATE TABLE t (x)")?))
            .unwrap();
        assert!(
            !store.notice_outside_writes().unwrap(),
            "own writes are not outside"
        );
        let before = store.generation();
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute("INSERT INTO t VALUES (1)", []).unwrap();
        assert!(store.notice_outside_writes().unwrap());
        assert_eq!(store.generation(), before + 1);
        assert_eq!(store.outside_writes(), 1);
        assert!(!store.notice_outside_writes().unwrap(), "seen once");
        store
            .read(|c| Ok(c.execute_batch("SELECT * FROM t")?))
            .unwrap();
        store
            .write(|tx| Ok(tx.execute("INSERT INTO t VALUES (2)", [])?))
            .unwrap();
        assert!(!store.notice_outside_writes().unwrap(), "own again");
        assert_eq!(store.outside_writes(), 1, "own writes are not outside");
    }

    #[tokio::test]
    async fn the_write_probe_commits_without_moving_the_generation() {
        let dir = tempfile::tempdir().unwrap();
        let db = AsyncStore::new(Store::open(&dir.path().join("t.db")).unwrap());
        let before = db.generation();
        db.can_write(1_700_000_000).await.unwrap();
        db.can_write(1_700_000_001).await.unwrap();
        assert_eq!(
            db.generation(),
            before,
            "no cached answer is dropped for a probe"
        );
        let at = db
            .read(|c| Ok(c.query_row("SELECT at FROM health_probe", [], |r| r.get::<_, i64>(0))?))
            .await
            .unwrap();
        assert_eq!(at, 1_700_000_001, "committed");
    }

    #[tokio::test]
    async fn the_bot_checkpoints_unless_litestream_does() {
        let (before, after) = file_size_after_a_write(Checkpoints::Bot).await;
        // Most of the 100,000 bytes: a page or two may come from the migrations' free list.
        assert!(after > before + 90_000, "checkpointed: {before} -> {after}");
        let (before, after) = file_size_after_a_write(Checkpoints::Litestream).await;
        assert_eq!(after, before, "left in the WAL for Litestream");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_first_goes_in_the_next_batch_however_many_wait() {
        let dir = tempfile::tempdir().unwrap();
        let db = AsyncStore::new(Store::open(&dir.path().join("t.db")).unwrap());
        let sizes = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = sizes.clone();
        db.observe_batches(move |n| seen.lock().unwrap().push(n));
        let create = |tx: &Transaction| Ok(tx.execute_batch("CREATE TABLE t (x)")?);
        db.write(create).await.unwrap();
        // The writer held in one unit while 200 writes queue up behind it.
        let (release, held) = mpsc::channel::<()>();
        let writer = db.clone();
        let blocker = tokio::spawn(async move { writer.write(move |_| Ok(held.recv()?)).await });
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let queued: Vec<_> = (0..200)
            .map(|i| {
                let insert =
                    move |tx: &Transaction| Ok(tx.execute("INSERT INTO t VALUES (?1)", [i])?);
                let writer = db.clone();
                tokio::spawn(async move { writer.write(insert).await })
            })
            .collect();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let urgent = |tx: &Transaction| Ok(tx.execute("INSERT INTO t VALUES (-1)", [])?);
        let writer = db.clone();
        let first = tokio::spawn(async move { writer.write_first(urgent).await });
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        release.send(()).unwrap();
        blocker.await.unwrap().unwrap();
        first.await.unwrap().unwrap();
        for q in queued {
            q.await.unwrap().unwrap();
        }
        let before = "SELECT COUNT(*) FROM t WHERE rowid < (SELECT rowid FROM t WHERE x = -1)";
        let ahead: i64 = db
            .read(move |c| Ok(c.query_row(before, [], |r| r.get(0))?))
            .await
            .unwrap();
        assert!(ahead < MAX_BATCH as i64, "{ahead} queued writes went first");
        // They had queued: a full batch was taken at once (else none was ahead to pass).
        let sizes = sizes.lock().unwrap();
        assert!(sizes.contains(&MAX_BATCH), "{sizes:?}");
    }
}
