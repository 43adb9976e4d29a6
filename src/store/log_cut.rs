//! Where Litestream checkpoints, the bot cuts the `-wal` file back to the log's end once the
//! log has started again and Litestream is on the new log.
//!
//! SQLite keeps the `-wal` file at the largest size it has reached: when the log starts again
//! from its first frame, the older frames past the new log's end stay in the file, in the
//! clear, until a later log grows over them. Under Litestream, which checkpoints once the log
//! holds 1000 pages, a log that once went past that (a burst of writes, a `backup` holding the
//! checkpoint off) leaves frames nothing writes over again: a forgotten or erased person's
//! rows as they were stayed there until the service restarted. Where the bot checkpoints,
//! `journal_size_limit` cuts the file at the first commit of a restarted log; under Litestream
//! that would cut off the old log's end before Litestream copied it (see `Store::open_with`).
//!
//! Litestream 0.3 copies the old log's end first, and only then starts its own copy of the new
//! log (its "shadow WAL": the next index under `.<db>-litestream/generations/<generation>/wal/`,
//! beginning with the new log's 32-byte header). So once its newest shadow WAL begins with the
//! `-wal`'s header, nothing past the log's last commit is needed by anyone: SQLite reads no
//! frame past it, and Litestream reads this log from its own position, which is within it.
//! The cut is made under the write lock (the log can neither grow nor restart meanwhile), to
//! the end of the log's last committed frame as SQLite's own recovery finds it (the frames
//! whose salts and running checksum follow the header), and never below Litestream's position:
//! a `-wal` shorter than that Litestream 0.3.13 takes for one "truncated by another process",
//! and starts a new generation. Where Litestream's files are not there (another `meta-path`,
//! another version), nothing is cut.

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;

use anyhow::Context as _;

use rusqlite::TransactionBehavior;

use super::{Store, lock, wal_path};

/// Bytes of the log's header.
const WAL_HEADER: usize = 32;
/// Bytes of a frame's header, before its page.
const FRAME_HEADER: usize = 24;

/// The log as its file holds it: its header and where its last committed frame ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Log {
    header: [u8; WAL_HEADER],
    /// Bytes from the file's start to the end of the last committed frame (the header's
    /// length for a log with none).
    end: u64,
}

/// Litestream's copy of the log it is on: its newest shadow WAL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shadow {
    header: [u8; WAL_HEADER],
    /// Bytes: how far into the log Litestream has copied.
    len: u64,
}

/// What a look at the files found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cut {
    /// The file was cut back from `from` bytes to `to`.
    Back { from: u64, to: u64 },
    /// Litestream is on this log and the file holds nothing past its end.
    Nothing,
    /// Not yet: no log, Litestream not on it (or its files not found), or its position past
    /// the log's end (never seen; a cut would make it start a new generation).
    NotYet,
}

impl Store {
    /// Where Litestream checkpoints, cuts the `-wal` file back to the log's end once
    /// Litestream is on that log (see [`self`]); a look at the log's salt when nothing is to
    /// be done, as after the last cut until the log restarts. Called from a background
    /// thread of its own every half second.
    pub(super) fn cut_log_behind_litestream(&self) -> anyhow::Result<Cut> {
        // There only: `log_restarts` is kept where Litestream checkpoints.
        let Some(log) = &self.log_restarts else {
            return Ok(Cut::NotYet);
        };
        let Some(salt) = log.salt() else {
            return Ok(Cut::NotYet);
        };
        if log.cut_for() == Some(salt) {
            return Ok(Cut::Nothing);
        }
        // Not before Litestream is on this log: the write lock is not taken for nothing.
        if shadow(&self.path)?.is_none_or(|s| s.header[16..24] != salt) {
            return Ok(Cut::NotYet);
        }
        // The write lock, as a writer's (rolled back when dropped): the log is then as
        // Litestream and readers see it, and stays so until the rollback. Litestream, copying
        // the old log's end under its own write lock, has finished (its new shadow WAL is made
        // after), or holds us here.
        let mut writer = lock(&self.writer);
        let held = writer
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .context("cannot take the write lock to cut the write-ahead log back")?;
        let cut = cut_to_the_log(&self.path)?;
        drop(held);
        drop(writer);
        if cut != Cut::NotYet {
            log.cut_done(salt);
        }
        if let Cut::Back { from, to } = cut {
            tracing::debug!(from, to, "cut the write-ahead log back to its end");
        }
        Ok(cut)
    }
}

