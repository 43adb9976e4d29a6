//! Lines about refused anonymous requests (unsigned, a forged OAuth `state`, a callback's
//! `error`), at most one a minute each, saying how many went unlogged since the last: anyone
//! on the internet can send them, and a line each would let them flood the journal
//! (journald drops a service's lines past its rate limit, the bot's own errors with them).
//! Every refusal is still counted, by route and status, in `/metrics`.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};

/// The most often a refusal of one kind is logged.
const ONE_LINE_EVERY_SECS: u64 = 60;

pub struct RefusalLog {
    /// When the last line was let through (unix seconds).
    last: AtomicI64,
    unlogged: AtomicU64,
}

impl RefusalLog {
    pub const fn new() -> Self {
        RefusalLog {
            last: AtomicI64::new(i64::MIN),
            unlogged: AtomicU64::new(0),
        }
    }

    /// Whether a refusal at `now` (unix seconds) is logged: `Some(n)`, `n` the refusals not
    /// logged since the last line, once a minute (or once the clock has moved a minute
    /// either way); otherwise `None`, and it is counted for the next line.
    pub fn at(&self, now: i64) -> Option<u64> {
        let last = self.last.load(Relaxed);
        if now.abs_diff(last) >= ONE_LINE_EVERY_SECS
            && self
                .last
                .compare_exchange(last, now, Relaxed, Relaxed)
                .is_ok()
        {
            return Some(self.unlogged.swap(0, Relaxed));
        }
        self.unlogged.fetch_add(1, Relaxed);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_a_minute_says_how_many_went_unlogged() {
        let log = RefusalLog::new();
        assert_eq!(log.at(1_000), Some(0));
        assert_eq!(
            (log.at(1_000), log.at(1_030), log.at(1_059)),
            (None, None, None)
        );
        assert_eq!(log.at(1_060), Some(3));
        assert_eq!(log.at(1_061), None);
        // A clock set back a minute or more lets a line through rather than none for long.
        assert_eq!(log.at(900), Some(1));
    }
}
