//! The outbox table: posts waiting to go to Slack, written in the same transaction as the
//! change that caused them. What a row means (its JSON) is `outbox`'s business; this file
//! only stores and finds rows.

use anyhow::Context;
use rusqlite::{Connection, OptionalExtension, params};

use super::doing;

use crate::domain::{ChannelId, MessageTs, ProjectNumber, TeamId, UserId};

/// A row as stored: the address is typed, the notice is still the JSON it was written as
/// (`outbox::decode` reads it, so one bad row can be failed alone).
#[derive(Debug, Clone)]
pub struct StoredPost {
    pub id: i64,
    pub team: TeamId,
    pub channel: ChannelId,
    pub thread_ts: Option<MessageTs>,
    pub json: String,
    pub attempts: u32,
}

/// A row whose address does not parse: there is nowhere to post it.
#[derive(Debug, Clone)]
pub struct BadRow {
    pub id: i64,
    pub why: String,
}

/// Why a row was parked as failed when the bot was not in its channel; a later
/// `member_joined_channel` for the bot requeues such rows.
pub const WAITING_FOR_CHANNEL: &str = "not_in_channel";

/// What became of a project's announcement, for a line waiting for its thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnouncementFate {
    /// Posted, its ts recorded.
    Posted,
    /// Still to be posted (due, or to be tried again).
    Owed,
    /// Parked until the bot is invited to its channel.
    Parked,
    /// Failed for good, or gone: it will never be posted.
    Never,
}

/// SQL for `field` of the notice a row stores, in either stored shape (version 1 had the
/// notice at the top), NULL where the text is not JSON. The `CASE` guards the read: SQLite
/// does not promise to test a `json_valid` beside it in a `WHERE` first, and `json_extract`
/// of text that is not JSON fails the whole statement.
pub(super) fn notice_field(field: &str) -> String {
    notice_field_of("notice", field)
}

/// [`notice_field`] of the notice in `column` (`d.notice`: a table named again in a
/// subquery).
pub(super) fn notice_field_of(column: &str, field: &str) -> String {
    format!(
        "CASE WHEN json_valid({column}) THEN COALESCE(json_extract({column}, '$.notice.{field}'),
                                                    json_extract({column}, '$.{field}')) END"
    )
}

/// What became of project `project_id`'s announcement in `channel`. It reads the channel's
/// rows (`outbox_by_channel`: no index holds failed ones alone), which is rare: only for a
/// line whose announcement was not posted when its turn came. Both stored shapes are read
/// (version 1 had the notice at the top).
pub fn announcement_fate(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    project_id: i64,
) -> anyhow::Result<AnnouncementFate> {
    if super::announcement_of(conn, project_id)?.is_some() {
        return Ok(AnnouncementFate::Posted);
    }
    let newest: Option<(bool, Option<String>)> = doing("cannot look for an announcement", || {
        conn.prepare_cached(&announcement_fate_sql())?
            .query_row(params![team.as_str(), channel.as_str(), project_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
    })?;
    Ok(match newest {
        Some((true, _)) => AnnouncementFate::Owed,
        Some((false, Some(why))) if why == WAITING_FOR_CHANNEL => AnnouncementFate::Parked,
        Some(_) | None => AnnouncementFate::Never,
    })
}

/// [`announcement_fate`]'s query: the newest row of the announcement not yet delivered.
fn announcement_fate_sql() -> String {
    let (kind, project) = (notice_field("kind"), notice_field("project_id"));
    format!(
        "SELECT failed_at IS NULL, last_error FROM outbox
         WHERE team_id = ?1 AND channel_id = ?2 AND delivered_at IS NULL
           AND {kind} = 'announcement' AND {project} = ?3
         ORDER BY id DESC LIMIT 1"
    )
}

/// SQL for a row's new stored form `$json` (a parameter, as `outbox::encode` writes it) with
/// what the row has kept about its tries carried over: how often the bot joined its channel
/// for it, its tries met by a 4xx (a row of version 1 counted them with its other tries) and
/// whether its pitcher was told. A rewrite (a reworded update, an edited pitch) otherwise
/// started them again: a post behind a proxy's 403 had a fresh hour at each.
macro_rules! carried {
    ($json:literal) => {
        concat!(
            "json_set(",
            $json,
            ", '$.joins', COALESCE(json_extract(notice, '$.joins'), 0),
               '$.http_refusals', COALESCE(json_extract(notice, '$.http_refusals'),
                                           CASE WHEN json_extract(notice, '$.v') IS NULL
                                                THEN attempts ELSE 0 END),
               '$.pitcher_told', json(CASE WHEN json_extract(notice, '$.pitcher_told')
                                           THEN 'true' ELSE 'false' END))"
        )
    };
}

/// Replaces the stored post (`json`) of project `project_id`'s announcement while it waits to
/// be posted (owed, or parked for an invitation); how many rows changed.
/// What its row kept of its tries is kept (`carried!`).
pub fn reword_unposted_announcement(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    project_id: i64,
    json: &str,
) -> anyhow::Result<usize> {
    let (kind, project) = (notice_field("kind"), notice_field("project_id"));
    doing("cannot reword an announcement not yet posted", || {
        conn.prepare_cached(&format!(
            "UPDATE outbox SET notice = {carried}
             WHERE team_id = ?1 AND channel_id = ?2 AND delivered_at IS NULL
               AND (failed_at IS NULL OR last_error = ?5)
               AND {kind} = 'announcement' AND {project} = ?3",
            carried = carried!("?4")
        ))?
        .execute(params![
            team.as_str(),
            channel.as_str(),
            project_id,
            json,
            WAITING_FOR_CHANNEL
        ])
    })
}

/// Which of its channel's two lanes a row waits in (`outbox.lane`, migration 0064): each is
/// taken in the order queued, and the channel's pacing is shared by both
/// ([`super::due_heads`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// New messages, and everything else.
    Posts,
    /// Corrections of messages already in Slack (`chat.update` of a known ts): they post
    /// nothing new, so none need wait for the channel's new posts, nor these for them.
    Corrections,
}

