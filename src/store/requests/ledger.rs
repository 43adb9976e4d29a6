//! The forget ledger: a line per request to be forgotten (`forget me`, `makers-bot forget`) in
//! a file beside the database, `<database>.forgotten`, so that putting back an older copy of
//! the database (a backup, a point-in-time restore) cannot bring a forgotten person back: at
//! open, the store forgets again whoever the ledger lists that the copy had not forgotten.
//! An operator's `takedown`, its `--lift` and `erase --yes` are written to it too, and made
//! again in order with the forgets, so that such a copy cannot serve a page taken down nor
//! bring an erased workspace back.
//!
//! A forget's line is `<sequence> <unix seconds> <user id>`; the others' are
//! `<sequence> <unix seconds> takedown <team id> <project number>`, `… lift <team id>
//! <project number>` and `… erase <team id>` (a build before them skips those as unreadable,
//! and reads the forgets as before; this one, skipping a kind it does not know, still numbers
//! the next line past it). A takedown's reason is not written: it may name
//! someone, and a forget cannot rewrite the ledger. The database keeps the last sequence it
//! applied (`forget_ledger`, which names nobody), so a person who takes part again after
//! being forgotten is not forgotten again by a restart; only a copy from before their request
//! is behind their line. The line is written and synced inside the request's transaction,
//! before it commits: a request that then fails is made by the next request, or at the next
//! open, which is what was asked.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rusqlite::Connection;

use crate::domain::{ProjectNumber, TeamId, UserId, is_id};

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

/// The last line applied, and when it was made (0 if applied before 0065 kept that).
fn applied_and_at(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    conn.prepare_cached("SELECT applied, applied_at FROM forget_ledger")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
}

/// Records line `sequence`, made at `at` (unix seconds), as the last applied. The time never
/// goes back (a clock set back): it bounds when the lines up to it were made.
fn set_applied(conn: &Connection, sequence: i64, at: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE forget_ledger SET applied = ?1, applied_at = MAX(applied_at, ?2)")?
        .execute([sequence, at])?;
    Ok(())
}

/// A request the ledger keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// `forget me`, `makers-bot forget`.
    Forget(UserId),
    /// `makers-bot takedown` (`lift: false`) or `takedown --lift`.
    Takedown {
        team: TeamId,
        number: ProjectNumber,
        lift: bool,
    },
    /// `makers-bot erase --yes`.
    Erase(TeamId),
}

impl Entry {
    /// The words of its line after the sequence and the time.
    fn words(&self) -> String {
        match self {
            Entry::Forget(user) => user.as_str().to_string(),
            Entry::Takedown { team, number, lift } => {
                let kind = if *lift { "lift" } else { "takedown" };
                format!("{kind} {} {}", team.as_str(), number.get())
            }
            Entry::Erase(team) => format!("erase {}", team.as_str()),
        }
    }

    /// Reads the words after the sequence and the time.
    fn read(words: &[&str]) -> Option<Entry> {
        let team = |t: &str| TeamId::parse(t).filter(|_| is_id(t, &['T']));
        match *words {
            [user] => UserId::parse(user)
                .filter(|u| is_id(u.as_str(), &['U', 'W']))
                .map(Entry::Forget),
            [kind @ ("takedown" | "lift"), t, n] => Some(Entry::Takedown {
                team: team(t)?,
                number: ProjectNumber::parse(n).filter(|_| !n.starts_with('#'))?,
                lift: kind == "lift",
            }),
            ["erase", t] => team(t).map(Entry::Erase),
            _ => None,
        }
    }
}

