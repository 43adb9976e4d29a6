//! How many changes one person may make a minute. One person once queued 20,000 updates in
//! 11 seconds; the bot posts at most about one message a second into a channel (Slack's
//! pace), so that was hours of delay for everyone else.
//!
//! The numbers: by hand a person makes a change every few seconds at most (typing a command,
//! pressing a button, filling a form), so [`WriteBudget::PER_MINUTE`] = 60, one a second
//! sustained, is beyond hand speed, and a burst of [`WriteBudget::BURST`] = 150 lets someone
//! pitch a council's whole backlog from a script at once. A flood past that is held to one
//! change a second: the pace a channel is posted to anyway, so a flood cannot build a backlog
//! faster than the channel drains.
//!
//! `MAKERS_WRITES_PER_MINUTE` changes the rate (0 turns the limit off, for load benchmarks
//! that send everything as one person); the burst is never below 150.
//!
//! Kept in memory (a restart forgets it, which costs a flooder at most one more burst) and
//! counted per (workspace, person), by the time the request carries (nothing here reads the
//! clock). The scheme is GCRA: one "theoretical arrival time" per person.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use super::{TeamId, UserId};

/// Every person's remaining allowance of changes; clones share it.
#[derive(Debug, Clone)]
pub struct WriteBudget {
    people: Arc<Mutex<HashMap<(TeamId, UserId), Spent>>>,
    /// Microseconds between changes at the sustained rate; 0: no limit.
    interval: i64,
    /// How far ahead of now a person's arrival time may run: the burst less the one in hand.
    tolerance: i64,
}

impl Default for WriteBudget {
    fn default() -> Self {
        WriteBudget::per_minute(Self::PER_MINUTE as u32)
    }
}

#[derive(Debug, Clone, Copy)]
struct Spent {
    /// When the allowance would be whole again, in microseconds (GCRA's arrival time).
    full_at: i64,
    /// When the person was last told they are over it with a post: they are told at most
    /// once a [`TELL_AGAIN_AFTER`], however they keep trying (a change let through meanwhile
    /// does not start it again, or a script at the limit would be told once a second).
    told_at: Option<i64>,
}

/// How long a refusal is not told again, in microseconds.
const TELL_AGAIN_AFTER: i64 = 60 * MICROS;

/// A change refused for now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverBudget {
    /// Whole seconds until one more change is allowed (at least 1).
    pub wait_secs: u32,
    /// True for a refusal to tell: the first in a minute. Answers that cost a post (a
    /// button's ephemeral) are sent only then, so a flood of presses is not answered by a
    /// flood.
    pub first: bool,
    /// Set when this refusal was counted as told: the mark it set and the one it replaced,
    /// put back by [`WriteBudget::untell`] if the telling is never stored.
    told: Option<Told>,
}

/// A telling mark set by a refusal (microseconds), and the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Told {
    at: i64,
    before: Option<i64>,
}

const MICROS: i64 = 1_000_000;
/// People remembered before those whose allowance is whole again are forgotten.
const REMEMBERED: usize = 10_000;

impl WriteBudget {
    pub const PER_MINUTE: i64 = 60;
    pub const BURST: i64 = 150;

    /// `rate` changes a minute sustained, with a burst of [`Self::BURST`] or `rate` if more;
    /// 0 is no limit.
    pub fn per_minute(rate: u32) -> WriteBudget {
        let rate = i64::from(rate);
        let interval = if rate == 0 { 0 } else { 60 * MICROS / rate };
        WriteBudget {
            people: Default::default(),
            interval,
            tolerance: (Self::BURST.max(rate) - 1) * interval,
        }
    }

    /// Spends one change of `user`'s allowance at `now`, or says how long to wait; a
    /// refusal to tell ([`OverBudget::first`]) is counted as told, with a post.
    pub fn spend(
        &self,
        team: &TeamId,
        user: &UserId,
        now: DateTime<Utc>,
    ) -> Result<(), OverBudget> {
        self.spend_telling(team, user, now, true)
    }

    /// [`WriteBudget::spend`] for a change whose refusal is answered in the request's own
    /// reply (a slash command's, a form's), always and at no post (one answered after
    /// Slack's 3 s goes to the DM, a post this does not count): it does not start the
    /// minute in which refusals are not told, or a join by reaction refused just after
    /// would not be told that it did not join them.
    pub fn spend_answered_in_reply(
        &self,
        team: &TeamId,
        user: &UserId,
        now: DateTime<Utc>,
    ) -> Result<(), OverBudget> {
        self.spend_telling(team, user, now, false)
    }