impl Lane {
    pub(super) const fn stored(self) -> i64 {
        match self {
            Lane::Posts => 0,
            Lane::Corrections => 1,
        }
    }
}

/// Where a new row goes and when it falls due.
pub struct NewRow<'a> {
    pub team: &'a TeamId,
    pub channel: &'a ChannelId,
    pub thread_ts: Option<&'a MessageTs>,
    pub lane: Lane,
    pub json: &'a str,
    /// Unix seconds.
    pub now: i64,
    /// Unix seconds; `now` for "at once".
    pub due_at: i64,
}

/// Inserts a row; returns its id.
pub fn insert_post(conn: &Connection, row: &NewRow<'_>) -> anyhow::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO outbox (team_id, channel_id, thread_ts, notice, next_attempt_at, created_at,
                             lane)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        row.team.as_str(),
        row.channel.as_str(),
        row.thread_ts.map(MessageTs::as_str),
        row.json,
        row.due_at,
        row.now,
        row.lane.stored()
    ])
    .context("cannot queue a post")?;
    Ok(conn.last_insert_rowid())
}

/// Undelivered rows among `ids`, whenever they are due.
pub fn undelivered(
    conn: &Connection,
    ids: &[i64],
) -> anyhow::Result<Vec<Result<StoredPost, BadRow>>> {
    let mut out = Vec::new();
    for id in ids {
        out.extend(rows_where(
            conn,
            &format!("id = ?1 AND {OWED}"),
            params![id],
        )?);
    }
    Ok(out)
}

/// Takes `hold` seconds off when those of the rows `ids` still owed fall due, but not to
/// before `now` (no attempt is counted): what a process that held them back (`digest
/// --now`) leaves to a running server, a 429's `Retry-After` still honoured.
pub fn due_now(conn: &Connection, ids: &[i64], hold: i64, now: i64) -> anyhow::Result<()> {
    doing("cannot make the posts due", || {
        let mut stmt = conn.prepare_cached(&format!(
            "UPDATE outbox SET next_attempt_at = MAX(?2, next_attempt_at - ?3)
             WHERE id = ?1 AND next_attempt_at > ?2 AND {OWED}"
        ))?;
        for id in ids {
            stmt.execute(params![id, now, hold])?;
        }
        Ok(())
    })
}

/// How many of the rows `ids` Slack took, how many it refused for good (failed), and how
/// many are still owed.
pub fn settled_among(conn: &Connection, ids: &[i64]) -> anyhow::Result<Settled> {
    doing("cannot read what became of the posts", || {
        let mut stmt = conn.prepare_cached(
            "SELECT delivered_at IS NOT NULL, failed_at IS NOT NULL FROM outbox WHERE id = ?1",
        )?;
        let mut settled = Settled::default();
        for id in ids {
            let row = stmt
                .query_row(params![id], |r| {
                    Ok((r.get::<_, bool>(0)?, r.get::<_, bool>(1)?))
                })
                .optional()?;
            match row {
                Some((true, _)) => settled.delivered += 1,
                Some((false, true)) => settled.refused += 1,
                Some((false, false)) => settled.owed += 1,
                None => {}
            }
        }
        Ok(settled)
    })
}

