//! Per-channel pacing: at most one post a second in any channel (Slack's guidance for
//! `chat.postMessage`), no bursts. And per-workspace holds: after a 429 a workspace's posts
//! wait its `Retry-After`; Slack's limits are per workspace, so no other workspace waits. A
//! refused token, or a call Slack did not answer, holds the workspace for a wait growing with
//! those in a row.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

use super::classify::backoff;
use crate::domain::{ChannelId, TeamId};
use crate::store::Busy;

/// The least time between two posts to one channel.
const GAP: Duration = Duration::from_secs(1);

/// The longest a workspace's posts are held after calls Slack did not answer.
const UNANSWERED_HOLD_MOST: Duration = Duration::from_secs(30);

/// When each channel posted to in the last second may have its next post.
#[derive(Default)]
pub(super) struct Pacer {
    next: HashMap<ChannelId, Instant>,
    /// Workspaces Slack asked to wait, until when.
    held: HashMap<TeamId, Instant>,
    /// Workspaces whose bot token Slack refused, and how many times in a row.
    refused: HashMap<TeamId, u32>,
    /// Workspaces whose calls Slack did not answer in time, and how many in a row.
    unanswered: HashMap<TeamId, u32>,
}

impl Pacer {
    /// How long until `channel` may have its next post (zero: now).
    pub(super) fn ready_in(&self, channel: &ChannelId) -> Duration {
        self.next.get(channel).map_or(Duration::ZERO, |at| {
            at.saturating_duration_since(Instant::now())
        })
    }

    /// Holds every post to `team` for `wait` (Slack's `Retry-After`).
    pub(super) fn hold(&mut self, team: &TeamId, wait: Duration) {
        // Saturating: a wait no instant can hold is for good, not a panic.
        let now = Instant::now();
        let until = now
            .checked_add(wait)
            .unwrap_or(now + Duration::from_secs(86_400 * 365));
        self.held.insert(team.clone(), until);
    }

    /// Counts a refusal of `team`'s token; returns how many in a row (from 1).
    pub(super) fn token_refused(&mut self, team: &TeamId) -> u32 {
        one_more(&mut self.refused, team)
    }

    /// Counts a refusal of `team`'s token (a post's, or a question's: `users.info`,
    /// `conversations.info`, `reactions.get`) and holds the workspace's posts, and so its
    /// questions, for a wait growing with the refusals in a row, `least` at the least.
    /// Returns the wait and how many in a row (from 1): one place for the wait, so that no
    /// asker of a workspace whose token is refused for good asks again every 30 s for ever.
    pub(super) fn hold_refused(&mut self, team: &TeamId, least: Duration) -> (Duration, u32) {
        let in_a_row = self.token_refused(team);
        let wait = backoff(in_a_row.saturating_sub(1)).max(least);
        self.hold(team, wait);
        (wait, in_a_row)
    }

    /// Counts a call to `team` that Slack did not answer in time, and holds the workspace's
    /// posts for a wait growing with those in a row (1 s, 2 s, 4 s, … 30 s); returns the
    /// wait. Its Slack may be hanging, and each of its other channels' posts would wait out
    /// the call's 10 s too, every other workspace's posts behind them. At most 30 s, as the
    /// questions about reactors are held, not a refused token's 5 minutes: only a post's own
    /// answer ends the hold, so a longer one kept the workspace's posts (a pitch made just
    /// after Slack came back) waiting minutes for nothing; at 30 s a hanging Slack costs the
    /// worker 10 s in 40.
    pub(super) fn hold_unanswered(&mut self, team: &TeamId) -> Duration {
        let in_a_row = one_more(&mut self.unanswered, team);
        let wait = backoff(in_a_row.saturating_sub(1)).min(UNANSWERED_HOLD_MOST);
        self.hold(team, wait);
        wait
    }

    /// `team`'s token works: its refusals in a row are over.
    pub(super) fn token_works(&mut self, team: &TeamId) {
        self.refused.remove(team);
    }

    /// Slack answered a call for `team` (whatever it said): its calls unanswered in a row
    /// are over.
    pub(super) fn answered(&mut self, team: &TeamId) {
        self.unanswered.remove(team);
    }

    /// How long `team`'s posts are still held for because Slack refuses its token (`None`:
    /// they are not, or only for a rate limit, which is `chat.postMessage`'s alone).
    pub(super) fn refused_for(&self, team: &TeamId) -> Option<Duration> {
        self.held_for(team)
            .filter(|_| self.refused.contains_key(team))
    }

    /// How long `team`'s posts are still held for (`None`: they are not).
    pub(super) fn held_for(&self, team: &TeamId) -> Option<Duration> {
        self.held
            .get(team)
            .map(|until| until.saturating_duration_since(Instant::now()))
            .filter(|left| !left.is_zero())
    }

    /// The channels and workspaces that may not have a post at `now`.
    pub(super) fn busy(&self, now: Instant) -> Busy {
        Busy {
            channels: waiting(&self.next, now)
                .map(|c| c.as_str().into())
                .collect(),
            teams: waiting(&self.held, now)
                .map(|t| t.as_str().into())
                .collect(),
        }
    }

