//! Where Litestream checkpoints, the writer leaves it the write lock when it needs it.
//!
//! Litestream 0.3 copies new log frames into its own copy of the log once a second, and does
//! the checkpoints; after one, the next write starts the log again at its beginning. Frames
//! written between Litestream's last copy and its checkpoint are then only at the old log's
//! end, which Litestream copies next, under a write lock it takes right after a write of its
//! own. Its checkpoint takes the write lock too (a RESTART, as `deploy/litestream.yml` asks;
//! SQLite makes it a PASSIVE one, beside our writes, if the lock does not come within
//! Litestream's busy timeout). Our writer commits batch after batch, and SQLite gives the
//! lock to whoever asks at the moment it is free: Litestream, asking at moments its busy
//! handler chooses, up to 100 ms apart, can miss it for its whole second while the new log
//! grows over that end. Those frames are then missing from the replica, and a restore is
//! damaged (an index missing rows, pages out of order: what the restore drill found now and
//! then on a busy machine). So while Litestream is due to checkpoint, the writer leaves the
//! lock free for a moment after each commit, and after the log restarts it waits for
//! Litestream's write and a while more.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::lock;

/// The longest the writer waits for Litestream's write after the log restarted under our
/// commit: Litestream writes straight after its checkpoint, and a checkpoint it gave up on
/// has no write to wait for.
const LITESTREAM_WRITES_WITHIN: Duration = Duration::from_secs(1);
/// After Litestream's write, time for it to take the lock for copying the old log's end
/// (microseconds of its own work between the two); once it holds the lock, our next commit
/// waits for it anyway.
const ROOM_AFTER_ITS_WRITE: Duration = Duration::from_millis(50);
/// How often the writer looks whether Litestream has written.
const LOOK_EVERY: Duration = Duration::from_millis(1);
/// The lock left free after each commit while Litestream is due to checkpoint. A batch holds
/// it for a few milliseconds (its writes and one sync), and Litestream asks about 19 times in
/// its second: with batches of 5 ms it misses every time about once in 500 checkpoints, and
/// that checkpoint is then a PASSIVE one; longer batches make a miss likelier. Writes that
/// come meanwhile go in the next batch.
const LITESTREAMS_TURN: Duration = Duration::from_millis(2);
/// Log frames from which Litestream checkpoints at its next look (once a second): the
/// `min-checkpoint-page-count` in `deploy/litestream.yml`.
const LITESTREAM_CHECKPOINTS_AT: i64 = 1000;
/// How long Litestream may stay due without the log restarting before the bot says it is not
/// checkpointing (`/healthz`, the log): it looks once a second, and a `backup` or `export`
/// that holds its checkpoint off takes seconds at a council's size. Unix seconds.
const LITESTREAM_LATE_AFTER_SECS: i64 = 120;

/// Litestream due to checkpoint for longer than it takes when it runs: the log only grows,
/// and nothing new reaches the bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LitestreamLate {
    pub waited_secs: i64,
    /// The write-ahead log's size now.
    pub log_bytes: u64,
}

impl std::fmt::Display for LitestreamLate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Litestream has not checkpointed the write-ahead log for {} s (it holds {} MiB): \
             with MAKERS_CHECKPOINTS=litestream nothing else empties it, and without Litestream \
             nothing reaches the bucket; start the bot with `litestream replicate -exec`, or \
             set MAKERS_CHECKPOINTS=bot where it runs alone",
            self.waited_secs,
            self.log_bytes / (1024 * 1024)
        )
    }
}

/// The log as the writer last saw it after a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    /// The log header's salt, new each time the log starts again; `None` while the log has
    /// no header (not yet written, or emptied by a truncating checkpoint).
    salt: Option<[u8; 8]>,
    /// The writer connection's `PRAGMA data_version`: it moves when another connection
    /// commits (or empties the log with a TRUNCATE checkpoint), never for our own commits.
    version: i64,
}