/// What became of some posts ([`settled_among`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Settled {
    pub delivered: usize,
    pub refused: usize,
    pub owed: usize,
}

/// Rows as stored; one whose address does not parse comes back as a [`BadRow`] so the others
/// are not held up by it.
fn rows_where(
    conn: &Connection,
    condition: &str,
    args: impl rusqlite::Params,
) -> anyhow::Result<Vec<Result<StoredPost, BadRow>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, team_id, channel_id, thread_ts, notice, attempts FROM outbox WHERE {condition}"
    ))?;
    let rows = stmt.query_map(args, |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, u32>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, team, channel, thread_ts, json, attempts) =
            row.context("cannot read the outbox")?;
        out.push(typed(id, &team, &channel, thread_ts, json, attempts));
    }
    Ok(out)
}

/// A row's columns as a [`StoredPost`], or a [`BadRow`] if its address does not parse.
pub(super) fn typed(
    id: i64,
    team: &str,
    channel: &str,
    thread_ts: Option<String>,
    json: String,
    attempts: u32,
) -> Result<StoredPost, BadRow> {
    let bad = |what: &str, value: &str| BadRow {
        id,
        why: format!("stored {what} {value:?} is not valid"),
    };
    match (TeamId::parse(team), ChannelId::parse(channel)) {
        (Some(team), Some(channel)) => Ok(StoredPost {
            id,
            team,
            channel,
            thread_ts: thread_ts.as_deref().and_then(MessageTs::parse),
            json,
            attempts,
        }),
        (None, _) => Err(bad("team id", team)),
        (_, None) => Err(bad("channel id", channel)),
    }
}

pub fn mark_delivered(conn: &Connection, id: i64, ts: &MessageTs, now: i64) -> anyhow::Result<()> {
    doing("cannot mark the post delivered", || {
        conn.prepare_cached(
            "UPDATE outbox SET delivered_at = ?2, message_ts = ?3, attempts = attempts + 1,
                               last_error = NULL
             WHERE id = ?1",
        )?
        .execute(params![id, now, ts.as_str()])?;
        Ok(())
    })
}

/// A row still to be tried (not posted, not given up): what the partial index on owed rows
/// holds.
pub(super) const OWED: &str = "delivered_at IS NULL AND failed_at IS NULL";

/// A row parked until the bot is invited to its channel. The reason is written out, not
/// bound, for SQLite to use the partial index on parked rows.
pub(super) fn parked() -> String {
    format!(
        "delivered_at IS NULL AND failed_at IS NOT NULL AND last_error = '{WAITING_FOR_CHANNEL}'"
    )
}

/// Rows still to be tried, then rows parked for an invitation: each kind read by its own
/// partial index (one condition joining the two would read the channel's rows, delivered
/// ones and all, by `outbox_by_channel`; before it, the whole outbox).
pub(super) fn owed_then_parked() -> [String; 2] {
    [OWED.to_string(), parked()]
}

/// Whether posts wait in `channel` for the bot to be invited there: Slack has said the bot
/// is not a member, and nobody has invited it since.
pub fn waits_for_invitation(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
) -> anyhow::Result<bool> {
    doing("cannot look for posts waiting for an invitation", || {
        conn.prepare_cached(&format!(
            "SELECT EXISTS (SELECT 1 FROM outbox
                            WHERE team_id = ?1 AND channel_id = ?2 AND {})",
            parked()
        ))?
        .query_row(params![team.as_str(), channel.as_str()], |r| r.get(0))
    })
}

/// Whether update `update_id`'s line in `channel` is still to be posted: waiting its turn,
/// on its way, or parked until the bot is invited.
pub fn update_line_to_come(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    update_id: i64,
) -> anyhow::Result<bool> {
    let about = format!(
        "{} = 'update' AND {} = ?3",
        notice_field("kind"),
        notice_field("update")
    );
    doing("cannot look for the update's line", || {
        // Owed and parked rows each by their own partial index, as `withdraw_join_line` does.
        let parked = parked();
        conn.prepare_cached(&format!(
            "SELECT EXISTS (SELECT 1 FROM outbox
                            WHERE team_id = ?1 AND channel_id = ?2 AND {OWED} AND {about})
                 OR EXISTS (SELECT 1 FROM outbox
                            WHERE team_id = ?1 AND channel_id = ?2 AND {parked} AND {about})"
        ))?
        .query_row(params![team.as_str(), channel.as_str(), update_id], |r| {
            r.get(0)
        })
    })
}

