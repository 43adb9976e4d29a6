//! One `serve` per database: an exclusive `flock` on `<MAKERS_DB>.lock` beside it, held while
//! `serve` runs. A second would run a second outbox worker and post everything twice (each
//! worker posts a due row before recording it), and both would migrate at once.
//!
//! A file of its own: SQLite's POSIX locks on the database are dropped when any descriptor
//! of it closes. The kernel lets go of an `flock` however its process ends (a `kill -9`
//! too), so the file is never removed: a stale one blocks nothing.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long [`hold`] waits for a lock held a moment: a process forked by another thread of
/// this one (a child it runs) keeps a copy of the lock's descriptor until it execs, and a
/// `serve` just stopped may still be going. A `serve` still running holds it past this.
const HELD_A_MOMENT: Duration = Duration::from_secs(1);

/// Takes the lock for the database at `path`, writing who holds it (this process's id and
/// host) in the file; `Err` says why not, in words for `MAKERS_DB`'s message.
pub fn hold(path: &Path) -> Result<File, String> {
    let lock = lock_path(path);
    let cannot = |e: std::io::Error| format!("cannot lock {}: {e}", lock.display());
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock)
        .map_err(cannot)?;
    let waited_from = Instant::now();
    while let Err(held) = take(&mut file, &lock) {
        if !held.is_held() || waited_from.elapsed() >= HELD_A_MOMENT {
            return Err(held.0);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    file.set_len(0).map_err(cannot)?;
    file.rewind().map_err(cannot)?;
    writeln!(file, "{} {}", std::process::id(), host()).map_err(cannot)?;
    Ok(file)
}

/// Whether a `serve` holds the database at `path` (`makers-bot check`, which creates
/// nothing: with no lock file, none does); `Err` says which holds it.
pub fn check_free(path: &Path) -> Result<(), String> {
    let lock = lock_path(path);
    let mut file = match open_to_check(&lock) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("cannot look at {}: {e}", lock.display())),
    };
    take(&mut file, &lock).map_err(|e| e.0)
    // Dropping the file lets go at once.
}

/// The lock file, opened to take its lock for a moment, never created: for writing where
/// that is allowed, since Linux's NFS client takes an `flock` as a POSIX lock, which an
/// exclusive lock needs a writable descriptor for (read-only, `check` refused every start
/// after the first there); for reading where it is not (someone else's file).
fn open_to_check(lock: &Path) -> std::io::Result<File> {
    match OpenOptions::new().read(true).write(true).open(lock) {
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            ) =>
        {
            OpenOptions::new().read(true).open(lock)
        }
        opened => opened,
    }
}

fn take(file: &mut File, lock: &Path) -> Result<(), NotTaken> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(TryLockError::WouldBlock) => {
            let mut held_by = String::new();
            let _ = file.read_to_string(&mut held_by);
            let _ = file.rewind();
            Err(NotTaken(
                format!(
                    "another makers-bot serve is using it ({} holds {}); stop that one first, as two would post everything twice",
                    holder(&held_by),
                    lock.display()
                ),
                true,
            ))
        }
        Err(TryLockError::Error(e)) => Err(NotTaken(
            format!("cannot lock {}: {e}", lock.display()),
            false,
        )),
    }
}

/// Why the lock was not taken, in words, and whether another holds it.
struct NotTaken(String, bool);

impl NotTaken {
    fn is_held(&self) -> bool {
        self.1
    }
}

/// `<MAKERS_DB>.lock` beside the database itself: a link to the file, or the same file
/// named another way, takes the same lock.
fn lock_path(path: &Path) -> PathBuf {
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| {
        let dir = folder_of(path);
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        match path.file_name() {
            Some(name) => dir.join(name),
            None => path.to_path_buf(),
        }
    });
    let mut name = real.into_os_string();
    name.push(".lock");
    PathBuf::from(name)
}

/// The directory the database file at `path` is in (`.` for a bare file name).
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// "process 1234 on bot-host" from the file's "1234 bot-host" (a pid alone names a process
/// in another container's namespace as if it were here).
fn holder(held_by: &str) -> String {
    let mut words = held_by.split_whitespace();
    match (words.next(), words.next()) {
        (Some(pid), Some(host)) if pid.bytes().all(|b| b.is_ascii_digit()) => {
            format!("process {pid} on {host}")
        }
        (Some(pid), None) if pid.bytes().all(|b| b.is_ascii_digit()) => format!("process {pid}"),
        _ => "another process".to_string(),
    }
}

/// This machine's (or container's) host name, as the kernel has it, or as `/etc/hostname`
/// says where `/proc/sys` is hidden (the systemd unit's `ProcSubset=pid`).
fn host() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .map(|h| h.trim().to_string())
        .find(|h| !h.is_empty() && !h.contains(char::is_whitespace))
        .unwrap_or_else(|| "this host".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_is_named_by_pid_and_host() {
        assert_eq!(holder("1234 bot-1\n"), "process 1234 on bot-1");
        assert_eq!(holder("1234\n"), "process 1234");
        assert_eq!(holder(""), "another process");
        assert_eq!(holder("garbage here"), "another process");
    }

    /// `check` opens the lock file for writing where it may (an exclusive lock over NFS
    /// needs it), and still creates none.
    #[test]
    fn check_opens_the_lock_file_for_writing_and_creates_none() {
        use std::os::fd::AsRawFd;
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("makers.db.lock");
        assert_eq!(
            open_to_check(&lock).unwrap_err().kind(),
            std::io::ErrorKind::NotFound
        );
        assert!(!lock.exists());
        std::fs::write(&lock, b"").unwrap();
        let file = open_to_check(&lock).unwrap();
        let info =
            std::fs::read_to_string(format!("/proc/self/fdinfo/{}", file.as_raw_fd())).unwrap();
        let flags = info
            .lines()
            .find_map(|l| l.strip_prefix("flags:"))
            .map(|f| u32::from_str_radix(f.trim(), 8).unwrap())
            .unwrap();
        assert_eq!(flags & 0o3, 0o2, "opened O_RDWR: {info}");
    }

    #[test]
    fn a_link_to_the_database_takes_the_same_lock() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("makers.db");
        std::fs::write(&db, b"").unwrap();
        let link = dir.path().join("link.db");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        let held = hold(&db).unwrap();
        let err = hold(&link).unwrap_err();
        assert!(
            err.contains("another makers-bot serve is using it (process "),
            "{err}"
        );
        assert!(check_free(&link).is_err());
        drop(held);
        assert!(check_free(&link).is_ok());
        assert!(hold(&link).is_ok());
    }

    #[test]
    fn check_creates_no_lock_file() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("makers.db");
        assert!(check_free(&db).is_ok());
        assert!(!dir.path().join("makers.db.lock").exists());
    }
}