/// What the writer does after a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Room {
    /// The log went on as before: commit the next batch at once.
    None,
    /// The log restarted and someone else has committed since our last commit (Litestream's
    /// write came first): leave it a moment for its lock.
    Moment,
    /// Our commit restarted the log: wait until another connection commits (Litestream's
    /// write), then a moment.
    UntilItWrites,
}

/// Decides, from the log before and after a commit, how much room to make.
fn room(before: Option<Seen>, after: Seen) -> Room {
    match before {
        Some(before)
            if before.salt.is_some() && after.salt.is_some() && before.salt != after.salt =>
        {
            if before.version == after.version {
                Room::UntilItWrites
            } else {
                Room::Moment
            }
        }
        _ => Room::None,
    }
}

/// Watches the log's header across the writer's commits.
pub(super) struct LogRestarts {
    wal: PathBuf,
    /// Kept open rather than opened at each commit; `None` until the log exists.
    file: Mutex<Option<File>>,
    seen: Mutex<Option<Seen>>,
    /// Frames in the log after the writer's last commit, as SQLite's WAL hook tells them.
    frames: Arc<AtomicI64>,
    /// The log Litestream was first seen due on (its salt) and when (unix seconds, by the
    /// caller's clock): see [`LogRestarts::litestream_waited`].
    due: Mutex<Option<(Option<[u8; 8]>, i64)>>,
    /// The salt of the log the `-wal` file was last cut back to (see `log_cut`).
    cut_for: Mutex<Option<[u8; 8]>>,
}

impl LogRestarts {
    pub(super) fn new(db: &Path) -> LogRestarts {
        LogRestarts {
            wal: super::wal_path(db),
            file: Mutex::new(None),
            seen: Mutex::new(None),
            frames: Arc::default(),
            due: Mutex::new(None),
            cut_for: Mutex::new(None),
        }
    }

    /// The salt of the log the `-wal` file was last cut back to, if any.
    pub(super) fn cut_for(&self) -> Option<[u8; 8]> {
        *lock(&self.cut_for)
    }

    /// The `-wal` file holds nothing past the end of the log with `salt` (see `log_cut`).
    pub(super) fn cut_done(&self, salt: [u8; 8]) {
        *lock(&self.cut_for) = Some(salt);
    }

    /// How long, in seconds to `now`, Litestream has been due to checkpoint a log that has
    /// not restarted since: `None` when it is not due. Litestream not running beside the bot
    /// (`MAKERS_CHECKPOINTS=litestream` on a bot started without it) shows here as a wait
    /// that only grows, while the log grows without end and nothing reaches the bucket.
    /// Called now and then (the scheduler's tick, `/healthz`, `/metrics`), not per write.
    pub(super) fn litestream_waited(&self, now: i64) -> Option<i64> {
        let salt = self.salt();
        let seen = lock(&self.seen).map(|s| s.salt);
        // The frame count is the writer's last commit's; a log restarted since (Litestream's
        // checkpoint and its own write, with no commit of ours after) is not due.
        let due = self.litestream_due() && seen == Some(salt);
        let mut first = lock(&self.due);
        match *first {
            _ if !due => {
                *first = None;
                None
            }
            Some((log, since)) if log == salt => Some((now - since).max(0)),
            _ => {
                *first = Some((salt, now));
                Some(0)
            }
        }
    }

    /// Has the writer's connection tell this how many frames the log holds after each of its
    /// commits (SQLite's WAL hook, which `wal_autocheckpoint` would replace: set that first).
    pub(super) fn count_frames(&self, writer: &mut rusqlite::Connection) -> rusqlite::Result<()> {
        let frames = self.frames.clone();
        writer.wal_hook(Some(
            move |_: &mut rusqlite::hooks::Wal, n: std::ffi::c_int| {
                frames.store(i64::from(n), Ordering::Relaxed);
                Ok(())
            },
        ))
    }

    /// Whether Litestream is due to checkpoint: the log as long as its threshold.
    fn litestream_due(&self) -> bool {
        self.frames.load(Ordering::Relaxed) >= LITESTREAM_CHECKPOINTS_AT
    }

