//! The forget ledger: a line per request to be forgotten (`forget me`, `makers-bot forget`) in
//! a file beside the database, `<database>.forgotten`, so that putting back an older copy of
//! the database (a backup, a point-in-time restore) cannot bring a forgotten person back: at
//! open, the store forgets again whoever the ledger lists that the copy had not forgotten.
//!
//! A line is `<sequence> <unix seconds> <user id>`. The database keeps the last sequence it
//! applied (`forget_ledger`, which names nobody), so a person who takes part again after
//! being forgotten is not forgotten again by a restart; only a copy from before their request
//! is behind their line. The line is written and synced inside the forget's transaction,
//! before it commits: a forget that then fails is applied at the next open, which is what
//! was asked.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rusqlite::Connection;

use crate::domain::UserId;

/// The ledger of the database `conn` has open; none for one in memory.
fn path_of(conn: &Connection) -> Option<PathBuf> {
    conn.path()
        .filter(|p| !p.is_empty())
        .map(|p| PathBuf::from(format!("{p}.forgotten")))
}

fn applied(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT applied FROM forget_ledger")?
        .query_row([], |r| r.get(0))
}

fn set_applied(conn: &Connection, sequence: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE forget_ledger SET applied = ?1")?
        .execute([sequence])?;
    Ok(())
}

/// Writes `user`'s request at `now` as the ledger's next line, synced, and records it as
/// applied (in the forget's transaction).
pub fn note(conn: &Connection, user: &UserId, now: i64) -> anyhow::Result<()> {
    let Some(path) = path_of(conn) else {
        return Ok(());
    };
    let sequence = applied(conn)? + 1;
    append(&path, &format!("{sequence} {now} {}\n", user.as_str()))
        .with_context(|| format!("cannot write the forget ledger {}", path.display()))?;
    set_applied(conn, sequence)?;
    Ok(())
}

/// One write of `line` at the end of the ledger (made readable by its owner alone), synced;
/// and, when this made the file, its directory too, so the file survives a power cut.
fn append(path: &Path, line: &str) -> std::io::Result<()> {
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    let made = file.metadata()?.len() == 0;
    file.write_all(line.as_bytes())?;
    file.sync_data()?;
    if made && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// The people the ledger lists after the last line this database applied, with the last
/// line's sequence: empty when there is no ledger or the database is up to date with it.
/// A line that cannot be read is skipped, and logged.
pub fn behind(conn: &Connection) -> anyhow::Result<(Vec<UserId>, i64)> {
    let Some(path) = path_of(conn) else {
        return Ok((Vec::new(), 0));
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => {
            return Err(e)
                .with_context(|| format!("cannot read the forget ledger {}", path.display()));
        }
    };
    let done = applied(conn)?;
    let (mut people, mut last) = (Vec::new(), done);
    for (n, line) in text.lines().enumerate() {
        let mut words = line.split_whitespace();
        let read = (words.next(), words.next(), words.next());
        let (Some(Ok(sequence)), Some(_), Some(user)) = (
            read.0.map(str::parse::<i64>),
            read.1,
            read.2.and_then(UserId::parse),
        ) else {
            tracing::warn!(
                line = n + 1,
                "a line of the forget ledger cannot be read; skipped"
            );
            continue;
        };
        if sequence > done {
            people.push(user);
            last = last.max(sequence);
        }
    }
    Ok((people, last))
}

/// Records that the ledger is applied up to `sequence`.
pub fn caught_up(conn: &Connection, sequence: i64) -> anyhow::Result<()> {
    set_applied(conn, sequence)?;
    Ok(())
}