/// Writes `text` into every post of update `update_id`'s words in `channel` (its line and
/// earlier corrections, posted or not): one still to come goes out with them, and the words
/// taken back are not kept in the posts. `None` marks them withdrawn (JSON `null`): one still
/// to come goes out saying so. Returns how many rows changed. It reads the channel's rows
/// (`outbox_by_channel`), the delivered ones kept 30 days too (by design: they hold the
/// words); a correction is rare.
pub fn reword_update_posts(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    update_id: i64,
    text: Option<&str>,
) -> anyhow::Result<usize> {
    doing("cannot reword the update's posts", || {
        conn.prepare_cached(&reword_update_posts_sql())?
            .execute(params![team.as_str(), channel.as_str(), update_id, text])
    })
}

/// [`reword_update_posts`]'s statement. Only version 2 rows carry an update's id, so
/// `$.notice` is where the text is; a NULL `?4` is written as JSON `null`.
fn reword_update_posts_sql() -> String {
    let about = format!(
        "{} IN ('update', 'update_corrected') AND {} = ?3",
        notice_field("kind"),
        notice_field("update")
    );
    format!(
        "UPDATE outbox SET notice = json_set(notice, '$.notice.text', ?4)
         WHERE team_id = ?1 AND channel_id = ?2 AND {about}"
    )
}

/// The digests to workspace `team`'s digest channels still to be posted, as `(row id, stored
/// JSON)`, each channel's through its index of owed rows (`outbox_heads`). A digest is never
/// parked for an invitation: a channel it cannot be posted in has its digest failed and its
/// subscription stopped until the bot is invited back (`handlers::delivered`), so no digest is
/// owed there.
pub fn digests_to_come(conn: &Connection, team: &TeamId) -> anyhow::Result<Vec<(i64, String)>> {
    digests_to_come_in(conn, Some(team))
}

/// [`digests_to_come`] in every workspace.
pub fn digests_to_come_everywhere(conn: &Connection) -> anyhow::Result<Vec<(i64, String)>> {
    digests_to_come_in(conn, None)
}

/// Digests still to be posted in the subscribed channels of `team`, or of every workspace:
/// looked up channel by channel (the outbox's index), not by reading every owed row.
fn digests_to_come_in(
    conn: &Connection,
    team: Option<&TeamId>,
) -> anyhow::Result<Vec<(i64, String)>> {
    let digest = format!("{} = 'digest'", notice_field("kind"));
    doing("cannot read the digests to come", || {
        let channel = |r: &rusqlite::Row<'_>| Ok((r.get(0)?, r.get(1)?));
        let channels: Vec<(String, String)> = match team {
            Some(team) => conn
                .prepare_cached(
                    "SELECT team_id, channel_id FROM digest_subscriptions WHERE team_id = ?1",
                )?
                .query_map([team.as_str()], channel)?
                .collect::<Result<_, _>>()?,
            None => conn
                .prepare_cached("SELECT team_id, channel_id FROM digest_subscriptions")?
                .query_map([], channel)?
                .collect::<Result<_, _>>()?,
        };
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT id, notice FROM outbox
             WHERE team_id = ?1 AND channel_id = ?2 AND {OWED} AND {digest}"
        ))?;
        let mut rows = Vec::new();
        for (team, channel) in &channels {
            let found = stmt.query_map(params![team, channel], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.extend(found.collect::<Result<Vec<_>, _>>()?);
        }
        Ok(rows)
    })
}

/// Stores `json` as row `id`'s post, if it is still to be posted, with what it kept of its
/// tries (`carried!`).
pub fn rewrite_post(conn: &Connection, id: i64, json: &str) -> anyhow::Result<()> {
    doing("cannot rewrite the post", || {
        conn.prepare_cached(concat!(
            "UPDATE outbox SET notice = ",
            carried!("?2"),
            " WHERE id = ?1 AND delivered_at IS NULL"
        ))?
        .execute(params![id, json])?;
        Ok(())
    })
}

