//! Group commit: the writer thread commits many requests' writes in one transaction, and
//! tells each request its outcome only once the commit is known, so nobody is told "done"
//! before it is. One commit (one WAL sync) for many requests is what lets the writer keep up.
//!
//! A request that fails must fail alone. Wrapping each in a savepoint does that, but a
//! savepoint copies every page its request changes into a journal first, about a sixth of
//! the writer's time in a pitch. So a batch first runs its units back to back with no
//! savepoints; only if one fails is the whole transaction rolled back and the batch run
//! again with that unit's outcome kept and every other unit in a savepoint of its own (a
//! unit may now fail in its own way, having lost what the failed one did). That is why a
//! unit may run twice, and why its work must be database work only: what it decides outside
//! the transaction must be decided once (see `handlers::Ctx::spent`).

use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, anyhow, bail};
use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::sync_search;

/// One request's write in a batch.
pub(super) trait Unit: Send {
    /// Does the work in `tx` (inside a savepoint of its own if `alone`, so that a failure
    /// undoes only its changes) and keeps the outcome; false if it failed.
    fn run(&mut self, tx: &Transaction, alone: bool) -> bool;
    /// Tells whoever is waiting: its outcome if the batch committed, else why not.
    fn finish(self: Box<Self>, committed: Result<(), &anyhow::Error>);
}

/// A line to log, with the span it was asked for in.
type Line = Box<dyn FnOnce() + Send>;

thread_local! {
    /// The lines the write running on this thread asked for (see [`log_once_committed`]);
    /// `None` outside one.
    static LINES: RefCell<Option<Vec<Line>>> = const { RefCell::new(None) };
}

/// Logs `line` once the write it is called in commits, with the request's span: a unit may
/// run twice (see above), or be rolled back with its batch, and a line logged as it ran
/// said "project pitched" twice, or of a pitch never recorded. Outside a write, at once.
/// Not only lines: anything the process is told of a write that must neither run ahead of
/// its commit nor happen twice (`reactions_to_read`'s count of markings).
pub fn log_once_committed(line: impl FnOnce() + Send + 'static) {
    let span = tracing::Span::current();
    let line: Line = Box::new(move || span.in_scope(line));
    let now = LINES.with_borrow_mut(|lines| match lines {
        Some(lines) => {
            lines.push(line);
            None
        }
        None => Some(line),
    });
    if let Some(line) = now {
        line();
    }
}

/// `work`'s outcome and the lines it asked for, kept only if it succeeded.
pub(super) fn collecting_lines<T>(
    work: impl FnOnce() -> anyhow::Result<T>,
) -> (anyhow::Result<T>, Vec<Line>) {
    let outer = LINES.replace(Some(Vec::new()));
    let outcome = work();
    let lines = LINES.replace(outer).unwrap_or_default();
    match outcome.is_ok() {
        true => (outcome, lines),
        false => (outcome, Vec::new()),
    }
}

/// Logs what a committed write asked for.
pub(super) fn log_lines(lines: Vec<Line>) {
    for line in lines {
        line();
    }
}

/// A [`Unit`] from a closure, answering on a channel.
pub(super) struct Request<T, F> {
    work: F,
    outcome: Option<anyhow::Result<T>>,
    /// What its last run asked to log, once committed.
    lines: Vec<Line>,
    done: tokio::sync::oneshot::Sender<anyhow::Result<T>>,
}

impl<T, F> Request<T, F> {
    pub(super) fn new(work: F, done: tokio::sync::oneshot::Sender<anyhow::Result<T>>) -> Self {
        Request {
            work,
            outcome: None,
            lines: Vec::new(),
            done,
        }
    }
}

impl<T, F> Unit for Request<T, F>
where
    T: Send,
    F: FnMut(&Transaction) -> anyhow::Result<T> + Send,
{
    fn run(&mut self, tx: &Transaction, alone: bool) -> bool {
        let (outcome, lines) = collecting_lines(|| match alone {
            true => in_savepoint(tx, &mut self.work),
            false => caught(|| (self.work)(tx)),
        });
        let ok = outcome.is_ok();
        self.outcome = Some(outcome);
        self.lines = lines;
        ok
    }

    fn finish(self: Box<Self>, committed: Result<(), &anyhow::Error>) {
        let answer = match (committed, self.outcome) {
            (Ok(()), Some(outcome)) => {
                log_lines(self.lines);
                outcome
            }
            (Ok(()), None) => Err(anyhow!("a database write was not run")),
            (Err(e), _) => Err(told_each(e)),
        };
        let _ = self.done.send(answer);
    }
}