    /// Gives back one change spent by `user` (their request's write failed, nothing of it
    /// recorded, and Slack will deliver it again, to be spent then).
    pub fn refund(&self, team: &TeamId, user: &UserId) {
        let mut people = self.people.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(spent) = people.get_mut(&(team.clone(), user.clone())) {
            // Below now it is a whole allowance, as if spent long ago (arrival is at least now).
            spent.full_at -= self.interval;
        }
    }

    /// Undoes `over`'s telling mark, if it set one (its request's write failed, so the post
    /// telling it was never stored, and Slack delivers it again: counted as told, the retry
    /// would be refused in silence). A mark set since, by a later telling, is kept.
    pub fn untell(&self, team: &TeamId, user: &UserId, over: &OverBudget) {
        let Some(told) = over.told else { return };
        let mut people = self.people.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(spent) = people.get_mut(&(team.clone(), user.clone()))
            && spent.told_at == Some(told.at)
        {
            spent.told_at = told.before;
        }
    }

    /// `posts`: whether a refusal to tell is told with a post, which starts the minute.
    fn spend_telling(
        &self,
        team: &TeamId,
        user: &UserId,
        now: DateTime<Utc>,
        posts: bool,
    ) -> Result<(), OverBudget> {
        if self.interval == 0 {
            return Ok(());
        }
        let now = now.timestamp_micros();
        let mut people = self.people.lock().unwrap_or_else(|p| p.into_inner());
        if people.len() >= REMEMBERED {
            people.retain(|_, spent| spent.full_at > now);
        }
        let spent = people.entry((team.clone(), user.clone())).or_insert(Spent {
            full_at: now,
            told_at: None,
        });
        // No spending leaves the arrival further ahead than the tolerance and one interval:
        // further still, the clock went back (a machine's clock set right), and the
        // allowance is whole again rather than held for as long as it went back; the next
        // refusal is told (a telling "in the future" would silence them until the clock
        // caught up).
        if spent.full_at - now > self.tolerance + self.interval {
            *spent = Spent {
                full_at: now,
                told_at: None,
            };
        }
        let arrival = spent.full_at.max(now);
        let ahead = arrival - now;
        if ahead > self.tolerance {
            let wait = ahead - self.tolerance;
            let first = spent
                .told_at
                .is_none_or(|told| now - told >= TELL_AGAIN_AFTER);
            let told = (first && posts).then(|| Told {
                at: now,
                before: spent.told_at.replace(now),
            });
            return Err(OverBudget {
                wait_secs: u32::try_from((wait + MICROS - 1) / MICROS)
                    .unwrap_or(u32::MAX)
                    .max(1),
                first,
                told,
            });
        }
        spent.full_at = arrival + self.interval;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(micros: i64) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(1_800_000_000 * MICROS + micros).unwrap()
    }

    #[test]
    fn a_burst_then_one_a_second() {
        let budget = WriteBudget::default();
        let (team, me, you) = (
            TeamId::parse("T1").unwrap(),
            UserId::parse("U1").unwrap(),
            UserId::parse("U2").unwrap(),
        );
        for _ in 0..WriteBudget::BURST {
            assert_eq!(budget.spend(&team, &me, at(0)), Ok(()));
        }
        let over = budget.spend(&team, &me, at(0)).unwrap_err();
        assert_eq!((over.wait_secs, over.first), (1, true));
        assert!(!budget.spend(&team, &me, at(500_000)).unwrap_err().first);
        // Someone else is not held up.
        assert_eq!(budget.spend(&team, &you, at(0)), Ok(()));
        // One more a second, and the refusals after it are not told again within the minute
        // (a script at the limit is not answered once a second)...
        assert_eq!(budget.spend(&team, &me, at(MICROS)), Ok(()));
        assert!(!budget.spend(&team, &me, at(MICROS)).unwrap_err().first);
        // A minute later a minute's worth is back.
        let later = MICROS + 60 * MICROS;
        for _ in 0..WriteBudget::PER_MINUTE {
            assert_eq!(budget.spend(&team, &me, at(later)), Ok(()));
        }
        // ...and the refusal after it is told: the minute since the last word has passed.
        assert!(budget.spend(&team, &me, at(later)).unwrap_err().first);
    }

