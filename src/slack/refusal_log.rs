//! Lines about refused anonymous requests (unsigned, a forged OAuth `state`, a callback's
//! `error`), at most one a minute each, saying how many went unlogged since the last: anyone
//! on the internet can send them, and a line each would let them flood the journal
//! (journald drops a service's lines past its rate limit, the bot's own errors with them).
//! Every refusal is still counted, by route and status, in `/metrics`. Requests from a
//! workspace the bot does not serve are limited so too, per workspace ([`TeamRefusalLog`]).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};

/// The most often a refusal of one kind is logged.
const ONE_LINE_EVERY_SECS: u64 = 60;

/// The most workspaces a [`TeamRefusalLog`] remembers; those past it share one line a minute.
const MAX_TEAMS: usize = 1_000;

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

    /// Whether a line was let through less than a minute before `now`.
    fn within_a_minute(&self, now: i64) -> bool {
        now.abs_diff(self.last.load(Relaxed)) < ONE_LINE_EVERY_SECS
    }
}

/// A [`RefusalLog`] per workspace, for requests from one the bot does not serve: Slack sends
/// a `user_change` for every status change of every member there (thousands a day), and each
/// workspace is still named once a minute. Memory is bounded: past [`MAX_TEAMS`], those
/// logged over a minute ago are forgotten (with their count of unlogged), and then any more
/// share one line a minute.
pub struct TeamRefusalLog {
    teams: Mutex<BTreeMap<String, RefusalLog>>,
    overflow: RefusalLog,
}

impl TeamRefusalLog {
    pub const fn new() -> Self {
        TeamRefusalLog {
            teams: Mutex::new(BTreeMap::new()),
            overflow: RefusalLog::new(),
        }
    }

    /// As [`RefusalLog::at`], for `team`'s refusals alone.
    pub fn at(&self, team: &str, now: i64) -> Option<u64> {
        let mut teams = self.teams.lock().unwrap_or_else(|p| p.into_inner());
        if !teams.contains_key(team) && teams.len() >= MAX_TEAMS {
            teams.retain(|_, log| log.within_a_minute(now));
        }
        if let Some(log) = teams.get(team) {
            return log.at(now);
        }
        if teams.len() >= MAX_TEAMS {
            return self.overflow.at(now);
        }
        teams
            .entry(team.to_string())
            .or_insert_with(RefusalLog::new)
            .at(now)
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

    #[test]
    fn each_workspace_has_its_line_a_minute_and_memory_is_bounded() {
        let log = TeamRefusalLog::new();
        assert_eq!(log.at("T1", 1_000), Some(0));
        assert_eq!((log.at("T1", 1_001), log.at("T1", 1_059)), (None, None));
        assert_eq!(log.at("T1", 1_060), Some(2));
        for i in 2..=MAX_TEAMS {
            assert_eq!(log.at(&format!("T{i}"), 1_060), Some(0), "its own line");
        }
        // Full, every one logged within the minute: one more shares the overflow's line.
        assert_eq!((log.at("TX", 1_061), log.at("TY", 1_062)), (Some(0), None));
        // A minute on, those quiet since are forgotten and room is made.
        assert_eq!(log.at("TZ", 1_200), Some(0));
        assert!(log.teams.lock().unwrap().len() <= MAX_TEAMS);
    }
}