    /// How long after `now` the first channel or workspace busy at `now` may post again
    /// (`None`: none is). Given the same `now` as [`Pacer::busy`], so that what it passed over
    /// is waited for even if its time has come since.
    pub(super) fn next_ready(&self, now: Instant) -> Option<Duration> {
        let channels = self.next.values();
        let teams = self.held.values();
        channels
            .chain(teams)
            .map(|at| at.saturating_duration_since(now))
            .filter(|wait| !wait.is_zero())
            .min()
    }

    /// Waits until `channel` may have a post, and counts the post as made now.
    pub(super) async fn wait_for(&mut self, channel: &ChannelId) {
        // Channels free again are forgotten: the map holds those posted to in the last second.
        let now = Instant::now();
        self.next.retain(|_, at| *at > now);
        self.held.retain(|_, until| *until > now);
        tokio::time::sleep(self.ready_in(channel)).await;
        self.next.insert(channel.clone(), Instant::now() + GAP);
    }
}

/// Counts one more of `team`'s in `in_a_row`; returns how many in a row (from 1).
fn one_more(in_a_row: &mut HashMap<TeamId, u32>, team: &TeamId) -> u32 {
    let n = in_a_row.entry(team.clone()).or_default();
    *n = n.saturating_add(1);
    *n
}

/// The keys of `times` still in the future at `now`.
fn waiting<K>(times: &HashMap<K, Instant>, now: Instant) -> impl Iterator<Item = &K> {
    times
        .iter()
        .filter(move |(_, at)| **at > now)
        .map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_of_a_token_count_in_a_row_per_workspace_until_it_works() {
        let mut pacer = Pacer::default();
        let (a, b) = (TeamId::parse("T1").unwrap(), TeamId::parse("T2").unwrap());
        assert_eq!(pacer.token_refused(&a), 1);
        assert_eq!(pacer.token_refused(&a), 2);
        assert_eq!(
            pacer.token_refused(&b),
            1,
            "another workspace's are its own"
        );
        pacer.token_works(&a);
        assert_eq!(pacer.token_refused(&a), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn calls_unanswered_hold_the_workspace_longer_in_a_row_until_one_is_answered() {
        let mut pacer = Pacer::default();
        let (a, b) = (TeamId::parse("T1").unwrap(), TeamId::parse("T2").unwrap());
        assert_eq!(pacer.hold_unanswered(&a), Duration::from_secs(1));
        assert_eq!(pacer.hold_unanswered(&a), Duration::from_secs(2));
        assert_eq!(pacer.held_for(&a), Some(Duration::from_secs(2)));
        assert_eq!(pacer.held_for(&b), None, "another workspace's posts go on");
        assert_eq!(pacer.refused_for(&a), None, "not a refused token");
        pacer.answered(&a);
        assert_eq!(pacer.hold_unanswered(&a), Duration::from_secs(1));
        // Never past 30 s, however many: only a post's answer ends it.
        let most = (0..20).map(|_| pacer.hold_unanswered(&a)).max();
        assert_eq!(most, Some(Duration::from_secs(30)));
    }

    #[tokio::test(start_paused = true)]
    async fn pacer_allows_one_post_a_second_per_channel() {
        let mut pacer = Pacer::default();
        let c = ChannelId::parse("C1").unwrap();
        let start = Instant::now();
        assert_eq!(
            pacer.ready_in(&c),
            Duration::ZERO,
            "a channel never posted to"
        );
        pacer.wait_for(&c).await;
        assert!(start.elapsed() < Duration::from_millis(10));
        assert!(
            pacer.ready_in(&c) > Duration::from_millis(990),
            "just posted to"
        );
        pacer.wait_for(&c).await;
        assert!(start.elapsed() >= Duration::from_millis(990));
        pacer.wait_for(&c).await;
        assert!(start.elapsed() >= Duration::from_millis(1990));
        let other = ChannelId::parse("C2").unwrap();
        let before = Instant::now();
        pacer.wait_for(&other).await;
        assert!(
            before.elapsed() < Duration::from_millis(10),
            "channels are paced apart"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_held_workspace_waits_its_time_and_says_how_long() {
        let mut pacer = Pacer::default();
        let (held, free) = (TeamId::parse("T1").unwrap(), TeamId::parse("T2").unwrap());
        pacer.hold(&held, Duration::from_secs(30));
        let now = Instant::now();
        assert_eq!(pacer.held_for(&held), Some(Duration::from_secs(30)));
        assert_eq!(pacer.held_for(&free), None);
        assert_eq!(pacer.busy(now).teams, ["T1".to_string()].into());
        assert_eq!(pacer.next_ready(now), Some(Duration::from_secs(30)));
        tokio::time::advance(Duration::from_secs(30)).await;
        // Asked about the earlier instant, the wait is still owed: what was passed over
        // then is looked at again, not left for the idle poll.
        assert_eq!(pacer.next_ready(now), Some(Duration::from_secs(30)));
        assert_eq!(pacer.held_for(&held), None);
        assert!(pacer.busy(Instant::now()).teams.is_empty());
        assert_eq!(pacer.next_ready(Instant::now()), None);
    }
}
