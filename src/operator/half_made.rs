//! Half-made copies that a `backup` killed outright left beside its target (SIGKILL from a
//! time limit, the OOM killer, a power cut: no signal handler runs). Each holds everything
//! copied so far, often the whole database, under a name no one looks for: the next
//! `backup` into that directory removes them, and says so.
//!
//! Which are left, and which a backup still running is making, is told by an `flock` on
//! [`TURN`] in the directory: each `backup` holds it shared while its copy is beside the
//! target. One that gets it alone knows that no other is making a copy there, so every
//! half-made copy there is left over. A lock, not the process id in the copy's name: a
//! backup run in a container has an id of another namespace, often 1. A file of its own, as
//! `db_lock`'s is: SQLite's POSIX locks on the copy are dropped when any descriptor of it
//! closes. The kernel lets go of an `flock` however its process ends, so the file is never
//! removed: it holds nothing, and a stale one blocks nothing.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

/// The lock file beside a backup's target (hidden: a clean-up by pattern, `makers-*.db`,
/// does not take it).
pub const TURN: &str = ".makers-bot-backup.lock";

/// What a file SQLite made begins with.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Takes this backup's turn in `folder`: first, if no other backup is making a copy there,
/// removes the half-made copies left there, saying so on stderr; then holds the lock shared
/// until the file returned is dropped. `None` where the lock cannot be had (a directory we
/// may not write, a filesystem without locks): the backup goes on, removing nothing.
pub fn take_turn(folder: &Path) -> Option<File> {
    let turn = OpenOptions::new()
        .read(true)
        // An exclusive lock over NFS is a POSIX one, which needs a writable descriptor.
        .write(true)
        .create(true)
        .truncate(false)
        .open(folder.join(TURN))
        .ok()?;
    if turn.try_lock().is_ok() {
        remove_left_over(folder);
        let _ = turn.unlock();
    }
    turn.lock_shared().ok()?;
    Some(turn)
}

/// Removes the half-made copies in `folder` (held alone: none is being made), with the
/// journal, log and index SQLite may have left beside each.
fn remove_left_over(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_ours = entry.file_name().to_str().is_some_and(is_half_made_name)
            && entry.file_type().is_ok_and(|t| t.is_file())
            && made_by_sqlite(&path);
        if !is_ours {
            continue;
        }
        for leftover in ["-journal", "-wal", "-shm"] {
            let mut beside = path.clone().into_os_string();
            beside.push(leftover);
            let _ = std::fs::remove_file(beside);
        }
        match std::fs::remove_file(&path) {
            Ok(()) => eprintln!(
                "makers-bot: removed {}, a half-made copy left by a backup that was killed \
                 before it could remove it",
                path.display()
            ),
            Err(e) => eprintln!(
                "makers-bot: cannot remove {}, a half-made copy left by a backup that was \
                 killed: {e}; remove it by hand, it holds people's data",
                path.display()
            ),
        }
    }
}

/// Whether `name` is one `operator::partial_copy` gives: `<stem>.partial-<process id>`.
fn is_half_made_name(name: &str) -> bool {
    name.rsplit_once(".partial-")
        .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether the file at `path` is SQLite's, or empty (a backup killed before its first
/// page): not someone else's file that happens to be named like ours.
fn made_by_sqlite(path: &Path) -> bool {
    let Ok(file) = File::open(path) else {
        return false;
    };
    let mut start = Vec::with_capacity(SQLITE_HEADER.len());
    match file
        .take(SQLITE_HEADER.len() as u64)
        .read_to_end(&mut start)
    {
        Ok(0) => true,
        Ok(_) => start == SQLITE_HEADER,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_partial_copys_own_name_is_taken_for_one() {
        assert!(is_half_made_name("makers-2026-11-30.partial-1234"));
        assert!(is_half_made_name("copy.partial-1"));
        assert!(!is_half_made_name("copy.partial-1-journal"));
        assert!(!is_half_made_name("copy.partial-"));
        assert!(!is_half_made_name("copy.partial-12x"));
        assert!(!is_half_made_name("makers-2026-11-30.db"));
    }

    #[test]
    fn a_file_not_sqlites_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let theirs = dir.path().join("notes.partial-7");
        std::fs::write(&theirs, b"someone else's notes").unwrap();
        let empty = dir.path().join("copy.partial-8");
        std::fs::write(&empty, b"").unwrap();
        drop(take_turn(dir.path()));
        assert!(theirs.exists());
        assert!(
            !empty.exists(),
            "an empty one is a copy killed before its first page"
        );
    }
}