/// Writes `entry`, made at `now`, as the ledger's next line, synced, and records it as
/// applied (in the request's transaction). The next number is past both the database's and
/// the highest in the file: a line written by a request that then failed (its transaction
/// rolled back) keeps its number, and is replayed. The same request run again (a write batch
/// runs a unit again when another in it fails) finds its own line last and not yet applied,
/// and writes no second one. Returns the others whose lines are past the database's number,
/// in order, with their times: they wrote their lines and failed, and this one's number now
/// passes theirs, so the caller makes them first.
pub fn note(conn: &Connection, entry: &Entry, now: i64) -> anyhow::Result<Vec<(Entry, i64)>> {
    let Some(path) = path_of(conn) else {
        return Ok(Vec::new());
    };
    let done = applied(conn)?;
    let Ledger { lines, highest } = read(&path)?;
    let failed = lines
        .iter()
        .filter(|l| l.sequence > done && l.entry != *entry)
        .map(|l| (l.entry.clone(), l.at))
        .collect();
    let (sequence, at) = match lines.last() {
        Some(last) if last.sequence > done && last.entry == *entry => (last.sequence, last.at),
        _ => {
            let sequence = done.max(highest) + 1;
            append(&path, &format!("{sequence} {now} {}\n", entry.words()))
                .with_context(|| format!("cannot write the forget ledger {}", path.display()))?;
            (sequence, now)
        }
    };
    set_applied(conn, sequence, at)?;
    Ok(failed)
}

/// Whether `user` asked to be forgotten at or after `at_us` (microseconds; the ledger keeps
/// seconds, and a request in the same second counts as after): something they did before
/// asking, reaching the bot only now (a reaction's delivery retried), must not take part
/// again. Reads the ledger file; none for a database in memory.
pub fn forgotten_after(conn: &Connection, user: &UserId, at_us: i64) -> anyhow::Result<bool> {
    let Some(path) = path_of(conn) else {
        return Ok(false);
    };
    Ok(read(&path)?.lines.iter().any(|line| {
        line.entry == Entry::Forget(user.clone()) && at_us < (line.at + 1).saturating_mul(1_000_000)
    }))
}

/// Whether the ledger's last line about project `number` of `team` is its takedown (not a
/// lift, nor an erase of the workspace, after which the number may be another project's).
pub fn holds_takedown(
    conn: &Connection,
    team: &TeamId,
    number: ProjectNumber,
) -> anyhow::Result<bool> {
    let Some(path) = path_of(conn) else {
        return Ok(false);
    };
    let last = read(&path)?
        .lines
        .into_iter()
        .rev()
        .find_map(|l| match l.entry {
            Entry::Takedown {
                team: t,
                number: n,
                lift,
            } if t == *team && n == number => Some(!lift),
            Entry::Erase(t) if t == *team => Some(false),
            _ => None,
        });
    Ok(last.unwrap_or(false))
}

/// A line of the ledger, read.
struct Line {
    sequence: i64,
    at: i64,
    entry: Entry,
}

/// `user`'s requests in the forget ledger beside the database, for their export:
/// `[{"sequence", "at"}]` (unix seconds).
pub fn forget_requests(conn: &Connection, user: &UserId) -> anyhow::Result<serde_json::Value> {
    let Some(path) = path_of(conn) else {
        return Ok(serde_json::Value::Array(Vec::new()));
    };
    Ok(read(&path)?
        .lines
        .into_iter()
        .filter(|line| line.entry == Entry::Forget(user.clone()))
        .map(|line| serde_json::json!({"sequence": line.sequence, "at": line.at}))
        .collect())
}

/// The ledger as read.
struct Ledger {
    /// Its lines, in order.
    lines: Vec<Line>,
    /// The highest sequence of any line, those that cannot be read included (0 if none).
    highest: i64,
}

/// The ledger's lines, in order; none if there is no ledger. A line that cannot be read (a
/// line cut short by a power cut, a kind a later build writes) is skipped, and logged; but
/// its number, if it has one, still counts in [`Ledger::highest`], so that the next line is
/// past it and a later build finds its line under its own number (after a rollback).
fn read(path: &Path) -> anyhow::Result<Ledger> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Ok(Ledger {
                lines: Vec::new(),
                highest: 0,
            });
        }
        Err(e) => {
            return Err(e)
                .with_context(|| format!("cannot read the forget ledger {}", path.display()));
        }
    };
    let (mut lines, mut highest) = (Vec::new(), 0);
    for (n, line) in text.lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if let Some(sequence) = words.first().and_then(|s| s.parse::<i64>().ok()) {
            highest = highest.max(sequence);
        }
        let read = match words[..] {
            [sequence, at, ref rest @ ..] => sequence
                .parse::<i64>()
                .ok()
                .zip(at.parse::<i64>().ok())
                .zip(Entry::read(rest)),
            _ => None,
        };
        match read {
            Some(((sequence, at), entry)) => lines.push(Line {
                sequence,
                at,
                entry,
            }),
            None => tracing::warn!(
                line = n + 1,
                "a line of the forget ledger cannot be read; skipped"
            ),
        }
    }
    Ok(Ledger { lines, highest })
}