    /// Called on the writer's thread after each commit, with how to read the writer's
    /// `data_version`; returns once Litestream has had its turn (at most about a second),
    /// saying what room it made.
    pub(super) fn after_commit(&self, version: impl Fn() -> anyhow::Result<i64>) -> Room {
        if self.litestream_due() {
            std::thread::sleep(LITESTREAMS_TURN);
        }
        let Ok(now) = version() else {
            return Room::None;
        };
        let after = Seen {
            salt: self.salt(),
            version: now,
        };
        let before = lock(&self.seen).replace(after);
        let room = room(before, after);
        if room == Room::UntilItWrites {
            let until = Instant::now() + LITESTREAM_WRITES_WITHIN;
            while Instant::now() < until && matches!(version(), Ok(v) if v == now) {
                std::thread::sleep(LOOK_EVERY);
            }
        }
        if room != Room::None {
            std::thread::sleep(ROOM_AFTER_ITS_WRITE);
            tracing::debug!(
                ?room,
                "the write-ahead log restarted: made room for Litestream"
            );
        }
        room
    }

    /// [`LogRestarts::litestream_waited`], once the wait is longer than Litestream takes.
    pub(super) fn litestream_late(&self, now: i64) -> Option<LitestreamLate> {
        let waited_secs = self.litestream_waited(now)?;
        (waited_secs >= LITESTREAM_LATE_AFTER_SECS).then(|| LitestreamLate {
            waited_secs,
            log_bytes: std::fs::metadata(&self.wal).map_or(0, |m| m.len()),
        })
    }

    /// The salt in the log's header, read from the file (8 bytes at offset 16).
    #[cfg(unix)]
    pub(super) fn salt(&self) -> Option<[u8; 8]> {
        use std::os::unix::fs::FileExt;
        let mut file = lock(&self.file);
        if file.is_none() {
            *file = File::open(&self.wal).ok();
        }
        let mut salt = [0; 8];
        file.as_ref()?.read_exact_at(&mut salt, 16).ok()?;
        Some(salt)
    }