    #[test]
    fn a_refusal_answered_in_a_reply_does_not_silence_the_minute() {
        let budget = WriteBudget::default();
        let (team, me) = (TeamId::parse("T1").unwrap(), UserId::parse("U1").unwrap());
        for _ in 0..WriteBudget::BURST {
            assert_eq!(budget.spend(&team, &me, at(0)), Ok(()));
        }
        // Refused in a slash command's reply, twice: no post, so nothing counted as told...
        assert!(budget.spend_answered_in_reply(&team, &me, at(0)).is_err());
        assert!(budget.spend_answered_in_reply(&team, &me, at(1)).is_err());
        // ...and the first refusal that costs a post is told, once.
        assert!(budget.spend(&team, &me, at(2)).unwrap_err().first);
        assert!(!budget.spend(&team, &me, at(3)).unwrap_err().first);
        // A reply's refusal is still a refusal, and does not end the minute's silence.
        assert!(budget.spend_answered_in_reply(&team, &me, at(4)).is_err());
        assert!(!budget.spend(&team, &me, at(5)).unwrap_err().first);
    }

    #[test]
    fn a_change_given_back_may_be_spent_again() {
        let budget = WriteBudget::default();
        let (team, me) = (TeamId::parse("T1").unwrap(), UserId::parse("U1").unwrap());
        for _ in 0..WriteBudget::BURST {
            assert_eq!(budget.spend(&team, &me, at(0)), Ok(()));
        }
        budget.refund(&team, &me);
        assert_eq!(budget.spend(&team, &me, at(0)), Ok(()));
        assert!(budget.spend(&team, &me, at(0)).is_err());
        // Someone never seen has nothing to give back.
        budget.refund(&team, &UserId::parse("U2").unwrap());
    }

    /// A refusal's telling whose write failed was never posted: untold, the next refusal is
    /// told; a telling made since is not undone, nor is a refusal that told nothing.
    #[test]
    fn a_telling_never_stored_is_undone() {
        let budget = WriteBudget::default();
        let (team, me) = (TeamId::parse("T1").unwrap(), UserId::parse("U1").unwrap());
        for _ in 0..WriteBudget::BURST {
            assert_eq!(budget.spend(&team, &me, at(0)), Ok(()));
        }
        let lost = budget.spend(&team, &me, at(1)).unwrap_err();
        assert!(lost.first);
        budget.untell(&team, &me, &lost);
        let told = budget.spend(&team, &me, at(2)).unwrap_err();
        assert!(told.first, "told again: the first telling was never stored");
        // A reply's refusal tells nothing, so undoing it leaves the telling at 2 counted.
        let in_reply = budget
            .spend_answered_in_reply(&team, &me, at(3))
            .unwrap_err();
        budget.untell(&team, &me, &in_reply);
        assert!(!budget.spend(&team, &me, at(4)).unwrap_err().first);
        // A minute on, a new telling; the one at 2, undone late, does not undo it.
        let minute = 2 + 60 * MICROS;
        let refused = (0..).find_map(|_| budget.spend(&team, &me, at(minute)).err());
        assert!(refused.unwrap().first);
        budget.untell(&team, &me, &told);
        assert!(!budget.spend(&team, &me, at(minute + 1)).unwrap_err().first);
    }

    #[test]
    fn a_rate_of_zero_is_no_limit() {
        let budget = WriteBudget::per_minute(0);
        let (team, me) = (TeamId::parse("T1").unwrap(), UserId::parse("U1").unwrap());
        for _ in 0..10_000 {
            assert_eq!(budget.spend(&team, &me, at(0)), Ok(()));
        }
    }

    #[test]
    fn a_clock_moved_back_refuses_nothing_it_should_not() {
        let budget = WriteBudget::default();
        let (team, me) = (TeamId::parse("T1").unwrap(), UserId::parse("U1").unwrap());
        assert_eq!(budget.spend(&team, &me, at(60 * MICROS)), Ok(()));
        assert_eq!(budget.spend(&team, &me, at(0)), Ok(()));
        // An hour back, after a burst spent: the allowance is whole, not held for the hour.
        let hour = 3_600 * MICROS;
        for _ in 0..WriteBudget::BURST {
            let _ = budget.spend(&team, &me, at(hour));
        }
        assert!(budget.spend(&team, &me, at(hour)).is_err());
        for _ in 0..WriteBudget::BURST {
            assert_eq!(budget.spend(&team, &me, at(0)), Ok(()));
        }
        // Within a burst's tolerance, a flood is still held, and told so.
        assert!(budget.spend(&team, &me, at(0)).unwrap_err().first);
    }
}
