//! A workspace that removed the bot (`app_uninstalled`, or its bot token revoked): its
//! installation is forgotten and its queued posts are parked with the reason, since no token
//! will post them. Its projects, people and history stay until an operator exports them and
//! erases the workspace (`makers-bot erase`). Applying it twice, or both events in either order, ends the same way.

use rusqlite::Connection;

use crate::domain::TeamId;
use crate::store;

/// What removing a workspace did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    /// Whether an installation was there to forget.
    pub installation: bool,
    /// Posts parked.
    pub parked: usize,
    /// Answers to a `forget me` among them, deleted: the log is to be emptied after.
    pub forget_answers: bool,
    /// Raised before the workspace came back (a retry arriving late): nothing done.
    pub stale: Option<Stale>,
}

/// Why a removal is a late retry, of one the app was added back since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stale {
    /// Raised before the workspace's latest install through OAuth.
    InstalledSince,
    /// Raised before this start found `SLACK_BOT_TOKEN` working for its own workspace.
    TokenWorksSince,
}

/// Seconds by which Slack's clock and the bot's may differ (see [`remove_workspace`]).
const CLOCKS_MAY_DIFFER_SECS: i64 = 10;

/// When a removal was raised by Slack (if it says), and now; and whether the workspace is
/// `SLACK_BOT_TOKEN`'s own (as Slack said at start).
#[derive(Debug, Clone, Copy)]
pub struct RemovalTimes {
    pub raised_at: Option<i64>,
    pub now: i64,
    pub configured: bool,
    /// When this start found `SLACK_BOT_TOKEN` working for the workspace, its own, if it did.
    pub token_works_since: Option<i64>,
}

pub fn remove_workspace(
    conn: &Connection,
    team: &TeamId,
    reason: &str,
    when: RemovalTimes,
) -> anyhow::Result<Removed> {
    // Slack retries an event for minutes: one raised before the workspace installed again
    // must not take the new installation away. Slack's clock and ours may differ by a little:
    // only an install recorded well after the removal was raised counts (installing again
    // takes a person several clicks, never seconds).
    let stale = |stale| Removed {
        installation: false,
        parked: 0,
        forget_answers: false,
        stale: Some(stale),
    };
    if let (Some(raised), Some(installed)) = (when.raised_at, store::installed_at(conn, team)?)
        && installed > raised + CLOCKS_MAY_DIFFER_SECS
    {
        return Ok(stale(Stale::InstalledSince));
    }
    // Nor one raised before `SLACK_BOT_TOKEN` was found working for its own workspace at
    // this start (the app added back by hand, the new token set): with no OAuth install to
    // date it by, it would mark the workspace again, and no start be left to clear it.
    if let (Some(raised), Some(works)) = (when.raised_at, when.token_works_since)
        && works > raised + CLOCKS_MAY_DIFFER_SECS
    {
        return Ok(stale(Stale::TokenWorksSince));
    }
    let installation = store::remove_installation(conn, team, when.now)?;
    // `SLACK_BOT_TOKEN`'s own workspace, never installed through OAuth, removed that token
    // with the app: remembered as removed too, or its digests and nudges would go on being
    // queued and refused for a week each. The mark goes when a token works there again (at
    // a start, or asked at a request from it: `store::installed_again`).
    if !installation && when.configured {
        store::mark_removed(conn, team, when.now)?;
    }
    let given_up = give_up_posts(conn, team, reason, Owed::DigestsAndNudges, when.now)?;
    Ok(Removed {
        installation,
        parked: given_up.posts,
        forget_answers: given_up.forget_answers,
        stale: None,
    })
}

/// What [`give_up_posts`] owes again of what it gives up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owed {
    /// Digests only: the workspace keeps its installation (its token refused for a week), so
    /// the scheduler goes on queueing for it, and a nudge owed again would be queued, refused
    /// and given up at every look. A digest is owed by where it began, not by its due time,
    /// which stays handled.
    Digests,
    /// Digests and nudges: the app removed, nothing is queued for the workspace until it is
    /// installed again, and then its quiet projects are nudged.
    DigestsAndNudges,
}

/// What [`give_up_posts`] gave up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GivenUp {
    /// Posts parked or dropped.
    pub posts: usize,
    /// Whether answers to a `forget me` were among them, deleted: they named the person, so
    /// the log is to be emptied after, as once one is posted.
    pub forget_answers: bool,
}

/// Gives up every post queued for `team` (`store::park_team_posts`, with `why`), owing again
/// what a refusal of one owes (see `delivered::refused`): a channel's next digest starts
/// where the first given up did, so no week's news is lost, and (`owed`) a quiet project
/// given up is nudged again. Before, both were lost: the week's news was in no digest, and
/// the project never nudged for that quiet spell. The answers to a `forget me` among them
/// are deleted, not parked: each names the person forgotten.
pub fn give_up_posts(
    conn: &Connection,
    team: &TeamId,
    why: &str,
    owed: Owed,
    now: i64,
) -> anyhow::Result<GivenUp> {
    let store::QueuedTimed { digests, nudges } = store::queued_digests_and_nudges(conn, team)?;
    let forget_answers = store::drop_forget_answers(conn, team)?;
    let parked = store::park_team_posts(conn, team, why, now)?;
    for (channel, from) in digests {
        store::owe_digest_from(conn, team, &channel, from)?;
    }
    if owed == Owed::DigestsAndNudges {
        for number in nudges {
            store::nudge_again(conn, team, number)?;
        }
    }
    Ok(GivenUp {
        posts: forget_answers + parked,
        forget_answers: forget_answers > 0,
    })
}