    #[cfg(not(unix))]
    pub(super) fn salt(&self) -> Option<[u8; 8]> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Checkpoints, Store};
    use rusqlite::Connection;

    /// A connection of Litestream's own: a RESTART checkpoint that finishes, as each of its
    /// checkpoints does with `deploy/litestream.yml`.
    fn checkpoint(litestream: &Connection) {
        let busy: i64 = litestream
            .query_row("PRAGMA wal_checkpoint(RESTART)", [], |r| r.get(0))
            .unwrap();
        assert_eq!(busy, 0, "the checkpoint finished");
    }

    #[test]
    fn after_its_commit_restarts_the_log_the_writer_waits_for_litestreams_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let store = Store::open_with(&path, Checkpoints::Litestream).unwrap();
        let litestream = Connection::open(&path).unwrap();
        litestream.execute_batch("CREATE TABLE seq (n)").unwrap();
        let create = |tx: &rusqlite::Transaction| Ok(tx.execute_batch("CREATE TABLE t (x)")?);
        store.write(create).unwrap();
        checkpoint(&litestream);
        let its_write = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            let writing = Instant::now();
            litestream
                .execute("INSERT INTO seq VALUES (1)", [])
                .unwrap();
            writing
        });
        // The first commit since the checkpoint starts the log again.
        let insert = |tx: &rusqlite::Transaction| Ok(tx.execute("INSERT INTO t VALUES (1)", [])?);
        store.write(insert).unwrap();
        let ours_returned = Instant::now();
        let it_began_writing = its_write.join().unwrap();
        assert!(
            ours_returned >= it_began_writing + ROOM_AFTER_ITS_WRITE,
            "the writer went on {:?} before Litestream's write and its moment",
            (it_began_writing + ROOM_AFTER_ITS_WRITE).saturating_duration_since(ours_returned)
        );
    }

    /// Litestream is due once the log holds its threshold of frames, and no longer once the
    /// log has started again.
    #[test]
    fn litestream_is_due_from_its_threshold_until_the_log_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let store = Store::open_with(&path, Checkpoints::Litestream).unwrap();
        let log = store.log_restarts.as_ref().unwrap();
        let create = |tx: &rusqlite::Transaction| Ok(tx.execute_batch("CREATE TABLE t (x)")?);
        store.write(create).unwrap();
        assert!(!log.litestream_due(), "a short log");
        // The log's whole length counts, not the last commit's: three commits of about 350
        // pages of 4 KiB each.
        let third = |tx: &rusqlite::Transaction| {
            Ok(tx.execute("INSERT INTO t VALUES (zeroblob(1430000))", [])?)
        };
        store.write(third).unwrap();
        store.write(third).unwrap();
        assert!(!log.litestream_due(), "{:?}", log.frames);
        store.write(third).unwrap();
        assert!(log.litestream_due(), "{:?}", log.frames);
        let litestream = Connection::open(&path).unwrap();
        litestream.execute_batch("CREATE TABLE seq (n)").unwrap();
        checkpoint(&litestream);
        litestream
            .execute("INSERT INTO seq VALUES (1)", [])
            .unwrap();
        let small = |tx: &rusqlite::Transaction| Ok(tx.execute("INSERT INTO t VALUES (1)", [])?);
        store.write(small).unwrap();
        assert!(!log.litestream_due(), "{:?}", log.frames);
    }

    /// The wait for Litestream, by the caller's clock: none while the log is short; counted
    /// from the first look at a long one; late past its limit, with the log's size; over
    /// once Litestream checkpoints and writes, with no commit of ours after; and none where
    /// the bot checkpoints itself, however long its log.
    #[test]
    fn litestream_is_late_when_a_long_log_does_not_restart_for_two_minutes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let store = Store::open_with(&path, Checkpoints::Litestream).unwrap();
        let create = |tx: &rusqlite::Transaction| Ok(tx.execute_batch("CREATE TABLE t (x)")?);
        store.write(create).unwrap();
        assert_eq!(store.litestream_waited(1_000), None, "a short log");
        let long = |tx: &rusqlite::Transaction| {
            Ok(tx.execute("INSERT INTO t VALUES (zeroblob(5000000))", [])?)
        };
        store.write(long).unwrap();
        assert_eq!(store.litestream_waited(1_000), Some(0), "first seen due");
        assert_eq!(store.litestream_waited(1_060), Some(60));
        assert_eq!(store.litestream_late(1_119), None, "not yet late");
        // A commit of ours on the same log: the wait goes on from the first look.
        store.write(long).unwrap();
        let late = store.litestream_late(1_130).expect("late after 130 s");
        assert_eq!(late.waited_secs, 130);
        assert!(late.log_bytes > 10_000_000, "{late:?}");
        let said = late.to_string();
        assert!(
            said.contains("130 s") && said.contains("MAKERS_CHECKPOINTS"),
            "{said}"
        );

        let litestream = Connection::open(&path).unwrap();
        litestream.execute_batch("CREATE TABLE seq (n)").unwrap();
        checkpoint(&litestream);
        litestream
            .execute("INSERT INTO seq VALUES (1)", [])
            .unwrap();
        assert_eq!(store.litestream_waited(1_140), None, "the log restarted");
        assert_eq!(store.litestream_late(5_000), None);

        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with(&dir.path().join("t.db"), Checkpoints::Bot).unwrap();
        store.write(create).unwrap();
        store.write(long).unwrap();
        assert_eq!(store.litestream_waited(1_000), None);
        assert_eq!(store.litestream_late(9_000), None);
    }

    /// What room the writer makes, commit by commit, beside a connection of Litestream's:
    /// none while the log goes on, the wait when its own commit restarts it, a moment when
    /// Litestream's write restarted it first.
    #[test]
    fn the_room_follows_the_log_commit_by_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let ours = Connection::open(&path).unwrap();
        ours.pragma_update(None, "journal_mode", "WAL").unwrap();
        ours.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
        ours.execute_batch("CREATE TABLE t (x); CREATE TABLE seq (n)")
            .unwrap();
        let litestream = Connection::open(&path).unwrap();
        let log = LogRestarts::new(&path);
        let version = || Ok(ours.query_row("PRAGMA data_version", [], |r| r.get(0))?);
        let commit = |n: i64| ours.execute("INSERT INTO t VALUES (?1)", [n]).unwrap();

        commit(1);
        assert_eq!(log.after_commit(version), Room::None, "the first look");
        commit(2);
        assert_eq!(log.after_commit(version), Room::None, "the log goes on");
        litestream
            .execute("INSERT INTO seq VALUES (1)", [])
            .unwrap();
        commit(3);
        assert_eq!(
            log.after_commit(version),
            Room::None,
            "another's write alone"
        );

        checkpoint(&litestream);
        commit(4);
        assert_eq!(
            log.after_commit(version),
            Room::UntilItWrites,
            "ours restarted it"
        );
        commit(5);
        assert_eq!(log.after_commit(version), Room::None, "then it goes on");

        checkpoint(&litestream);
        litestream
            .execute("INSERT INTO seq VALUES (2)", [])
            .unwrap();
        commit(6);
        assert_eq!(
            log.after_commit(version),
            Room::Moment,
            "Litestream's restarted it"
        );
    }

    /// The log over the size the bot keeps it to (16 MiB), checkpointed by another
    /// connection: the writer's next commit starts the log again, and cuts the file back
    /// only where the bot checkpoints. Where Litestream does, the old log's end is kept for
    /// Litestream to copy.
    #[test]
    fn the_writer_cuts_a_restarted_log_back_only_where_the_bot_checkpoints() {
        for (checkpoints, cut) in [(Checkpoints::Bot, true), (Checkpoints::Litestream, false)] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("t.db");
            let store = Store::open_with(&path, checkpoints).unwrap();
            let big = |tx: &rusqlite::Transaction| {
                Ok(tx.execute_batch(
                    "CREATE TABLE t (x); INSERT INTO t VALUES (zeroblob(20000000))",
                )?)
            };
            store.write(big).unwrap();
            let wal = dir.path().join("t.db-wal");
            let before = std::fs::metadata(&wal).unwrap().len();
            assert!(before > 20_000_000, "{before}");
            checkpoint(&Connection::open(&path).unwrap());
            let small =
                |tx: &rusqlite::Transaction| Ok(tx.execute("INSERT INTO t VALUES (1)", [])?);
            store.write(small).unwrap();
            let after = std::fs::metadata(&wal).unwrap().len();
            assert_eq!(after < before, cut, "{checkpoints:?}: {before} -> {after}");
        }
    }

    fn seen(salt: u8, version: i64) -> Seen {
        Seen {
            salt: Some([salt; 8]),
            version,
        }
    }

    #[test]
    fn the_same_log_needs_no_room() {
        assert_eq!(room(Some(seen(1, 5)), seen(1, 5)), Room::None);
        assert_eq!(room(Some(seen(1, 5)), seen(1, 6)), Room::None);
    }

    #[test]
    fn the_first_commit_or_a_log_without_a_header_before_needs_none() {
        assert_eq!(room(None, seen(1, 5)), Room::None);
        let headless = Seen {
            salt: None,
            version: 5,
        };
        assert_eq!(room(Some(headless), seen(1, 5)), Room::None);
    }

    #[test]
    fn a_restart_under_our_commit_waits_for_litestreams_write() {
        assert_eq!(room(Some(seen(1, 5)), seen(2, 5)), Room::UntilItWrites);
    }

    #[test]
    fn a_restart_by_another_writer_leaves_a_moment() {
        assert_eq!(room(Some(seen(1, 5)), seen(2, 6)), Room::Moment);
    }

    #[test]
    fn a_log_that_cannot_be_read_after_needs_none() {
        let unread = Seen {
            salt: None,
            version: 5,
        };
        assert_eq!(room(Some(seen(1, 5)), unread), Room::None);
    }
}