/// One write of `line` at the end of the ledger (made readable by its owner alone), synced;
/// and, when this made the file, its directory too, so the file survives a power cut. A last
/// line cut short (a power cut mid-write) is ended first, so it cannot run into this one.
fn append(path: &Path, line: &str) -> std::io::Result<()> {
    let mut file = OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    let size = file.metadata()?.len();
    let made = size == 0;
    let mut line = line.to_string();
    if !made {
        let mut last = [0u8];
        file.seek(SeekFrom::Start(size - 1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            line.insert(0, '\n');
        }
    }
    file.write_all(line.as_bytes())?;
    file.sync_data()?;
    if made && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// The last line of the ledger applied: its sequence, and when the lines up to it were made
/// at the latest (unix seconds).
pub type LastLine = (i64, i64);

/// The requests the ledger lists after the last line this database applied, in order, with
/// their times, and the last line's sequence and the latest time: empty when there is no
/// ledger or the database is up to date with it. A line that cannot be read is skipped, and
/// logged.
pub fn behind(conn: &Connection) -> anyhow::Result<(Vec<(Entry, i64)>, LastLine)> {
    let Some(path) = path_of(conn) else {
        return Ok((Vec::new(), (0, 0)));
    };
    let done = applied(conn)?;
    let (mut entries, mut last, mut at) = (Vec::new(), done, 0);
    for line in read(&path)?.lines {
        if line.sequence > done {
            entries.push((line.entry, line.at));
            last = last.max(line.sequence);
            at = at.max(line.at);
        }
    }
    Ok((entries, (last, at)))
}

/// How much of the ledger is beside the database: whether it can still say of everyone who
/// asked to be forgotten that they did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerKept {
    /// Every line the database applied (or none was ever written).
    Whole,
    /// Lines made at or before this time (unix seconds) may be missing: the oldest deleted
    /// by the operator (they may, once no older copy is kept), or the file lost with the
    /// machine.
    MissingTo(i64),
    /// Lines are missing, and when they were made is not known (applied by a build before
    /// `0065_forget_ledger_applied_at.sql`, which kept no time).
    MissingSinceUnknown,
}

/// How much of the ledger is beside the database. A line is missing where the sequence
/// jumps (from 0: the oldest lines deleted; or a line in between), made no later than the
/// line after the jump; or where the file ends (or is not there) before the last line the
/// database applied, made no later than that line, whose time the database keeps. A line
/// that cannot be read counts as missing: it might have named someone.
pub fn kept(conn: &Connection) -> anyhow::Result<LedgerKept> {
    let Some(path) = path_of(conn) else {
        return Ok(LedgerKept::Whole);
    };
    let (applied, applied_at) = applied_and_at(conn)?;
    let (mut previous, mut latest, mut missing_to) = (0, i64::MIN, None);
    for line in read(&path)?.lines {
        // The latest time so far, not this line's alone: a clock set back must not make a
        // missing line look older than it is.
        latest = latest.max(line.at);
        if line.sequence > previous + 1 {
            missing_to = Some(latest);
        }
        previous = previous.max(line.sequence);
    }
    if previous < applied {
        if applied_at == 0 {
            return Ok(LedgerKept::MissingSinceUnknown);
        }
        missing_to = Some(missing_to.map_or(applied_at, |t: i64| t.max(applied_at)));
    }
    Ok(missing_to.map_or(LedgerKept::Whole, LedgerKept::MissingTo))
}

/// The ledger missing beside a database that applied lines of it (see [`missing`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerMissing {
    /// Where it should be.
    pub path: PathBuf,
    /// The last of its lines the database applied.
    pub applied: i64,
}