/// The batch's error `e` as each of its units is told it (an `anyhow::Error` cannot be
/// shared): its words, and SQLite's error code where it had one, so that a caller can still
/// tell a lock held past its timeout or a full disk (`store::is_transient`) from a fault that
/// would come back (before, the words alone: every batch failure looked like the second).
fn told_each(e: &anyhow::Error) -> anyhow::Error {
    let code = e
        .chain()
        .filter_map(|cause| cause.downcast_ref::<rusqlite::Error>())
        .find_map(rusqlite::Error::sqlite_error)
        .copied();
    match code {
        Some(code) => rusqlite::Error::SqliteFailure(code, Some(format!("{e:#}"))).into(),
        None => anyhow!("{e:#}"),
    }
}

/// Runs `units` in one transaction and commits; moves `generation` on if it committed a
/// change, and only then tells each unit its outcome: whoever is told "done" and reads again
/// must find the generation moved (cached answers are kept per generation). A batch that
/// changed no row (the scheduler's look for due nudges, most minutes) leaves it, and so
/// every cache, as it was. `committed` is told how many units' writes the commit holds,
/// before anyone is answered (none if it failed: not told).
pub(super) fn write_batch(
    conn: &mut Connection,
    mut units: Vec<Box<dyn Unit>>,
    generation: &AtomicU64,
    committed: impl FnOnce(usize),
) {
    let outcome = committing(conn, generation, |conn| run_and_commit(conn, &mut units));
    if let Ok(writes) = outcome {
        committed(writes);
    }
    for unit in units {
        unit.finish(outcome.as_ref().map(|_| ()));
    }
}

/// Runs `work`, which commits or fails, and moves `generation` on if it committed a change:
/// rows inserted, updated or deleted, triggers' and FTS5's included (not DDL, which only
/// migrations run, at open). A unit run twice (see above) counts twice, which only moves the
/// generation when it need not.
pub(super) fn committing<T>(
    conn: &mut Connection,
    generation: &AtomicU64,
    work: impl FnOnce(&mut Connection) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let changes = conn.total_changes();
    let out = work(conn)?;
    if conn.total_changes() != changes {
        generation.fetch_add(1, Ordering::AcqRel);
    }
    Ok(out)
}

/// How many units' writes the commit holds, or why nothing committed.
fn run_and_commit(conn: &mut Connection, units: &mut [Box<dyn Unit>]) -> anyhow::Result<usize> {
    let tx = begin(conn)?;
    // Stop at the first failure: the transaction may no longer be open (SQLite rolls back
    // by itself on some errors), and nothing more should run in it. Nor after a unit that
    // met such an error and let it go (a step it may do without): what ran since, and any
    // unit after it, would each commit alone.
    let mut failed = None;
    for (i, unit) in units.iter_mut().enumerate() {
        if !unit.run(&tx, false) {
            failed = Some(i);
            break;
        }
        if tx.is_autocommit() {
            bail!("the write transaction was rolled back by SQLite");
        }
    }
    let Some(failed) = failed else {
        return commit(tx).map(|()| units.len());
    };
    drop(tx); // rolls back every unit's changes, the failed one's with them
    let tx = begin(conn)?;
    let mut made = 0;
    for (i, unit) in units.iter_mut().enumerate() {
        if i == failed {
            continue;
        }
        made += usize::from(unit.run(&tx, true));
        // SQLite rolls a whole transaction back by itself on some errors (a full disk, an
        // I/O error): nothing more may run then, or each unit's savepoint would open and
        // commit a transaction of its own, and the batch would report as failed writes that
        // were made. Every unit is told it failed, which is then true.
        if tx.is_autocommit() {
            bail!("the write transaction was rolled back by SQLite");
        }
    }
    commit(tx).map(|()| made)
}

fn begin(conn: &mut Connection) -> anyhow::Result<Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .context("cannot begin a write transaction")
}

/// The search index is brought up to date once for the batch; if it cannot be, nothing
/// commits (the transaction rolls back when dropped), so nothing is left unsearchable.
fn commit(tx: Transaction) -> anyhow::Result<()> {
    sync_search(&tx)?;
    tx.commit().context("cannot commit")
}

