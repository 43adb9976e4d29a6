//! The store's async face. SQLite calls block, so they run on a few dedicated threads: one
//! writer (SQLite takes one writer at a time anyway) and a couple of readers, fed by queues.
//! Under load this beats a blocking-pool thread per request all queueing on one lock: the
//! writer thread works through the queue while the async threads keep answering, and it
//! commits whatever has queued up meanwhile in one transaction (each request in its own
//! savepoint, answered only after the commit).

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, OnceLock, mpsc};

use anyhow::anyhow;
use rusqlite::{Connection, Transaction};

use super::{Finish, Store, Unit, in_savepoint};

/// Reader threads: one per core is plenty for queries that take microseconds.
const READ_THREADS: usize = 2;
/// Most write requests committed together.
const MAX_BATCH: usize = 64;

type Job = Box<dyn FnOnce(&Store) + Send>;
/// Told how many writes each transaction committed together (for metrics, set by the edge).
type BatchObserver = Arc<OnceLock<Box<dyn Fn(usize) + Send + Sync>>>;

/// A cheaply cloneable handle to the store for async code. The threads stop when the last
/// handle is dropped.
#[derive(Clone)]
pub struct AsyncStore {
    store: Arc<Store>,
    reads: mpsc::Sender<Job>,
    writes: mpsc::Sender<Unit>,
    batches: BatchObserver,
}

impl AsyncStore {
    pub fn new(store: Store) -> AsyncStore {
        let store = Arc::new(store);
        let reads = spawn_threads("db-read", READ_THREADS, &store);
        let batches = BatchObserver::default();
        let writes = spawn_writer(&store, batches.clone());
        spawn_checkpointer(Arc::downgrade(&store));
        AsyncStore {
            store,
            reads,
            writes,
            batches,
        }
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
        run(&self.reads, move |store| store.read(f)).await
    }

    /// Runs `f` in one write transaction, committed only if it succeeds.
    pub async fn write<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> anyhow::Result<T> + Send + 'static,
    {
        let (done, answer) = tokio::sync::oneshot::channel();
        let unit: Unit = Box::new(move |tx| {
            let result = match tx {
                Some(tx) => in_savepoint(tx, f),
                None => Err(anyhow!("no write transaction")),
            };
            let finish: Finish = Box::new(move |commit_error| {
                let result = match commit_error {
                    None => result,
                    Some(e) => Err(anyhow!("{e:#}")),
                };
                let _ = done.send(result);
            });
            finish
        });
        self.writes
            .send(unit)
            .map_err(|_| anyhow!("the database threads have stopped"))?;
        answer
            .await
            .map_err(|_| anyhow!("a database write failed without an answer"))?
    }

    /// How many write transactions have committed (moves on with every write).
    pub fn generation(&self) -> u64 {
        self.store.generation()
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

/// The writer: takes one unit, then whatever else is already queued (up to [`MAX_BATCH`]),
/// and commits them together.
fn spawn_writer(store: &Arc<Store>, batches: BatchObserver) -> mpsc::Sender<Unit> {
    let (sender, receiver) = mpsc::channel::<Unit>();
    let store = store.clone();
    std::thread::Builder::new()
        .name("db-write".into())
        .spawn(move || {
            while let Ok(first) = receiver.recv() {
                let mut units = vec![first];
                while units.len() < MAX_BATCH {
                    match receiver.try_recv() {
                        Ok(unit) => units.push(unit),
                        Err(_) => break,
                    }
                }
                if let Some(observe) = batches.get() {
                    observe(units.len());
                }
                let _ = std::panic::catch_unwind(AssertUnwindSafe(|| store.write_batch(units)));
            }
        })
        .expect("cannot start the database writer");
    sender
}

/// How often the WAL is copied back into the database file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// Checkpoints in the background until the store is gone.
fn spawn_checkpointer(store: std::sync::Weak<Store>) {
    std::thread::Builder::new()
        .name("db-checkpoint".into())
        .spawn(move || {
            loop {
                std::thread::sleep(CHECKPOINT_EVERY);
                let Some(store) = store.upgrade() else { return };
                if let Err(e) = store.checkpoint() {
                    tracing::warn!(error = format!("{e:#}"), "checkpoint failed; will retry");
                }
            }
        })
        .expect("cannot start the database checkpointer");
}