/// The cut itself, by a caller holding the write lock.
fn cut_to_the_log(db: &Path) -> anyhow::Result<Cut> {
    let wal = wal_path(db);
    let (Some(log), Some(shadow)) = (read_log(&wal)?, shadow(db)?) else {
        return Ok(Cut::NotYet);
    };
    if shadow.header != log.header || shadow.len > log.end {
        return Ok(Cut::NotYet);
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&wal)
        .context("cannot open the write-ahead log to cut it back")?;
    let from = file.metadata()?.len();
    if from <= log.end {
        return Ok(Cut::Nothing);
    }
    file.set_len(log.end)
        .context("cannot cut the write-ahead log back")?;
    Ok(Cut::Back { from, to: log.end })
}

/// Fills `buf` from `r`; false at the end of the file (or a part of `buf` before it).
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<bool> {
    match r.read_exact(buf) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    }
}

/// The first 32 bytes of `path`, if it has them.
fn read_header(path: &Path) -> std::io::Result<Option<[u8; WAL_HEADER]>> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut header = [0; WAL_HEADER];
    Ok(read_full(&mut file, &mut header)?.then_some(header))
}

fn be(bytes: &[u8]) -> u32 {
    u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// SQLite's WAL checksum of `bytes` (a multiple of 8), going on from `sum`: words in big-endian
/// order where the log's magic number says so, little-endian otherwise.
fn checksum(big_endian: bool, sum: (u32, u32), bytes: &[u8]) -> (u32, u32) {
    let word = |b: &[u8]| {
        let b = [b[0], b[1], b[2], b[3]];
        if big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        }
    };
    let (mut s1, mut s2) = sum;
    for pair in bytes.chunks_exact(8) {
        s1 = s1.wrapping_add(word(&pair[..4])).wrapping_add(s2);
        s2 = s2.wrapping_add(word(&pair[4..])).wrapping_add(s1);
    }
    (s1, s2)
}

