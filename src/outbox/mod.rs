//! The outbox: every post the bot makes goes through here. Handlers [`queue`] a [`Post`] in
//! the same transaction as the change that caused it, so a post is never lost nor made for a
//! change that rolled back; `slack::delivery` posts it later, paced and retried.
//!
//! A stored post is JSON with a version (`{"v":2,"notice":…}`), because rows written by one
//! build are delivered by the next: [`decode`] reads every version still in the field, and a
//! row it cannot read is failed alone, with its reason, never holding up the rows behind it.

use std::collections::HashSet;
use std::time::Duration;

use anyhow::Context;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::{
    ChannelId, MessageTs, ProjectHead, ProjectNumber, Slug, TeamId, UserId, public_name,
};
use crate::message::{AnnouncementBody, Notice};
use crate::store::{self, Lane, NewRow, StoredPost};

/// The version of the stored JSON written now. 1 was the bare notice, before versions.
const STORED_VERSION: u32 = 2;
/// Version 3 is 2 with `thread_of`, written only for a line waiting for its pitch's
/// announcement: a build that knows no `thread_of` refuses the row as newer instead of
/// posting the line on its own in the channel.
const STORED_VERSION_THREAD_OF: u32 = 3;

/// Why a post for a workspace without an installation fails (the worker's `Outcome::Failed`
/// for it; installing again does not resend it).
pub const NOT_INSTALLED: &str = "workspace not installed";

/// How long a workspace's posts wait for a working token (seconds since Slack first refused
/// it in this run of refusals) before they are given up, as a removal of the app gives them
/// up: long enough for an operator to notice over a holiday weekend, short enough that the
/// posts of a workspace gone for good (its removal missed) do not wait for ever.
pub const TOKEN_PATIENCE_SECS: i64 = 7 * 86_400;

/// A post to make.
#[derive(Debug, Clone)]
pub struct Post {
    pub team: TeamId,
    pub to: To,
    pub notice: Notice,
}

/// Where a post goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum To {
    /// A new message in a channel.
    Channel(ChannelId),
    /// A reply in the thread of the message with this ts.
    Thread(ChannelId, MessageTs),
    /// The bot's direct message with this person.
    Dm(UserId),
    /// In this channel, seen only by this person (`chat.postEphemeral`).
    Ephemeral(ChannelId, UserId),
    /// The same in the thread of the message with this ts, where they asked (Slack shows it
    /// there when the thread is already open, as one they are writing in is).
    EphemeralInThread(ChannelId, MessageTs, UserId),
    /// A reply in the thread of this project's announcement, which is not posted yet. The
    /// announcement, queued earlier in the same channel, goes first (a channel's posts go in
    /// order), so its ts is known by the time this one's turn comes.
    AnnouncementThread(ChannelId, i64),
}

impl Post {
    pub fn new(team: &TeamId, to: To, notice: Notice) -> Post {
        Post {
            team: team.clone(),
            to,
            notice,
        }
    }
}

/// A post as the worker delivers it: its address in Slack's terms and what to say.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: i64,
    pub team: TeamId,
    pub channel: ChannelId,
    pub thread_ts: Option<MessageTs>,
    /// Set for an ephemeral post: the one person who sees it.
    pub only_for: Option<UserId>,
    /// Set for a reply queued before its project's announcement was posted: the project,
    /// whose announcement's ts the thread is (looked up when it is posted).
    pub thread_of: Option<i64>,
    pub notice: Notice,
    /// Earlier tries (for backoff).
    pub attempts: u32,
    /// For a join line: its pitcher was already told of the join (while the line waited for
    /// an invitation; `store::set_pitcher_told`), so posting it tells them nothing more.
    /// For an update's line: its author was told it waits for an invitation; for an
    /// announcement, its pitcher; for a correction, whoever made it.
    pub pitcher_told: bool,
    /// How many times the bot joined the channel to post it (`store::note_joined`).
    pub joins: u32,
    /// How many of its tries met an HTTP 4xx (`store::note_http_refused`).
    pub http_refusals: u32,
}