/// Takes back the line saying `user` joined project `project_id`, queued in `channel` and
/// not posted yet: owed, or parked until the bot is invited (with its announcement, or
/// after it, the bot removed from the channel since). A line already taken by the worker may
/// still go out; recording it then finds its row gone and does nothing more. Each read goes
/// by channel through an index (`outbox_heads`, `outbox_parked`); how many rows went.
pub fn withdraw_join_line(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    project_id: i64,
    user: &UserId,
) -> anyhow::Result<usize> {
    let about = format!(
        "{} = 'joined' AND {} = ?3 AND {} = ?4",
        notice_field("kind"),
        notice_field("project_id"),
        notice_field("user")
    );
    let args = params![team.as_str(), channel.as_str(), project_id, user.as_str()];
    withdraw_lines(conn, &about, args, "cannot withdraw the join's line")
}

/// Takes back the line saying that `lead` left project `number`'s team, if it is still to be
/// posted: they are back in it (a Leave pressed by mistake), and lead it again. How many rows
/// went.
pub fn withdraw_lead_left_line(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    number: ProjectNumber,
    lead: &UserId,
) -> anyhow::Result<usize> {
    let about = format!(
        "{} = 'lead_left' AND {} = ?3 AND {} = ?4",
        notice_field("kind"),
        notice_field("number"),
        notice_field("lead")
    );
    let args = params![team.as_str(), channel.as_str(), number.get(), lead.as_str()];
    withdraw_lines(
        conn,
        &about,
        args,
        "cannot withdraw the lead's leaving line",
    )
}

/// Takes back the corrections of project `project_id`'s announcement still to be posted: a
/// new one, carrying the whole announcement as it is now, replaces them. (One parked until
/// the bot is invited back would otherwise be posted after a newer one delivered meanwhile,
/// and undo it.) How many rows went.
pub fn withdraw_announcement_corrections(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    project_id: i64,
) -> anyhow::Result<usize> {
    let about = format!(
        "{} = 'announcement_corrected' AND {} = ?3",
        notice_field("kind"),
        notice_field("project_id")
    );
    let args = params![team.as_str(), channel.as_str(), project_id];
    withdraw_lines(
        conn,
        &about,
        args,
        "cannot take back the announcement's corrections",
    )
}

/// Whether a correction of project `project_id`'s announcement is still to be posted (an
/// edit's, say): one queued after it would only take its place.
pub fn announcement_correction_queued(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    project_id: i64,
) -> anyhow::Result<bool> {
    doing("cannot look for the announcement's corrections", || {
        conn.prepare_cached(&format!(
            "SELECT EXISTS (SELECT 1 FROM outbox
                             WHERE team_id = ?1 AND channel_id = ?2 AND ({OWED} OR {})
                               AND {} = 'announcement_corrected' AND {} = ?3)",
            parked(),
            notice_field("kind"),
            notice_field("project_id")
        ))?
        .query_row(params![team.as_str(), channel.as_str(), project_id], |r| {
            r.get(0)
        })
    })
}

/// Deletes the rows still to be posted, owed or parked, of the team and channel that `args`
/// start with, that match `about` (over `args`).
fn withdraw_lines(
    conn: &Connection,
    about: &str,
    args: &[&dyn rusqlite::ToSql],
    why: &'static str,
) -> anyhow::Result<usize> {
    doing(why, || {
        let owed = conn
            .prepare_cached(&format!(
                "DELETE FROM outbox WHERE team_id = ?1 AND channel_id = ?2 AND {OWED} AND {about}"
            ))?
            .execute(args)?;
        let parked = conn
            .prepare_cached(&format!(
                "DELETE FROM outbox
                 WHERE team_id = ?1 AND channel_id = ?2 AND {} AND {about}",
                parked()
            ))?
            .execute(args)?;
        Ok(owed + parked)
    })
}

/// Notes in row `id` that its join's pitcher has been told (`outbox::Item::pitcher_told`),
/// changing nothing else in it. Rows of version 1 (the bare notice) are left as they are.
pub fn set_pitcher_told(conn: &Connection, id: i64) -> anyhow::Result<()> {
    doing("cannot note the pitcher told", || {
        conn.prepare_cached(
            "UPDATE outbox SET notice = json_set(notice, '$.pitcher_told', json('true'))
             WHERE id = ?1 AND CASE WHEN json_valid(notice) THEN json_extract(notice, '$.v') END >= 2",
        )?
        .execute([id])?;
        Ok(())
    })
}

/// Counts in row `id` a join of its channel made to post it (`outbox::Item::joins`), changing
/// nothing else in it. Rows of version 1 are left as they are (and bounded by their tries).
pub fn note_joined(conn: &Connection, id: i64) -> anyhow::Result<()> {
    doing("cannot note the channel joined", || {
        count_in_row(conn, id, "$.joins")
    })
}

