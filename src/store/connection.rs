//! Opening a connection: the settings every connection of the store has, and why.

use std::path::Path;
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

/// How long a connection waits for a lock held by another before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Page cache per connection, in KiB. The working set is small (answers to reads are
/// cached above the store), and seven connections at SQLite's default 2 MiB each would be
/// most of the bot's memory.
const CACHE_KIB: i64 = 512;
/// The writer's page cache, in KiB: one batch's changed pages, and the pages every write
/// reads (the indexes' upper levels).
pub(super) const WRITER_CACHE_KIB: i64 = 4096;
/// Prepared statements kept per connection: more than the store has, so none is compiled twice.
const STATEMENTS_KEPT: usize = 256;
/// Reads map the file (the OS page cache) instead of copying pages into each connection's
/// small cache: the catalogue reads every published project at once.
const MMAP_BYTES: i64 = 1 << 30;

/// Opens a connection to `path` with the store's settings.
pub(super) fn connect(path: &Path, flags: OpenFlags) -> anyhow::Result<Connection> {
    let mut conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // A read that people's words could make slow can be given a time limit.
    super::deadline::watch(&mut conn)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // FULL: a commit is on disk (the WAL synced) before anyone is told it is done, so an
    // acknowledged write survives power loss, not just a crash of the process. The group
    // commit (`write_batch`) pays that one sync for the whole batch.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    // Every query is prepared once per connection and kept (there are about 150 of them).
    conn.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
    // ... and stays prepared: without the query planner stability guarantee, SQLite compiles
    // a join with a bound parameter again at every run, in case the value would change the
    // plan (a fifth of a pitch's CPU went to compiling its first queries again).
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.pragma_update(None, "mmap_size", MMAP_BYTES)?;
    // What is deleted is overwritten, not left in free pages: a person who asks to be
    // forgotten is gone from the file, not just from the tables.
    conn.pragma_update(None, "secure_delete", true)?;
    Ok(conn)
}

/// Whether `e` is SQLite's lock held by another connection past [`BUSY_TIMEOUT`] (`SQLITE_BUSY`,
/// `SQLITE_LOCKED`): the database is busy, which waiting mends; not a fault of the file.
pub fn is_busy(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|cause| cause.downcast_ref::<rusqlite::Error>())
        .any(|e| {
            matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            )
        })
}

/// Whether `e` is a failure that waiting mends: the lock held by another ([`is_busy`]), a
/// full disk, or an I/O error. A failure of another kind (a constraint, a damaged row) comes
/// back each time the same write is tried.
pub fn is_transient(e: &anyhow::Error) -> bool {
    is_busy(e)
        || e.chain()
            .filter_map(|cause| cause.downcast_ref::<rusqlite::Error>())
            .any(|e| {
                matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure)
                )
            })
}
