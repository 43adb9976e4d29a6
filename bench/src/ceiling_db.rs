//! The write ceiling's database: one SQLite file in WAL mode with `synchronous = FULL` (one
//! sync of the log per commit, as the bot), written by one thread that commits whatever has
//! queued since its last commit in one transaction (group commit, at most [`MAX_BATCH`] rows,
//! as the bot's writer), each row an `INSERT` of a request's body. A request is answered once
//! its row's transaction has committed. SQLite's own automatic checkpoint copies the log back.

use std::path::Path;
use std::sync::mpsc;

use bytes::Bytes;
use rusqlite::Connection;
use tokio::sync::oneshot;

/// The bot's writer commits at most this many units together.
const MAX_BATCH: usize = 64;

type Job = (Bytes, oneshot::Sender<bool>);

/// A handle on the writer thread.
#[derive(Clone)]
pub struct GroupCommit {
    queue: mpsc::Sender<Job>,
}

impl GroupCommit {
    /// Creates (or opens) the file and starts the writer.
    pub fn open(path: &Path) -> Result<GroupCommit, String> {
        let conn = Connection::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             CREATE TABLE IF NOT EXISTS requests (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, body BLOB NOT NULL);",
        )
        .map_err(|e| format!("{}: {e}", path.display()))?;
        let (queue, jobs) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("ceiling-write".into())
            .spawn(move || write_loop(conn, jobs))
            .map_err(|e| format!("writer thread: {e}"))?;
        Ok(GroupCommit { queue })
    }

    /// Inserts `body` as one row; true once it has committed.
    pub async fn insert(&self, body: Bytes) -> bool {
        let (done, committed) = oneshot::channel();
        if self.queue.send((body, done)).is_err() {
            return false;
        }
        committed.await.unwrap_or(false)
    }
}

fn write_loop(mut conn: Connection, jobs: mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let committed = commit(&mut conn, &batch).is_ok();
        for (_, done) in batch {
            let _ = done.send(committed);
        }
    }
}

fn commit(conn: &mut Connection, batch: &[Job]) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO requests (at, body) VALUES (unixepoch('subsec') * 1000, ?1)",
        )?;
        for (body, _) in batch {
            insert.execute([body.as_ref()])?;
        }
    }
    tx.commit()
}