/// What one attempt at a post came to. The worker finds it out; `handlers::delivered`
/// decides what follows from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered(MessageTs),
    /// A join line whose joiner Slack says is a bot: nothing was posted.
    JoinerIsBot,
    /// Timeout, connection error, 5xx or one of Slack's own hiccups: try again.
    Retry {
        after: Duration,
        why: String,
    },
    /// An HTTP 4xx that was not Slack's answer (a proxy's, say: `code`): try again after
    /// `after`, these counted apart (`Item::http_refusals`), as they alone bound its tries.
    HttpRefused {
        after: Duration,
        code: u16,
    },
    /// Not in the channel (`code`), the bot joined it to post: try again after `after`.
    Joined {
        after: Duration,
        code: String,
    },
    /// HTTP 429: this row and every post after it wait `Retry-After`.
    RateLimited(Duration),
    /// Slack refuses the workspace's bot token (`code`, one of
    /// `slack::client::TOKEN_REFUSED`): this row and every post to the workspace wait `after`
    /// (growing as for a retry) and are tried again, so a token put right (installed again,
    /// or `SLACK_BOT_TOKEN` corrected and the bot restarted) posts them all. Given up after
    /// [`TOKEN_PATIENCE_SECS`] of refusals.
    TokenRefused {
        code: String,
        after: Duration,
    },
    /// The bot is not in the channel and could not join it (`not_in_channel`,
    /// `channel_not_found`: the Slack error code).
    NotInChannel(String),
    /// The channel is archived.
    ChannelArchived,
    /// A line for the thread of project `project_id`'s announcement, which has not been
    /// posted: nothing was posted. (What becomes of the line depends on what became of the
    /// announcement, decided where the outcome is recorded.)
    NotAnnounced {
        project_id: i64,
    },
    /// A nudge no longer wanted when its turn came (Slack down meanwhile): its project has
    /// had news since it was queued, or was retired. Nothing was posted.
    NoLongerWanted,
    /// A nudge whose turn came outside working hours (queued in them, then held by Slack
    /// being down): not posted; its project is nudged again in working hours.
    OutOfHours,
    /// Any other refusal, with Slack's error code.
    Failed(String),
}

impl Outcome {
    /// Whether Slack took the workspace's token to give this answer (a post made, or refused
    /// for the channel's sake): then its token works, whatever it did before.
    pub fn shows_the_token_works(&self) -> bool {
        match self {
            Outcome::Delivered(_)
            | Outcome::JoinerIsBot
            | Outcome::Joined { .. }
            | Outcome::NotInChannel(_)
            | Outcome::ChannelArchived => true,
            // Not a call's answer about the token (a line whose announcement is not out, a
            // failure that may be ours), or the token refused.
            Outcome::Retry { .. }
            | Outcome::HttpRefused { .. }
            | Outcome::RateLimited(_)
            | Outcome::TokenRefused { .. }
            | Outcome::NotAnnounced { .. }
            | Outcome::NoLongerWanted
            | Outcome::OutOfHours
            | Outcome::Failed(_) => false,
        }
    }

    /// Whether the post is to be tried again (its row stays owed), rather than settled.
    pub fn tries_again(&self) -> bool {
        match self {
            Outcome::Retry { .. }
            | Outcome::HttpRefused { .. }
            | Outcome::Joined { .. }
            | Outcome::RateLimited(_)
            | Outcome::TokenRefused { .. } => true,
            Outcome::Delivered(_)
            | Outcome::JoinerIsBot
            | Outcome::NotInChannel(_)
            | Outcome::ChannelArchived
            | Outcome::NotAnnounced { .. }
            | Outcome::NoLongerWanted
            | Outcome::OutOfHours
            | Outcome::Failed(_) => false,
        }
    }
}

