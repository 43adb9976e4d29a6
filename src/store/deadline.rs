//! A time limit on a read whose cost depends on what people typed (a search of common words
//! ranks nearly every row). rusqlite sets SQLite's progress handler only through `&mut
//! Connection`, which the store's callers never hold; so every connection gets one handler
//! when it is opened, and it reads the limit from the thread running the statement (SQLite
//! calls it on that thread, from inside the statement's step).

use std::cell::Cell;
use std::time::{Duration, Instant};

use rusqlite::Connection;

/// SQLite's virtual machine steps between looks at the clock: microseconds of work.
const STEPS_BETWEEN_LOOKS: i32 = 1000;

thread_local! {
    /// When the statements this thread runs now must stop, if they must.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Whether a statement was stopped by [`DEADLINE`] since it was set.
    static STOPPED: Cell<bool> = const { Cell::new(false) };
}

/// Has `conn` stop any statement that runs past a limit set by [`within`] on its thread.
pub(super) fn watch(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.progress_handler(STEPS_BETWEEN_LOOKS, Some(past_deadline))
}

/// SQLite's progress handler: `true` interrupts the statement (`SQLITE_INTERRUPT`). A
/// read-only statement interrupted leaves its transaction as it was (SQLite rolls back only
/// a statement that writes).
fn past_deadline() -> bool {
    let past = DEADLINE.get().is_some_and(|at| Instant::now() >= at);
    if past {
        STOPPED.set(true);
    }
    past
}

/// Runs `f`, whose statements (on this thread) stop once `limit` has passed: `None` then,
/// whatever `f` made of its interrupted statement. Only for statements that read.
pub fn within<T>(
    limit: Duration,
    f: impl FnOnce() -> anyhow::Result<T>,
) -> anyhow::Result<Option<T>> {
    /// Clears the limit however `f` ends, a panic included: the thread's next statement
    /// (another request's) must run unlimited.
    struct Clear;
    impl Drop for Clear {
        fn drop(&mut self) {
            DEADLINE.set(None);
        }
    }
    STOPPED.set(false);
    DEADLINE.set(Some(Instant::now() + limit));
    let _clear = Clear;
    let result = f();
    if STOPPED.replace(false) {
        return Ok(None);
    }
    result.map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts to a million: far more than one look's worth of SQLite's steps.
    const LONG: &str =
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000)
                        SELECT COUNT(*) FROM c";

    fn watched() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        watch(&mut conn).unwrap();
        conn
    }

    fn count(conn: &Connection) -> anyhow::Result<i64> {
        Ok(conn.query_row(LONG, [], |r| r.get(0))?)
    }

    #[test]
    fn a_read_past_its_limit_is_stopped_and_the_next_runs_whole() {
        let conn = watched();
        assert_eq!(within(Duration::ZERO, || count(&conn)).unwrap(), None);
        // The limit went with `within`: the same thread's next statement is not stopped.
        assert_eq!(count(&conn).unwrap(), 1_000_000);
        assert_eq!(
            within(Duration::from_secs(600), || count(&conn)).unwrap(),
            Some(1_000_000)
        );
    }

    /// A search in a pitch's thread runs in the writer's transaction: stopping it must leave
    /// the transaction's writes, and its batch's, to commit.
    #[test]
    fn a_read_stopped_in_a_write_transaction_leaves_the_transaction_whole() {
        let mut conn = watched();
        conn.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
        assert_eq!(within(Duration::ZERO, || count(&tx)).unwrap(), None);
        tx.execute("INSERT INTO t VALUES (2)", []).unwrap();
        tx.commit().unwrap();
        let sum: i64 = conn
            .query_row("SELECT SUM(x) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sum, 3);
    }

    /// A limit set on one thread stops nothing on another (the reader threads run side by
    /// side): the other thread holds its limit, past already, for as long as this thread's
    /// statement runs. (A statement run beside it only by chance ran after a zero limit,
    /// over within microseconds, had gone: a limit shared by all threads passed too.)
    #[test]
    fn a_limit_holds_only_on_its_own_thread() {
        let conn = watched();
        let (set, is_set) = std::sync::mpsc::channel();
        let (release, released) = std::sync::mpsc::channel::<()>();
        std::thread::scope(|s| {
            let other = s.spawn(move || {
                within(Duration::ZERO, || {
                    set.send(()).unwrap();
                    released.recv().unwrap();
                    Ok(())
                })
            });
            is_set.recv().unwrap();
            let counted = count(&conn);
            // Released before asserting: a failure must not leave the other thread waiting.
            release.send(()).unwrap();
            assert_eq!(counted.unwrap(), 1_000_000);
            assert_eq!(other.join().unwrap().unwrap(), Some(()));
        });
    }
}