/// Counts in row `id` a try met by an HTTP 4xx (`outbox::Item::http_refusals`), changing
/// nothing else in it. Rows of version 1 are left as they are (their tries count instead).
pub fn note_http_refused(conn: &Connection, id: i64) -> anyhow::Result<()> {
    doing("cannot note the post's refusal", || {
        count_in_row(conn, id, "$.http_refusals")
    })
}

/// Adds one to the count at JSON path `path` of row `id`'s stored post (version 2 on).
fn count_in_row(conn: &Connection, id: i64, path: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET notice = json_set(notice, ?2, COALESCE(json_extract(notice, ?2), 0) + 1)
         WHERE id = ?1 AND CASE WHEN json_valid(notice) THEN json_extract(notice, '$.v') END >= 2",
    )?
    .execute(params![id, path])?;
    Ok(())
}

/// Deletes a settled row: one that must not be kept once it has gone out (see
/// `handlers::delivered`).
pub fn delete_post(conn: &Connection, id: i64) -> anyhow::Result<()> {
    doing("cannot delete the post", || {
        conn.prepare_cached("DELETE FROM outbox WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    })
}

/// Tries again at `at` after a transient failure.
pub fn reschedule(conn: &Connection, id: i64, at: i64, error: &str) -> anyhow::Result<()> {
    doing("cannot reschedule the post", || {
        conn.prepare_cached(
            "UPDATE outbox SET next_attempt_at = ?2, attempts = attempts + 1, last_error = ?3
             WHERE id = ?1",
        )?
        .execute(params![id, at, error])?;
        Ok(())
    })
}

/// Gives up on a row after a permanent failure; the row stays for the record.
///
/// An announcement failed for anything but waiting for an invitation is never posted, whoever
/// fails it (Slack's refusal, a dead token, a row that no longer reads): its project is noted
/// as having no thread to come (`0020_announcement_refused.sql`; `park_team_posts` notes
/// the same for the rows it fails).
pub fn mark_failed(conn: &Connection, id: i64, error: &str, now: i64) -> anyhow::Result<()> {
    doing("cannot mark the post failed", || {
        conn.prepare_cached(
            "UPDATE outbox SET failed_at = ?2, attempts = attempts + 1, last_error = ?3
             WHERE id = ?1",
        )?
        .execute(params![id, now, error])?;
        if error != WAITING_FOR_CHANNEL {
            let (kind, project) = (notice_field("kind"), notice_field("project_id"));
            conn.prepare_cached(&format!(
                "UPDATE projects SET announcement_refused_at = ?2
                 WHERE id = (SELECT {project} FROM outbox WHERE id = ?1 AND {kind} = 'announcement')
                   AND announcement_ts IS NULL AND announcement_refused_at IS NULL"
            ))?
            .execute(params![id, now])?;
        }
        Ok(())
    })
}

/// Puts rows that failed because the bot was not in `channel` back in the queue (the bot has
/// just been invited). Returns how many.
pub fn requeue_waiting_for_channel(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    now: i64,
) -> anyhow::Result<usize> {
    doing("cannot requeue the posts waiting for the channel", || {
        conn.prepare_cached(&format!(
            "UPDATE outbox SET failed_at = NULL, next_attempt_at = ?3
                 WHERE team_id = ?1 AND channel_id = ?2 AND {}",
            parked()
        ))?
        .execute(params![team.as_str(), channel.as_str(), now])
    })
}

/// What `last_error` of a nudge refused as to a channel gone (`channel_not_found`) says
/// once a change of the channel's id has looked at it, owed again or not (an earlier quiet
/// spell's is not): not found again by a later change of id. The words are kept as stored.
const NUDGE_OWED_AT_NEW_ID: &str = "channel_not_found; owed again at the channel's new id";

/// The projects whose nudges in `channel` of `team` were refused as to a channel gone
/// (`channel_not_found`): refused at its old id before Slack's change of id was recorded,
/// they are owed again (see `handlers::channel_id_changed`). Only a nudge for the project's
/// quiet spell now (queued since its last news), and none delivered since that news: a
/// refusal kept from an earlier spell (failed rows are kept 30 days) may have been a real
/// removal, and re-owing it would nudge the team twice in this one. Every refusal here is
/// noted so, and not looked at again by a later change.
pub fn nudges_refused_at_old_id(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
) -> anyhow::Result<Vec<ProjectNumber>> {
    doing(
        "cannot read the nudges refused at the channel's old id",
        || {
            let refused = format!(
            "team_id = ?1 AND channel_id = ?2 AND delivered_at IS NULL AND failed_at IS NOT NULL
             AND last_error LIKE 'channel_not_found;%' AND last_error <> ?3
             AND {} = 'nudge'",
            notice_field("kind")
        );
            let number = notice_field("number");
            let this_spell = format!(
                "EXISTS (SELECT 1 FROM projects p WHERE p.team_id = outbox.team_id
                     AND p.number = {} AND outbox.created_at >= p.last_activity_at
                     AND NOT EXISTS (SELECT 1 FROM outbox d WHERE d.team_id = p.team_id
                         AND d.delivered_at >= p.last_activity_at
                         AND {} = 'nudge' AND {} = p.number))",
                notice_field_of("outbox.notice", "number"),
                notice_field_of("d.notice", "kind"),
                notice_field_of("d.notice", "number"),
            );
            let args = params![team.as_str(), channel.as_str(), NUDGE_OWED_AT_NEW_ID];
            let numbers = conn
                .prepare_cached(&format!(
                    "SELECT DISTINCT {number} FROM outbox WHERE {refused} AND {this_spell}"
                ))?
                .query_map(args, |r| r.get::<_, Option<u32>>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            conn.prepare_cached(&format!(
                "UPDATE outbox SET last_error = ?3 WHERE {refused}"
            ))?
            .execute(args)?;
            // A row whose number does not read is owed nowhere.
            Ok(numbers
                .into_iter()
                .flatten()
                .filter_map(ProjectNumber::new)
                .collect())
        },
    )
}

/// Deletes the notes still to be sent, to a nudged project's lead or to whoever turned the
/// digest on, that a nudge or digest in `channel` of `team` was refused as to a channel gone
/// (`channel_not_found`): the channel has a new id, and the bot is in it. How many.
pub fn drop_channel_gone_notes(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
) -> anyhow::Result<usize> {
    doing(
        "cannot drop the notes of posts refused at a channel's old id",
        || {
            conn.prepare_cached(&format!(
                "DELETE FROM outbox WHERE team_id = ?1 AND {OWED}
               AND {} IN ('nudge_not_posted', 'digest_not_posted')
               AND {} = ?2 AND {} = 'channel_not_found'",
                notice_field("kind"),
                notice_field("channel"),
                notice_field("why"),
            ))?
            .execute(params![team.as_str(), channel.as_str()])
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// An announcement row for project `project_id` in C1, in the stored shape of version 2
    /// or (`v1`) the bare notice.
    fn announcement(c: &Connection, project_id: i64, v1: bool) -> i64 {
        let notice = format!(r#"{{"kind":"announcement","project_id":{project_id},"number":1}}"#);
        let json = match v1 {
            true => notice,
            false => format!(r#"{{"v":2,"notice":{notice}}}"#),
        };
        c.execute(
            "INSERT INTO outbox (team_id, channel_id, notice, next_attempt_at, created_at)
             VALUES ('T1', 'C1', ?1, 0, 0)",
            [json],
        )
        .unwrap();
        c.last_insert_rowid()
    }

    /// A post deleted while it was the newest (a join line taken back) leaves its id unused:
    /// the worker, which may still hold it, must not record its delivery against the next
    /// post queued (migration 0031).
    #[test]
    fn the_id_of_a_deleted_post_is_never_given_to_another() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        store
            .write(|c| {
                let first = announcement(c, 7, false);
                delete_post(c, first)?;
                let next = announcement(c, 8, false);
                assert!(next > first, "{next} after {first}");
                assert!(undelivered(c, &[first])?.is_empty());
                Ok(())
            })
            .unwrap();
    }

    /// What became of an announcement, as a waiting line asks: owed, parked for an
    /// invitation, failed for good, or never queued; in either stored shape.
    #[test]
    fn an_announcements_fate_is_read_from_its_row() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        let (team, channel) = (
            TeamId::parse("T1").unwrap(),
            ChannelId::parse("C1").unwrap(),
        );
        store
            .write(|c| {
                let fate = |project_id| announcement_fate(c, &team, &channel, project_id).unwrap();
                let row = announcement(c, 7, false);
                assert_eq!(fate(7), AnnouncementFate::Owed);
                mark_failed(c, row, WAITING_FOR_CHANNEL, 1)?;
                assert_eq!(fate(7), AnnouncementFate::Parked);
                c.execute(
                    "UPDATE outbox SET last_error = 'is_archived' WHERE id = ?1",
                    [row],
                )?;
                assert_eq!(fate(7), AnnouncementFate::Never);
                assert_eq!(fate(9), AnnouncementFate::Never, "never queued");
                let old = announcement(c, 8, true);
                mark_failed(c, old, WAITING_FOR_CHANNEL, 1)?;
                assert_eq!(fate(8), AnnouncementFate::Parked, "version 1's shape");
                Ok(())
            })
            .unwrap();
    }

    /// Correcting or withdrawing an update's words, and asking what became of an
    /// announcement, read the channel's rows through an index, not the whole outbox: what
    /// each reads does not grow with other channels' and workspaces' posts, the delivered
    /// ones kept 30 days among them (SQLite's count of virtual machine steps, with 2 and with
    /// 2,000 rows elsewhere).
    #[test]
    fn rewording_an_update_and_an_announcements_fate_read_only_their_channels_rows() {
        let steps = |elsewhere: usize| {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(&dir.path().join("s.db")).unwrap();
            let (team, channel) = (
                TeamId::parse("T1").unwrap(),
                ChannelId::parse("C1").unwrap(),
            );
            store
                .write(|c| {
                    let line = |team: &str, channel: &str| {
                        c.execute(
                            "INSERT INTO outbox (team_id, channel_id, notice, next_attempt_at,
                                                 created_at, delivered_at)
                             VALUES (?1, ?2, '{\"v\":2,\"notice\":{\"kind\":\"update\",
                                     \"update\":3,\"text\":\"Quokka\"}}', 0, 0, 1)",
                            [team, channel],
                        )
                    };
                    // Older than the rows elsewhere, as an announcement still owed is.
                    announcement(c, 7, false);
                    line("T1", "C1")?;
                    for i in 0..elsewhere {
                        match i % 2 {
                            0 => line("T1", "C2")?,
                            _ => line("T2", "C9")?,
                        };
                    }
                    let fate = announcement_fate(c, &team, &channel, 7)?;
                    assert_eq!(fate, AnnouncementFate::Owed);
                    assert_eq!(reword_update_posts(c, &team, &channel, 3, None)?, 1);
                    Ok(
                        [announcement_fate_sql(), reword_update_posts_sql()].map(|sql| {
                            c.prepare_cached(&sql)
                                .unwrap()
                                .get_status(rusqlite::StatementStatus::VmStep)
                        }),
                    )
                })
                .unwrap()
        };
        assert_eq!(steps(2), steps(2000));
    }

    /// The index by channel holds delivered rows too: a channel's rows still owed, or
    /// parked, are still sought through their own partial indexes, which hold none (with
    /// the index keyed by team and channel, SQLite took it for these as well).
    #[test]
    fn owed_and_parked_rows_are_still_sought_through_their_own_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        store
            .read(|c| {
                for (rows, index) in [
                    (OWED.to_string(), "outbox_heads"),
                    (parked(), "outbox_parked"),
                ] {
                    let plan: String = c.query_row(
                        &format!(
                            "EXPLAIN QUERY PLAN SELECT id FROM outbox
                             WHERE team_id = ?1 AND channel_id = ?2 AND {rows}"
                        ),
                        ["T1", "C1"],
                        |r| r.get(3),
                    )?;
                    assert!(plan.contains(&format!("USING INDEX {index} ")), "{plan}");
                }
                Ok(())
            })
            .unwrap();
    }

    /// Left to a running server by `digest --now`, a post falls due now, or when the
    /// `Retry-After` of a 429 the command met ends; one posted or given up stays as it is.
    #[test]
    fn posts_left_to_the_server_keep_a_429s_wait() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db")).unwrap();
        store
            .write(|c| {
                let (now, hold) = (1_000_000, 3600);
                let queued = announcement(c, 1, false);
                let limited = announcement(c, 2, false);
                let failed = announcement(c, 3, false);
                for (id, at) in [
                    (queued, now + hold),
                    (limited, now + hold + 30),
                    (failed, now + hold),
                ] {
                    c.execute(
                        "UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1",
                        [id, at],
                    )?;
                }
                mark_failed(c, failed, "is_archived", now)?;
                due_now(c, &[queued, limited, failed], hold, now)?;
                let due = |id: i64| -> i64 {
                    c.query_row(
                        "SELECT next_attempt_at FROM outbox WHERE id = ?1",
                        [id],
                        |r| r.get(0),
                    )
                    .unwrap()
                };
                assert_eq!(due(queued), now);
                assert_eq!(due(limited), now + 30);
                assert_eq!(due(failed), now + hold);
                Ok(())
            })
            .unwrap();
    }
}