/// Runs `f` inside a savepoint of `tx`, rolling back only its own changes if it fails.
pub(super) fn in_savepoint<T>(
    tx: &Transaction,
    f: impl FnOnce(&Transaction) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    tx.prepare_cached("SAVEPOINT unit")?.execute([])?;
    match caught(|| f(tx)) {
        Ok(v) => {
            tx.prepare_cached("RELEASE unit")?.execute([])?;
            Ok(v)
        }
        Err(e) => {
            tx.execute_batch("ROLLBACK TO unit; RELEASE unit")?;
            Err(e)
        }
    }
}

/// Runs `f`, a step of an open write transaction that its caller may do without (telling
/// Slack of a change made), so that if it fails its writes alone are undone: `Ok(Err(e))`,
/// for the caller to let go. If SQLite rolled the whole transaction back on the way (a full
/// disk, an I/O error), nothing more may run in it: that is the outer `Err`.
pub fn step_apart<T>(
    conn: &Connection,
    f: impl FnOnce() -> anyhow::Result<T>,
) -> anyhow::Result<anyhow::Result<T>> {
    conn.prepare_cached("SAVEPOINT apart")?.execute([])?;
    match caught(f) {
        Ok(v) => {
            conn.prepare_cached("RELEASE apart")?.execute([])?;
            Ok(Ok(v))
        }
        Err(e) if conn.is_autocommit() => {
            Err(e.context("the write transaction was rolled back by SQLite"))
        }
        Err(e) => {
            conn.execute_batch("ROLLBACK TO apart; RELEASE apart")?;
            Ok(Err(e))
        }
    }
}

/// Runs `f`'s reads on one snapshot of the database: in a savepoint, which outside a
/// transaction begins one (a reader's statements otherwise each see the latest commit, and a
/// report's figures read a few milliseconds apart could disagree: a join committed between
/// the councils' part and the whole). Inside a transaction it nests, and changes nothing.
pub fn one_snapshot<T>(
    conn: &Connection,
    f: impl FnOnce() -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    conn.prepare_cached("SAVEPOINT snapshot")?.execute([])?;
    let out = caught(f);
    // Released either way: `f` only reads. After a failure the savepoint may be gone with
    // its transaction (SQLite rolling a write back): `f`'s error is the one to tell.
    let released = conn.prepare_cached("RELEASE snapshot")?.execute([]);
    let v = out?;
    released?;
    Ok(v)
}