/// The log in the `-wal` file at `wal`, as SQLite's recovery reads it: a valid header, then
/// frames while their salts are the header's and their checksums follow on; the log ends with
/// the last of them that commits. `None` without a valid header.
fn read_log(wal: &Path) -> std::io::Result<Option<Log>> {
    let file = match File::open(wal) {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut file = std::io::BufReader::with_capacity(1 << 16, file);
    let mut header = [0; WAL_HEADER];
    if !read_full(&mut file, &mut header)? {
        return Ok(None);
    }
    let big_endian = match be(&header[0..4]) {
        0x377f_0682 => false,
        0x377f_0683 => true,
        _ => return Ok(None),
    };
    let page = be(&header[8..12]) as usize;
    if !(512..=65536).contains(&page) || !page.is_power_of_two() {
        return Ok(None);
    }
    let mut sum = checksum(big_endian, (0, 0), &header[..24]);
    if sum != (be(&header[24..28]), be(&header[28..32])) {
        return Ok(None);
    }
    let mut frame = vec![0; FRAME_HEADER + page];
    let (mut at, mut end) = (WAL_HEADER as u64, WAL_HEADER as u64);
    while read_full(&mut file, &mut frame)? {
        if frame[8..16] != header[16..24] {
            break;
        }
        sum = checksum(big_endian, sum, &frame[..8]);
        sum = checksum(big_endian, sum, &frame[FRAME_HEADER..]);
        if sum != (be(&frame[16..20]), be(&frame[20..24])) {
            break;
        }
        at += frame.len() as u64;
        if be(&frame[4..8]) != 0 {
            end = at;
        }
    }
    Ok(Some(Log { header, end }))
}

/// Litestream 0.3's newest shadow WAL for the database at `db`, under `.<name>-litestream`
/// beside it (its default `meta-path`, as `deploy/litestream.yml` leaves it).
fn shadow(db: &Path) -> std::io::Result<Option<Shadow>> {
    let Some(name) = db.file_name() else {
        return Ok(None);
    };
    let mut meta = std::ffi::OsString::from(".");
    meta.push(name);
    meta.push("-litestream");
    let meta = db.with_file_name(meta);
    let generation = match std::fs::read_to_string(meta.join("generation")) {
        Ok(g) => g.trim().to_string(),
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if generation.is_empty() || !generation.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let dir = meta.join("generations").join(generation).join("wal");
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    // Named by index, eight hex digits: `00000003.wal`.
    let newest = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| {
            let index = n.strip_suffix(".wal")?;
            (index.len() == 8).then(|| u32::from_str_radix(index, 16).ok())?
        })
        .max();
    let Some(newest) = newest else {
        return Ok(None);
    };
    let path = dir.join(format!("{newest:08x}.wal"));
    let Some(header) = read_header(&path)? else {
        return Ok(None);
    };
    let len = std::fs::metadata(&path)?.len();
    Ok(Some(Shadow { header, len }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    /// The log's end as read from the file is where SQLite says its last frame ends.
    #[test]
    fn the_log_ends_where_sqlite_says() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
        conn.execute_batch("CREATE TABLE t (x)").unwrap();
        for n in 0..20 {
            conn.execute("INSERT INTO t VALUES (zeroblob(?1))", [n * 1000])
                .unwrap();
        }
        let frames: u32 = conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))
            .unwrap();
        let log = read_log(&wal_path(&path)).unwrap().unwrap();
        assert_eq!(log.end, 32 + u64::from(frames) * (24 + 4096));
        // Restarted, the new log is short and ends early in a file as long as before.
        conn.query_row("PRAGMA wal_checkpoint(RESTART)", [], |_| Ok(()))
            .unwrap();
        conn.execute("INSERT INTO t VALUES (1)", []).unwrap();
        let frames: u32 = conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))
            .unwrap();
        let log = read_log(&wal_path(&path)).unwrap().unwrap();
        assert_eq!(log.end, 32 + u64::from(frames) * (24 + 4096));
        let len = std::fs::metadata(wal_path(&path)).unwrap().len();
        assert!(len > log.end + 10 * 4096, "{len} {log:?}");
    }

    /// A shadow WAL for `db` with `header` and `len` bytes, index `index`, as Litestream
    /// lays them out.
    fn litestream_on(db: &Path, index: u32, header: [u8; 32], len: usize) {
        let meta = db.with_file_name(".t.db-litestream");
        let wal = meta.join("generations/0123abcd/wal");
        std::fs::create_dir_all(&wal).unwrap();
        std::fs::write(meta.join("generation"), "0123abcd").unwrap();
        let mut bytes = header.to_vec();
        bytes.resize(len, 0);
        std::fs::write(wal.join(format!("{index:08x}.wal")), bytes).unwrap();
    }

    /// Cut only to the log's end, only with Litestream on this log, never below its position.
    #[test]
    fn the_cut_waits_for_litestream_and_never_goes_below_its_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (zeroblob(200000))")
            .unwrap();
        let old = read_log(&wal_path(&path)).unwrap().unwrap();
        conn.query_row("PRAGMA wal_checkpoint(RESTART)", [], |_| Ok(()))
            .unwrap();
        conn.execute("INSERT INTO t VALUES (1)", []).unwrap();
        let log = read_log(&wal_path(&path)).unwrap().unwrap();
        let len = || std::fs::metadata(wal_path(&path)).unwrap().len();
        let long = len();

        assert_eq!(cut_to_the_log(&path).unwrap(), Cut::NotYet, "no Litestream");
        litestream_on(&path, 1, old.header, 5000);
        assert_eq!(
            cut_to_the_log(&path).unwrap(),
            Cut::NotYet,
            "still on the old log"
        );
        litestream_on(&path, 2, log.header, log.end as usize + 1);
        assert_eq!(cut_to_the_log(&path).unwrap(), Cut::NotYet, "past the end");
        assert_eq!(len(), long);
        litestream_on(&path, 2, log.header, 32);
        assert_eq!(
            cut_to_the_log(&path).unwrap(),
            Cut::Back {
                from: long,
                to: log.end
            }
        );
        assert_eq!(len(), log.end);
        assert_eq!(cut_to_the_log(&path).unwrap(), Cut::Nothing);
        // SQLite goes on in the cut file.
        conn.execute("INSERT INTO t VALUES (2)", []).unwrap();
        drop(conn);
        let conn = Connection::open(&path).unwrap();
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 3);
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
    }
}