impl std::fmt::Display for LedgerMissing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the forget ledger {} is missing, though this database applied its lines up to {}: \
             a copy of the database from before them put back will not forget those people \
             again (nor make an operator's takedowns and erases again); put back the newest \
             copy of the ledger from the old machine or your backups (mode 0600, owned by the \
             bot's user), or, with none, an empty file in its place, which says the loss is \
             known (its next line follows the database's)",
            self.path.display(),
            self.applied
        )
    }
}

/// The ledger, if it is missing beside a database that applied lines of it: lost with the
/// machine, or not copied with the database. Nothing can be made again from it then, and
/// [`behind`] alone, finding no lines, cannot tell. (A database that applied none may have
/// no ledger: nothing was ever written to one.)
pub fn missing(conn: &Connection) -> anyhow::Result<Option<LedgerMissing>> {
    let Some(path) = path_of(conn) else {
        return Ok(None);
    };
    // A database an older build wrote, from before the ledger, has none to miss.
    let kept: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'forget_ledger')",
        [],
        |r| r.get(0),
    )?;
    if !kept {
        return Ok(None);
    }
    let applied = applied(conn)?;
    // Not there, or not known to be there: either way, nothing can be read from it.
    let there = path.try_exists().unwrap_or(false);
    Ok((applied > 0 && !there).then_some(LedgerMissing { path, applied }))
}