/// The stored form, versions 2 and 3 (3: with `thread_of`).
#[derive(Serialize, Deserialize)]
struct Stored {
    v: u32,
    notice: Notice,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    only_for: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    thread_of: Option<i64>,
    /// Written only when true. A build that does not know it reads the row all the same
    /// and would tell the pitcher a second time, which is no harm: no new version.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pitcher_told: bool,
    /// Written only once the bot has joined the channel for it; likewise no new version
    /// (an older build joins as often as it did).
    #[serde(default, skip_serializing_if = "is_zero")]
    joins: u32,
    /// Written only once a try met an HTTP 4xx; likewise no new version (an older build
    /// counts them with its other tries, as it did).
    #[serde(default, skip_serializing_if = "is_zero")]
    http_refusals: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Queues `post`, due at once.
pub fn queue(conn: &Connection, post: &Post, now: i64) -> anyhow::Result<i64> {
    insert(conn, post, now, now)
}

/// How long a process posting its own rows (`makers-bot digest --now`) keeps at them before
/// it hands back what is still owed to a running server, counted from before it queues them
/// (the queue's write, waiting on a server's lock, takes from it).
pub const FOR_SELF_WITHIN: Duration = Duration::from_secs(120);

/// How long rows queued for this process ([`queue_for_self`]), and its retries of them, are
/// kept from a running server's worker: [`FOR_SELF_WITHIN`], then the post in flight at that
/// deadline (a call is cut at 10 s), its recording (up to the 5 s busy timeout) and the last
/// tries at recording it (begun within 5 s, the last waiting up to 5 s), with room to spare. A process killed outright (SIGKILL, the OOM killer, a container restarted) hands
/// nothing back, and each of its rows holds its channel's later posts (they go in order)
/// until then: it was an hour.
pub const FOR_SELF_HOLD: Duration = Duration::from_secs(150);

/// Queues `post` for delivery by this process only: due [`FOR_SELF_HOLD`] from `now`, so a
/// running server's worker leaves it alone unless this process dies before posting it.
pub fn queue_for_self(conn: &Connection, post: &Post, now: i64) -> anyhow::Result<i64> {
    insert(conn, post, now, now + FOR_SELF_HOLD.as_secs() as i64)
}

fn insert(conn: &Connection, post: &Post, now: i64, due_at: i64) -> anyhow::Result<i64> {
    let dm;
    let mut thread_of = None;
    let (channel, thread_ts, only_for) = match &post.to {
        To::Channel(c) => (c, None, None),
        To::Thread(c, ts) => (c, Some(ts), None),
        To::Dm(user) => {
            dm = user.dm_channel();
            (&dm, None, None)
        }
        To::Ephemeral(c, user) => (c, None, Some(user.clone())),
        To::EphemeralInThread(c, ts, user) => (c, Some(ts), Some(user.clone())),
        To::AnnouncementThread(c, project_id) => {
            thread_of = Some(*project_id);
            (c, None, None)
        }
    };
    // A correction of an update's line already in Slack takes the channel's second lane: a
    // forget's thousands of them no longer hold back the channel's new posts, and nothing
    // that corrects a line says anything in the thread after it. An announcement's
    // correction stays in the first: the channel sees where a project is before its thread
    // is told (a phase, an edit), as the README promises.
    let lane = match (&post.notice, &post.to) {
        (Notice::UpdateCorrected { .. }, To::Thread(..)) => Lane::Corrections,
        _ => Lane::Posts,
    };
    let json = encode(&post.notice, only_for, thread_of)?;
    store::insert_post(
        conn,
        &NewRow {
            team: &post.team,
            channel,
            thread_ts,
            lane,
            json: &json,
            now,
            due_at,
        },
    )
}

fn encode(
    notice: &Notice,
    only_for: Option<UserId>,
    thread_of: Option<i64>,
) -> anyhow::Result<String> {
    let stored = Stored {
        v: match thread_of {
            Some(_) => STORED_VERSION_THREAD_OF,
            None => STORED_VERSION,
        },
        notice: notice.clone(),
        only_for,
        thread_of,
        // Set in the stored row once told (`store::set_pitcher_told`), never at queueing.
        pitcher_told: false,
        joins: 0,
        http_refusals: 0,
    };
    serde_json::to_string(&stored).context("cannot encode a post")
}

/// Gives project `body.project_id`'s announcement, while it waits to be posted (owed, or
/// parked for an invitation), the words of `body`, so it goes out with them. One the worker
/// has already taken may still go out as it was; the caller's correction mends that.
pub fn reword_unposted_announcement(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    body: &AnnouncementBody,
) -> anyhow::Result<usize> {
    let json = encode(&Notice::Announcement(body.clone()), None, None)?;
    store::reword_unposted_announcement(conn, team, channel, body.project_id, &json)
}

/// Brings update `update_id`'s words up to date in workspace `team`'s digests still to be
/// posted (see `Digest::reword_update`): `Some(words)` after a correction, `None` after a
/// withdrawal. A digest the worker has already taken goes out as it was. How many digests
/// changed.
pub fn reword_update_in_digests(
    conn: &Connection,
    team: &TeamId,
    update_id: i64,
    words: Option<&str>,
) -> anyhow::Result<usize> {
    let rows = store::digests_to_come(conn, team)?;
    edit_digests(conn, rows, |digest| digest.reword_update(update_id, words))
}

/// Leaves services `slugs`, taken out of the public catalogue (unpublished, taken down, or
/// their workspace erased), out of every workspace's digests still to be posted, which name
/// other workspaces' new services, and takes the "(catalogue)" link off their own
/// workspace's mentions of them. One the worker has already taken goes out as it was.
/// How many digests changed.
pub fn drop_services_from_digests(
    conn: &Connection,
    slugs: &HashSet<Slug>,
) -> anyhow::Result<usize> {
    if slugs.is_empty() {
        return Ok(0);
    }
    let rows = store::digests_to_come_everywhere(conn)?;
    edit_digests(conn, rows, |digest| digest.drop_services(slugs))
}

/// Gives project `project` (its head as edited: `edit`) its title and description now in
/// its workspace's digests still to be posted (see `Digest::retitle_project`), and, if it is
/// in the public catalogue, its name there in every other workspace's (which name it under
/// "New from other workspaces"). A digest the worker has already taken goes out as it was.
/// How many digests changed.
pub fn retitle_in_digests(
    conn: &Connection,
    team: &TeamId,
    project: &ProjectHead,
) -> anyhow::Result<usize> {
    let rows = store::digests_to_come(conn, team)?;
    let description = project.description.as_str();
    let mut changed = edit_digests(conn, rows, |digest| {
        digest.retitle_project(project.number, &project.title, description)
    })?;
    if let Some(slug) = &project.published {
        // This workspace's own digests never name its services among other workspaces'.
        let name = public_name(project.title.as_str());
        let rows = store::digests_to_come_everywhere(conn)?;
        changed += edit_digests(conn, rows, |digest| digest.rename_service(slug, &name))?;
    }
    Ok(changed)
}

/// Leaves project `number`, just retired (by `phase` or a merge), out of workspace `team`'s
/// digests still to be posted, whose new pitches and projects needing people would invite
/// people to join it, and whose headline would count it as open (see
/// `Digest::drop_open_project`). One the worker has already taken
/// goes out as it was. How many digests changed.
pub fn retire_in_digests(
    conn: &Connection,
    team: &TeamId,
    number: ProjectNumber,
) -> anyhow::Result<usize> {
    let rows = store::digests_to_come(conn, team)?;
    edit_digests(conn, rows, |digest| digest.drop_open_project(number))
}

/// Applies `edit` to each of the digests `rows` (queued, as stored), rewriting those it says
/// it changed. One that cannot be read is left for the worker to fail as it is.
fn edit_digests(
    conn: &Connection,
    rows: Vec<(i64, String)>,
    mut edit: impl FnMut(&mut crate::message::Digest) -> bool,
) -> anyhow::Result<usize> {
    let mut changed = 0;
    for (id, json) in rows {
        let Ok(mut decoded) = decode_json(&json) else {
            continue;
        };
        let Notice::Digest { digest, .. } = &mut decoded.notice else {
            continue;
        };
        if edit(digest) {
            let json = encode(&decoded.notice, decoded.only_for, decoded.thread_of)?;
            store::rewrite_post(conn, id, &json)?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// The JSON a post is stored as (for tests that pin the stored form).
pub fn stored_json(notice: &Notice, only_for: Option<&UserId>) -> anyhow::Result<String> {
    encode(notice, only_for.cloned(), None)
}

/// Reads a stored row, whichever version wrote it; `Err` says why it cannot be delivered.
pub fn decode(row: StoredPost) -> Result<Item, String> {
    let Decoded {
        notice,
        only_for,
        thread_of,
        pitcher_told,
        joins,
        http_refusals,
    } = decode_json(&row.json)?;
    Ok(Item {
        id: row.id,
        team: row.team,
        channel: row.channel,
        thread_ts: row.thread_ts,
        only_for,
        thread_of,
        notice,
        attempts: row.attempts,
        pitcher_told,
        joins,
        // A row of version 1 cannot keep the count: its tries bound it, as they did.
        http_refusals: http_refusals.unwrap_or(row.attempts),
    })
}

/// What a stored row says, whichever version wrote it.
struct Decoded {
    notice: Notice,
    only_for: Option<UserId>,
    thread_of: Option<i64>,
    pitcher_told: bool,
    joins: u32,
    /// `None` for version 1, which cannot keep it.
    http_refusals: Option<u32>,
}

fn decode_json(json: &str) -> Result<Decoded, String> {
    let value: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    let bad = |e: serde_json::Error| format!("undecodable notice: {e}");
    match value.get("v").and_then(Value::as_u64) {
        Some(2 | 3) => {
            let stored: Stored = serde_json::from_value(value).map_err(bad)?;
            Ok(Decoded {
                notice: stored.notice,
                only_for: stored.only_for,
                thread_of: stored.thread_of,
                pitcher_told: stored.pitcher_told,
                joins: stored.joins,
                http_refusals: Some(stored.http_refusals),
            })
        }
        None => {
            let (notice, only_for) = decode_v1(value).map_err(bad)?;
            Ok(Decoded {
                notice,
                only_for,
                thread_of: None,
                pitcher_told: false,
                joins: 0,
                http_refusals: None,
            })
        }
        Some(v) => Err(format!("stored by a newer build (version {v})")),
    }
}

/// Version 1 was the bare notice. Two shapes changed since: `private` carried the person it
/// was for, who is now part of the address; a reply's problem was stored already worded.
fn decode_v1(mut value: Value) -> Result<(Notice, Option<UserId>), serde_json::Error> {
    if let Some(reply) = value.get_mut("reply") {
        upgrade_v1_reply(reply);
    }
    if value.get("kind").and_then(Value::as_str) == Some("private") {
        let user: UserId = serde_json::from_value(value["user"].take())?;
        let reply = serde_json::from_value(value["reply"].take())?;
        return Ok((Notice::Reply { reply }, Some(user)));
    }
    Ok((serde_json::from_value(value)?, None))
}

/// `{"kind":"problem","text":…}` (v1) becomes a problem worded as stored.
fn upgrade_v1_reply(reply: &mut Value) {
    if reply.get("kind").and_then(Value::as_str) != Some("problem") {
        return;
    }
    if let Some(text) = reply.as_object_mut().and_then(|o| o.remove("text")) {
        reply["problem"] = serde_json::json!({ "kind": "worded", "text": text });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Notice;
    use crate::store::Store;

    /// A try met by an HTTP 4xx is counted apart from the row's other tries, which its
    /// decoded item carries (an hour of 5xx gave a first 4xx no tries left); a row of
    /// version 1 cannot keep the count, and its tries stand in for it.
    #[test]
    fn tries_met_by_a_4xx_are_counted_apart() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        store
            .write(|c| {
                let item = |id: i64| {
                    let (json, attempts): (String, u32) = c
                        .query_row(
                            "SELECT notice, attempts FROM outbox WHERE id = ?1",
                            [id],
                            |r| Ok((r.get(0)?, r.get(1)?)),
                        )
                        .unwrap();
                    decode(crate::store::StoredPost {
                        id,
                        team: crate::domain::TeamId::parse("T1").unwrap(),
                        channel: crate::domain::ChannelId::parse("C1").unwrap(),
                        thread_ts: None,
                        json,
                        attempts,
                    })
                    .unwrap()
                };
                // A notice that decodes whole, in each stored shape.
                let notice = r#"{"kind":"correction_refused","number":4,"why":"x"}"#;
                let mut ids = vec![];
                for json in [format!(r#"{{"v":2,"notice":{notice}}}"#), notice.to_string()] {
                    c.execute(
                        "INSERT INTO outbox (team_id, channel_id, notice, next_attempt_at, created_at)
                         VALUES ('T1', 'C1', ?1, 0, 0)",
                        [json],
                    )?;
                    ids.push(c.last_insert_rowid());
                }
                let (row, old) = (ids[0], ids[1]);
                for id in [row, old] {
                    for _ in 0..3 {
                        crate::store::reschedule(c, id, 0, "HTTP 502")?;
                    }
                    crate::store::reschedule(c, id, 0, "HTTP 407")?;
                    crate::store::note_http_refused(c, id)?;
                }
                let (now, then) = (item(row), item(old));
                assert_eq!((now.attempts, now.http_refusals), (4, 1));
                assert_eq!((then.attempts, then.http_refusals), (4, 4), "version 1");
                // Rewritten (a reworded update, say), each keeps its count: a fresh hour at
                // each rewrite would never give it up.
                let again = format!(r#"{{"v":2,"notice":{notice}}}"#);
                for id in [row, old] {
                    crate::store::rewrite_post(c, id, &again)?;
                }
                assert_eq!(item(row).http_refusals, 1);
                assert_eq!(item(old).http_refusals, 4, "version 1's tries, kept");
                assert!(matches!(
                    now.notice,
                    Notice::CorrectionRefused { .. }
                ));
                Ok(())
            })
            .unwrap();
    }

    /// A nudge queued by a build from before nudges named their project is read back without
    /// a title, and said by its number.
    #[test]
    fn a_nudge_stored_without_its_title_still_decodes() {
        let old = r#"{"v":2,"notice":{"kind":"nudge","number":3,"team":["U1"],"quiet_days":21}}"#;
        let Ok(Decoded { notice, .. }) = decode_json(old) else {
            panic!("an old nudge does not decode");
        };
        assert!(
            matches!(
                notice,
                Notice::Nudge {
                    title: None,
                    quiet_days: 21,
                    ..
                }
            ),
            "{notice:?}"
        );
    }

    /// A thread line queued before its pitch was announced keeps its project in the stored
    /// JSON (`thread_of`), no ts in its row, and is read back as such; a line for a known
    /// thread stores neither.
    #[test]
    fn a_line_for_a_thread_not_posted_yet_stores_its_project() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let team = TeamId::parse("T1").unwrap();
        let channel = ChannelId::parse("C1").unwrap();
        let ts = MessageTs::parse("1700000000.000100").unwrap();
        let notice = Notice::Publication {
            number: ProjectNumber::new(3).unwrap(),
            slug: None,
            by: UserId::parse("U1").unwrap(),
        };
        let post = |to| Post::new(&team, to, notice.clone());
        let (waiting, known) = store
            .write(|tx| {
                let waiting = queue(tx, &post(To::AnnouncementThread(channel.clone(), 7)), 0)?;
                let known = queue(tx, &post(To::Thread(channel.clone(), ts.clone())), 0)?;
                Ok((waiting, known))
            })
            .unwrap();
        let rows = store
            .read(|c| store::undelivered(c, &[waiting, known]))
            .unwrap();
        let items: Vec<Item> = rows
            .into_iter()
            .map(|r| decode(r.unwrap()).unwrap())
            .collect();
        assert_eq!(
            (items[0].thread_of, items[0].thread_ts.clone()),
            (Some(7), None)
        );
        assert_eq!(
            (items[1].thread_of, items[1].thread_ts.clone()),
            (None, Some(ts))
        );
        let json: Vec<String> = store
            .read(|c| {
                let mut stmt = c.prepare("SELECT notice FROM outbox ORDER BY id")?;
                let rows = stmt.query_map([], |r| r.get(0))?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .unwrap();
        // Version 3: a build that does not know `thread_of` refuses it rather than post it.
        assert!(json[0].starts_with(r#"{"v":3,"#), "{}", json[0]);
        assert!(json[0].ends_with(r#","thread_of":7}"#), "{}", json[0]);
        assert!(json[1].starts_with(r#"{"v":2,"#), "{}", json[1]);
        assert!(!json[1].contains("thread_of"), "{}", json[1]);
        assert!(!json[0].contains("pitcher_told"), "{}", json[0]);

        // Noting the pitcher told keeps the rest of the row as it was.
        store
            .write(|tx| store::set_pitcher_told(tx, items[0].id))
            .unwrap();
        let told = store
            .read(|c| store::undelivered(c, &[waiting]))
            .unwrap()
            .pop()
            .unwrap()
            .map(|r| decode(r).unwrap())
            .unwrap();
        assert!(told.pitcher_told && !items[0].pitcher_told);
        assert_eq!(
            (told.thread_of, told.notice),
            (Some(7), items[0].notice.clone())
        );
    }
}