/// `f`'s outcome, a panic in it (a bug in one request's handler) turned into its failure
/// alone: without this it would unwind through the whole batch, failing every request in it.
fn caught<T>(f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(anyhow!("the request's handler panicked")))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use crate::store::{AsyncStore, Store};

    /// Queues ten writes behind a busy writer, so they commit as one batch; write `failing`
    /// (if any) inserts its row and then fails; write `ends_it.0` (if any), on its run
    /// `ends_it.1`, ends the transaction as SQLite does by itself on a full disk. Gives each write's outcome, how
    /// many times each ran, the rows committed, and the batch sizes told to the observer
    /// from the ten's on.
    async fn batch_of_ten(
        failing: Option<usize>,
        ends_it: Option<(usize, usize)>,
    ) -> (Vec<bool>, Vec<usize>, Vec<i64>, Vec<usize>) {
        let dir = tempfile::tempdir().unwrap();
        let db = AsyncStore::new(Store::open(&dir.path().join("t.db")).unwrap());
        db.write(|tx| Ok(tx.execute_batch("CREATE TABLE t (x)")?))
            .await
            .unwrap();
        let sizes = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = sizes.clone();
        db.observe_batches(move |n| seen.lock().unwrap().push(n));
        // The writer is held in one unit until all ten are queued behind it (a write is
        // queued when first polled).
        let (busy, release) = db.held_writer().await;
        let runs: Arc<Vec<AtomicUsize>> = Arc::new((0..10).map(|_| AtomicUsize::new(0)).collect());
        let mut writes: Vec<_> = (0..10)
            .map(|i| {
                let (db, runs) = (db.clone(), runs.clone());
                Box::pin(async move {
                    db.write(move |tx| {
                        let run = runs[i].fetch_add(1, Ordering::Relaxed) + 1;
                        tx.execute("INSERT INTO t VALUES (?1)", [i as i64])?;
                        if Some((i, run)) == ends_it {
                            tx.execute_batch("ROLLBACK")?;
                        }
                        match Some(i) == failing {
                            true => Err(anyhow::anyhow!("this write fails")),
                            false => Ok(()),
                        }
                    })
                    .await
                })
            })
            .collect();
        for write in &mut writes {
            assert!(futures::poll!(write.as_mut()).is_pending());
        }
        release.send(()).unwrap();
        let (busy, results) = tokio::join!(busy, futures::future::join_all(writes));
        busy.unwrap();
        let mut sizes = sizes.lock().unwrap().clone();
        assert_eq!(sizes.remove(0), 1, "the write holding the writer, alone");
        let rows = db
            .read(|c| {
                let mut rows = c.prepare("SELECT x FROM t ORDER BY x")?;
                let rows = rows.query_map([], |r| r.get(0))?;
                Ok(rows.collect::<Result<Vec<i64>, _>>()?)
            })
            .await
            .unwrap();
        let runs = runs.iter().map(|n| n.load(Ordering::Relaxed)).collect();
        (
            results.iter().map(Result::is_ok).collect(),
            runs,
            rows,
            sizes,
        )
    }

    /// Cached answers are kept per generation: a reader told "done" must find it moved.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_generation_moves_before_anyone_is_told_done() {
        let dir = tempfile::tempdir().unwrap();
        let db = AsyncStore::new(Store::open(&dir.path().join("t.db")).unwrap());
        db.write(|tx| Ok(tx.execute_batch("CREATE TABLE t (x)")?))
            .await
            .unwrap();
        for _ in 0..500 {
            let before = db.generation();
            db.write(|tx| Ok(tx.execute("INSERT INTO t VALUES (1)", [])?))
                .await
                .unwrap();
            assert!(
                db.generation() > before,
                "told done before the generation moved"
            );
        }
    }

    /// What changed no row leaves every cache as it was.
    #[tokio::test]
    async fn a_write_that_changes_nothing_leaves_the_generation() {
        let dir = tempfile::tempdir().unwrap();
        let db = AsyncStore::new(Store::open(&dir.path().join("t.db")).unwrap());
        db.write(|tx| Ok(tx.execute_batch("CREATE TABLE t (x UNIQUE)")?))
            .await
            .unwrap();
        db.write(|tx| Ok(tx.execute("INSERT INTO t VALUES (1)", [])?))
            .await
            .unwrap();
        let before = db.generation();
        db.write(|tx| Ok(tx.execute("INSERT OR IGNORE INTO t VALUES (1)", [])?))
            .await
            .unwrap();
        db.write(|tx| Ok(tx.execute("DELETE FROM t WHERE x = 2", [])?))
            .await
            .unwrap();
        assert_eq!(db.generation(), before);
        db.write(|tx| Ok(tx.execute("UPDATE t SET x = 2", [])?))
            .await
            .unwrap();
        assert_eq!(db.generation(), before + 1);
    }

    #[tokio::test]
    async fn a_batch_that_succeeds_runs_each_write_once() {
        let (ok, runs, rows, sizes) = batch_of_ten(None, None).await;
        assert_eq!(sizes, [10], "committed together");
        assert_eq!(ok, vec![true; 10]);
        assert_eq!(runs, vec![1; 10]);
        assert_eq!(rows, (0..10).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn a_write_that_fails_is_undone_alone_and_the_others_are_run_again() {
        let (ok, runs, rows, sizes) = batch_of_ten(Some(3), None).await;
        assert_eq!(sizes, [9], "the failed write is not counted as written");
        let expected: Vec<bool> = (0..10).map(|i| i != 3).collect();
        assert_eq!(ok, expected, "only the failing write is told it failed");
        assert_eq!(runs[3], 1, "the failed write is not run again");
        assert!(
            runs.iter().all(|&n| (1..=2).contains(&n)) && runs.contains(&2),
            "the others ran again, once: {runs:?}"
        );
        let kept: Vec<i64> = (0..10).filter(|&i| i != 3).collect();
        assert_eq!(rows, kept, "its row is gone, every other is there once");
    }

    /// Run again, a batch whose transaction SQLite rolls back by itself (a full disk) stops
    /// there: every write is told it failed, and none is committed on its own after it.
    #[tokio::test]
    async fn a_batch_rolled_back_by_sqlite_commits_nothing_and_says_so() {
        // Write 1 runs before 3 fails, and again first in the second run, where it ends it.
        let (ok, runs, rows, sizes) = batch_of_ten(Some(3), Some((1, 2))).await;
        assert!(
            sizes.is_empty(),
            "nothing committed, no batch counted: {sizes:?}"
        );
        assert_eq!(ok, vec![false; 10], "every write is told it failed");
        assert!(rows.is_empty(), "and none was made: {rows:?}");
        assert_eq!(runs[1], 2);
        assert_eq!(
            &runs[2..],
            &[1, 1, 0, 0, 0, 0, 0, 0],
            "nothing ran after it"
        );
    }

    /// So does one whose transaction SQLite rolls back under a write that goes on and
    /// succeeds (an error it let go, in a step it may do without): before, the writes after
    /// it each committed alone, and every one was told it failed.
    #[tokio::test]
    async fn a_batch_rolled_back_under_a_write_that_succeeds_commits_nothing() {
        let (ok, runs, rows, sizes) = batch_of_ten(None, Some((1, 1))).await;
        assert!(sizes.is_empty(), "nothing committed: {sizes:?}");
        assert_eq!(ok, vec![false; 10], "every write is told it failed");
        assert!(rows.is_empty(), "and none was made: {rows:?}");
        assert_eq!(&runs[..2], &[1, 1]);
        assert!(
            runs[2..].iter().all(|&n| n == 0),
            "nothing ran after it: {runs:?}"
        );
    }

    /// A step done apart: failing, its writes alone are undone and the transaction goes on;
    /// with the transaction rolled back under it, that is the caller's error, and a write
    /// that went on regardless is told it failed (it was told done, its rows gone).
    #[test]
    fn a_step_apart_is_undone_alone_unless_the_transaction_went() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        store
            .write(|tx| Ok(tx.execute_batch("CREATE TABLE t (x)")?))
            .unwrap();
        let rows = |store: &Store| -> Option<String> {
            store
                .read(|c| Ok(c.query_row("SELECT group_concat(x) FROM t", [], |r| r.get(0))?))
                .unwrap()
        };
        store
            .write(|tx| {
                tx.execute("INSERT INTO t VALUES (1)", [])?;
                let step = super::step_apart(tx, || -> anyhow::Result<()> {
                    tx.execute("INSERT INTO t VALUES (2)", [])?;
                    anyhow::bail!("the step fails")
                })?;
                assert!(step.is_err());
                tx.execute("INSERT INTO t VALUES (3)", [])?;
                Ok(())
            })
            .unwrap();
        assert_eq!(rows(&store), Some("1,3".to_string()));
        let gone = store.write(|tx| {
            tx.execute("INSERT INTO t VALUES (4)", [])?;
            super::step_apart(tx, || -> anyhow::Result<()> {
                tx.execute_batch("ROLLBACK")?;
                anyhow::bail!("a full disk")
            })?
        });
        assert!(format!("{:#}", gone.unwrap_err()).contains("rolled back by SQLite"));
        let went_on = store.write(|tx| {
            tx.execute("INSERT INTO t VALUES (5)", [])?;
            let _ = super::step_apart(tx, || -> anyhow::Result<()> {
                tx.execute_batch("ROLLBACK")?;
                anyhow::bail!("a full disk")
            });
            Ok(())
        });
        assert!(went_on.is_err(), "told done, with its row gone");
        assert_eq!(rows(&store), Some("1,3".to_string()));
    }

    /// Reads in one snapshot see the database as it was when the first ran, whatever
    /// commits meanwhile (a report's parts and its whole); nested in a transaction, they
    /// run in it.
    #[test]
    fn reads_in_one_snapshot_agree_whatever_commits_between() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        store
            .write(|tx| Ok(tx.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1)")?))
            .unwrap();
        let count = |c: &rusqlite::Connection| -> i64 {
            c.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
                .unwrap()
        };
        let (first, second) = store
            .read(|c| {
                super::one_snapshot(c, || {
                    let first = count(c);
                    store.write(|tx| Ok(tx.execute("INSERT INTO t VALUES (2)", [])?))?;
                    Ok((first, count(c)))
                })
            })
            .unwrap();
        assert_eq!((first, second), (1, 1), "one snapshot");
        assert_eq!(
            store.read(|c| Ok(count(c))).unwrap(),
            2,
            "the next sees the write"
        );
        store
            .write(|tx| {
                super::one_snapshot(tx, || Ok(tx.execute("INSERT INTO t VALUES (3)", [])?))?;
                assert_eq!(count(tx), 3, "nested, in the transaction");
                Ok(())
            })
            .unwrap();
    }
}