/// Records that the ledger is applied up to `sequence`, its lines made by `at` at the latest.
pub fn caught_up(conn: &Connection, (sequence, at): LastLine) -> anyhow::Result<()> {
    set_applied(conn, sequence, at)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::domain::{TeamId, UserId};
    use crate::store::{Store, forget_everywhere};

    fn ledger(db: &std::path::Path) -> String {
        std::fs::read_to_string(format!("{}.forgotten", db.display())).unwrap()
    }

    fn users(text: &str) -> Vec<&str> {
        text.lines()
            .map(|l| l.rsplit(' ').next().unwrap())
            .collect()
    }

    /// Each forget has its own number; one whose line was written and whose transaction then
    /// rolled back keeps its number, and the next forget (anyone's) forgets them too; a line
    /// cut short by a power cut is ended, not run into.
    #[test]
    fn every_request_keeps_its_own_line_and_none_is_lost() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("l.db");
        let store = Store::open(&db).unwrap();
        let team = TeamId::parse("T1").unwrap();
        let [ann, bob, cat] = ["U0ANN", "U0BOB", "U0CAT"].map(|u| UserId::parse(u).unwrap());
        store
            .write(|tx| forget_everywhere(tx, &team, &ann, 10).map(|_| ()))
            .unwrap();
        store
            .write(|tx| forget_everywhere(tx, &team, &bob, 20).map(|_| ()))
            .unwrap();
        assert_eq!(ledger(&db), "1 10 U0ANN\n2 20 U0BOB\n");
        // Cat's forget writes its line, then fails: rolled back.
        let failed: anyhow::Result<()> = store.write(|tx| {
            forget_everywhere(tx, &team, &cat, 30)?;
            // Cat takes part again in the same transaction, then it fails.
            tx.execute(
                "INSERT INTO people (team_id, user_id, updated_at) VALUES ('T1', 'U0CAT', 30)",
                [],
            )?;
            anyhow::bail!("the batch failed")
        });
        assert!(failed.is_err());
        assert_eq!(ledger(&db), "1 10 U0ANN\n2 20 U0BOB\n3 30 U0CAT\n");
        // Cat is recorded again (as a copy put back would hold them).
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO people (team_id, user_id, updated_at) VALUES ('T1', 'U0CAT', 31)",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
        // The same request run again writes no second line.
        let _ = store.write(|tx| -> anyhow::Result<()> {
            forget_everywhere(tx, &team, &ann, 40)?;
            anyhow::bail!("rolled back")
        });
        store
            .write(|tx| forget_everywhere(tx, &team, &ann, 41).map(|_| ()))
            .unwrap();
        let text = ledger(&db);
        assert_eq!(users(&text), ["U0ANN", "U0BOB", "U0CAT", "U0ANN"], "{text}");
        let cats: i64 = store
            .write(|tx| {
                Ok(tx.query_row(
                    "SELECT COUNT(*) FROM people WHERE user_id = 'U0CAT'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(cats, 0, "Cat's failed forget is made by the next");

        // A power cut leaves a line cut short; the next line starts on its own.
        let path = format!("{}.forgotten", db.display());
        let mut torn = ledger(&db);
        torn.push_str("5 50 U0B");
        std::fs::write(&path, &torn).unwrap();
        store
            .write(|tx| forget_everywhere(tx, &team, &bob, 60).map(|_| ()))
            .unwrap();
        let text = ledger(&db);
        assert!(text.ends_with("5 50 U0B\n6 60 U0BOB\n"), "{text}");
    }

    /// What the ledger beside the database still says: lines deleted from its start or middle
    /// are missing up to the next line's time, lines cut from its end (or the whole file) up
    /// to the time the database applied the last; a database from before that time was kept
    /// cannot say when.
    #[test]
    fn the_ledger_kept_says_up_to_when_lines_may_be_missing() {
        use super::LedgerKept::{MissingSinceUnknown, MissingTo, Whole};
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("l.db");
        let store = Store::open(&db).unwrap();
        let path = format!("{}.forgotten", db.display());
        let kept = |file: Option<&str>, applied: i64, at: i64| {
            match file {
                Some(text) => std::fs::write(&path, text).unwrap(),
                None => drop(std::fs::remove_file(&path)),
            }
            store
                .write(|tx| {
                    tx.execute(
                        "UPDATE forget_ledger SET applied = ?1, applied_at = ?2",
                        [applied, at],
                    )?;
                    super::kept(tx)
                })
                .unwrap()
        };
        assert_eq!(kept(None, 0, 0), Whole, "nothing ever forgotten");
        assert_eq!(kept(Some("1 100 U0A\n2 200 U0B\n"), 2, 200), Whole);
        assert_eq!(kept(Some("2 200 U0B\n"), 2, 200), MissingTo(200));
        assert_eq!(kept(Some("1 100 U0A\n3 300 U0C\n"), 3, 300), MissingTo(300));
        assert_eq!(kept(Some("1 100 U0A\n"), 2, 200), MissingTo(200));
        assert_eq!(kept(None, 2, 200), MissingTo(200));
        assert_eq!(kept(Some(""), 2, 200), MissingTo(200), "emptied");
        assert_eq!(kept(None, 2, 0), MissingSinceUnknown);
        // A line that cannot be read might have named someone.
        assert_eq!(kept(Some("1 100\n2 200 U0B\n"), 2, 200), MissingTo(200));
        // A forget records its line's time.
        let (team, ann) = (
            TeamId::parse("T1").unwrap(),
            UserId::parse("U0ANN").unwrap(),
        );
        kept(None, 0, 0);
        store
            .write(|tx| forget_everywhere(tx, &team, &ann, 500).map(|_| ()))
            .unwrap();
        std::fs::remove_file(&path).unwrap();
        let missing = store.write(|tx| super::kept(tx)).unwrap();
        assert_eq!(missing, MissingTo(500));
    }

    /// A numbered line this build cannot read (a kind a later build writes, left by a
    /// rollback) keeps its number: the next line is past it, so neither shadows the other.
    #[test]
    fn a_line_of_a_kind_unknown_keeps_its_number() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("l.db");
        let store = Store::open(&db).unwrap();
        store
            .write(|tx| Ok(tx.execute("UPDATE forget_ledger SET applied = 4", [])?))
            .unwrap();
        let path = format!("{}.forgotten", db.display());
        std::fs::write(&path, "5 100 futurekind X\n").unwrap();
        let (team, ann) = (
            TeamId::parse("T1").unwrap(),
            UserId::parse("U0ANN").unwrap(),
        );
        store
            .write(|tx| forget_everywhere(tx, &team, &ann, 110).map(|_| ()))
            .unwrap();
        assert_eq!(ledger(&db), "5 100 futurekind X\n6 110 U0ANN\n");
    }
}
