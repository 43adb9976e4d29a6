//! Progress: status updates, phase changes (kept as history), and when each project last
//! showed signs of life, which drives nudges and the quiet marker.

use rusqlite::{Connection, OptionalExtension, params};

use super::doing;

use crate::domain::{
    ChannelId, MessageTs, Phase, PhaseChangeView, ProjectNumber, TeamId, Title, UpdateText,
    UpdateView, UserId,
};

/// Records an update and marks the project active.
pub fn insert_update(
    conn: &Connection,
    project_id: i64,
    author: &UserId,
    text: &UpdateText,
    line: UpdateLine,
    now: i64,
) -> anyhow::Result<i64> {
    doing("cannot record the update", || {
        conn.prepare_cached(
            "INSERT INTO updates (project_id, author, body, created_at, line)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            project_id,
            author.as_str(),
            text.as_str(),
            now,
            line.as_str()
        ])?;
        let id = conn.last_insert_rowid();
        // Noted here, not by a trigger: see migrations/0023_search_noted_by_inserts.sql.
        conn.prepare_cached(
            "INSERT OR IGNORE INTO update_search_pending (update_id, fresh) VALUES (?1, 1)",
        )?
        .execute([id])?;
        touch(conn, project_id, now)?;
        Ok(id)
    })
}

/// Where an update's words are in its pitch's thread (`updates.line`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateLine {
    /// The bot posts them (`/makers update`), and can correct its line.
    Bot,
    /// They are the author's own message (an @-mention in the thread), theirs to edit.
    Own,
}

impl UpdateLine {
    fn as_str(self) -> &'static str {
        match self {
            UpdateLine::Bot => "bot",
            UpdateLine::Own => "own",
        }
    }

    /// As stored by [`UpdateLine::as_str`]; `None` for anything else (NULL before 0025).
    fn from_stored(s: Option<&str>) -> Option<UpdateLine> {
        [UpdateLine::Bot, UpdateLine::Own]
            .into_iter()
            .find(|l| Some(l.as_str()) == s)
    }
}

/// Someone's latest update on a project, as `correct` needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestUpdate {
    pub id: i64,
    pub words: UpdateNow,
    /// `None` for an update from before its line was kept (0025_update_lines.sql).
    pub line: Option<UpdateLine>,
    /// The bot's line's ts, once posted.
    pub line_ts: Option<MessageTs>,
}

/// `author`'s latest update on project `project_id`, if they made one.
pub fn latest_update_by(
    conn: &Connection,
    project_id: i64,
    author: &UserId,
) -> anyhow::Result<Option<LatestUpdate>> {
    doing("cannot read the update", || {
        conn.prepare_cached(
            "SELECT id, body, line, line_ts, withdrawn_at IS NOT NULL FROM updates
             WHERE project_id = ?1 AND author = ?2 ORDER BY id DESC LIMIT 1",
        )?
        .query_row(params![project_id, author.as_str()], |r| {
            let line: Option<String> = r.get(2)?;
            let ts: Option<String> = r.get(3)?;
            Ok(LatestUpdate {
                id: r.get(0)?,
                words: UpdateNow::read(r.get(1)?, r.get(4)?),
                line: UpdateLine::from_stored(line.as_deref()),
                line_ts: ts.as_deref().and_then(MessageTs::parse),
            })
        })
        .optional()
    })
}

/// The update `author` made on project `project_id` by their mention at `ts` in its thread
/// (its line is their own message: migrations/0061_own_update_messages.sql), and what it
/// says now; `None` if that message made none of theirs.
pub fn update_by_own_message(
    conn: &Connection,
    project_id: i64,
    author: &UserId,
    ts: &MessageTs,
) -> anyhow::Result<Option<(i64, UpdateNow)>> {
    doing("cannot read the update of a message", || {
        conn.prepare_cached(
            "SELECT id, body, withdrawn_at IS NOT NULL FROM updates
             WHERE project_id = ?1 AND line = 'own' AND line_ts = ?2 AND author = ?3",
        )?
        .query_row(params![project_id, ts.as_str(), author.as_str()], |r| {
            Ok((r.get(0)?, UpdateNow::read(r.get(1)?, r.get(2)?)))
        })
        .optional()
    })
}

/// Whether an edit at `at` (Slack's `edited.ts`) of own update `id`'s message is newer than
/// any taken before; if so it is kept as the latest.
pub fn newer_own_edit(conn: &Connection, id: i64, at: &MessageTs) -> anyhow::Result<bool> {
    doing("cannot read or keep an update's latest edit", || {
        let kept: Option<String> = conn
            .prepare_cached("SELECT edit_ts FROM updates WHERE id = ?1")?
            .query_row(params![id], |r| r.get(0))?;
        let kept = kept.as_deref().and_then(MessageTs::parse);
        if kept.is_some_and(|kept| kept.as_micros() >= at.as_micros()) {
            return Ok(false);
        }
        conn.prepare_cached("UPDATE updates SET edit_ts = ?2 WHERE id = ?1")?
            .execute(params![id, at.as_str()])?;
        Ok(true)
    })
}

/// An update's line as the bot posted it, and the update now.
pub struct PostedLine {
    pub number: ProjectNumber,
    pub channel: ChannelId,
    pub ts: MessageTs,
    pub now: UpdateNow,
    /// Its words were corrected after it was posted (its line says so).
    pub corrected: bool,
}

/// Update `id`'s posted line as it should read now: its project's number and channel, the
/// line's ts and the update's words; `None` if it has no posted line of the bot's.
pub fn posted_update_line(conn: &Connection, id: i64) -> anyhow::Result<Option<PostedLine>> {
    doing("cannot read the update's line", || {
        conn.prepare_cached(
            "SELECT p.number, p.channel_id, u.line_ts, u.body, u.withdrawn_at IS NOT NULL,
                    u.corrected_at IS NOT NULL
             FROM updates u JOIN projects p ON p.id = u.project_id
             WHERE u.id = ?1 AND u.line = 'bot' AND u.line_ts IS NOT NULL",
        )?
        .query_row(params![id], |r| {
            let (number, channel, ts): (u32, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let now = UpdateNow::read(r.get(3)?, r.get(4)?);
            let corrected: bool = r.get(5)?;
            Ok(ProjectNumber::new(number)
                .zip(ChannelId::parse(&channel))
                .zip(MessageTs::parse(&ts))
                .map(|((number, channel), ts)| PostedLine {
                    number,
                    channel,
                    ts,
                    now,
                    corrected,
                }))
        })
        .optional()
        .map(Option::flatten)
    })
}

/// Replaces update `id`'s words (re-indexed for search by `update_search_on_edit`). Not a sign
/// of life: a correction does not put off a nudge.
pub fn correct_update(
    conn: &Connection,
    id: i64,
    text: &UpdateText,
    now: i64,
) -> anyhow::Result<()> {
    doing("cannot correct the update", || {
        conn.prepare_cached("UPDATE updates SET body = ?2, corrected_at = ?3 WHERE id = ?1")?
            .execute(params![id, text.as_str(), now])?;
        Ok(())
    })
}

/// Withdraws update `id` (`/makers withdraw`): its words go, from the record and (re-indexed
/// by `update_search_on_edit`) from search, and nothing that shows updates shows it. The
/// project's last sign of life goes back to what it was without it (the latest of its pitch,
/// the updates that stand, its phase changes and its announcement, which a project pitched
/// where the bot was not yet invited waits for: what `touch` and `set_announcement` take the
/// latest of), so an update posted on the wrong project leaves no news there (the
/// catalogue's "Last news", quiet markers, nudges). A quiet spell already nudged is not
/// nudged again.
pub fn withdraw_update(conn: &Connection, id: i64, now: i64) -> anyhow::Result<()> {
    doing("cannot withdraw the update", || {
        let project_id: i64 = conn
            .prepare_cached(
                "UPDATE updates SET body = '', withdrawn_at = ?2 WHERE id = ?1
                 RETURNING project_id",
            )?
            .query_row(params![id, now], |r| r.get(0))?;
        conn.prepare_cached(
            "UPDATE projects SET last_activity_at = MAX(
                 created_at,
                 COALESCE((SELECT MAX(created_at) FROM updates
                            WHERE project_id = ?1 AND withdrawn_at IS NULL), 0),
                 COALESCE((SELECT MAX(changed_at) FROM phase_changes
                            WHERE project_id = ?1), 0),
                 -- Slack's ts: the unix second it was posted, then a fraction.
                 COALESCE(CAST(announcement_ts AS INTEGER), 0))
             WHERE id = ?1",
        )?
        .execute([project_id])?;
        Ok(())
    })
}

/// An update's words as stored now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateNow {
    /// Its words (read when its line has been posted: corrected while the line was on its
    /// way, they differ from what was posted).
    Says(String),
    /// Its author withdrew it: no words are kept.
    Withdrawn,
}

impl UpdateNow {
    /// From `body` and whether `withdrawn_at` is set.
    fn read(body: String, withdrawn: bool) -> UpdateNow {
        match withdrawn {
            true => UpdateNow::Withdrawn,
            false => UpdateNow::Says(body),
        }
    }
}

/// Records that update `id`'s line was posted at `ts`; the update as it is now, or `None` if
/// there is no such update.
pub fn record_update_line(
    conn: &Connection,
    id: i64,
    ts: &MessageTs,
) -> anyhow::Result<Option<UpdateNow>> {
    doing("cannot record the update's line", || {
        conn.prepare_cached(
            "UPDATE updates SET line_ts = ?2 WHERE id = ?1
             RETURNING body, withdrawn_at IS NOT NULL",
        )?
        .query_row(params![id, ts.as_str()], |r| {
            Ok(UpdateNow::read(r.get(0)?, r.get(1)?))
        })
        .optional()
    })
}

/// Moves a project to `to`, keeping the change in its history, and marks it active.
/// A project moving from one phase to another, by someone, at a time (unix seconds).
pub struct PhaseMove<'a> {
    pub project_id: i64,
    pub from: Phase,
    pub to: Phase,
    pub note: Option<&'a UpdateText>,
    pub by: &'a UserId,
    pub at: i64,
    /// Retired by a merge into another project (`/makers merge`): kept with the history,
    /// which a report of the period reads.
    pub merge: bool,
}

pub fn change_phase(conn: &Connection, m: &PhaseMove<'_>) -> anyhow::Result<()> {
    doing("cannot record the phase change", || {
        let PhaseMove {
            project_id,
            from,
            to,
            note,
            by,
            at: now,
            merge,
        } = *m;
        conn.prepare_cached("INSERT INTO phase_changes (project_id, from_phase, to_phase, note, changed_by, changed_at, merge)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?
.execute(
            params![
                project_id,
                from.as_str(),
                to.as_str(),
                note.map(UpdateText::as_str).unwrap_or(""),
                by.as_str(),
                now,
                merge
            ],
        )?;
        conn.prepare_cached("UPDATE projects SET phase = ?2, updated_at = ?3 WHERE id = ?1")?
            .execute(params![project_id, to.as_str(), now])?;
        // Brought back, it is a project of its own again, merged into nothing.
        if from == Phase::Retired {
            super::merges::unmerge(conn, project_id)?;
        }
        touch(conn, project_id, now)
    })
}

fn touch(conn: &Connection, project_id: i64, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE projects SET last_activity_at = MAX(last_activity_at, ?2) WHERE id = ?1",
    )?
    .execute(params![project_id, now])?;
    Ok(())
}

/// The latest `n` updates that stand (not withdrawn), newest first.
pub fn latest_updates(
    conn: &Connection,
    project_id: i64,
    n: u32,
) -> anyhow::Result<Vec<UpdateView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT author, body, created_at, corrected_at IS NOT NULL FROM updates
         WHERE project_id = +?1 AND withdrawn_at IS NULL
         ORDER BY created_at DESC, id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![project_id, n], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, bool>(3)?,
        ))
    })?;
    rows.map(|row| {
        let (author, text, at, corrected) = row?;
        Ok(UpdateView {
            author: UserId::parse(&author).ok_or_else(|| anyhow::anyhow!("stored author"))?,
            text,
            at,
            corrected,
        })
    })
    .collect()
}

/// Every phase change of a project, oldest first.
pub fn phase_history(conn: &Connection, project_id: i64) -> anyhow::Result<Vec<PhaseChangeView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT from_phase, to_phase, note, changed_by, changed_at FROM phase_changes
         WHERE project_id = +?1 ORDER BY changed_at, id",
    )?;
    let rows = stmt.query_map(params![project_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    rows.map(|row| {
        let (from, to, note, by, at) = row?;
        let phase = |s: &str| {
            s.parse::<Phase>()
                .map_err(|()| anyhow::anyhow!("stored phase {s}"))
        };
        Ok(PhaseChangeView {
            from: phase(&from)?,
            to: phase(&to)?,
            note,
            by: UserId::parse(&by).ok_or_else(|| anyhow::anyhow!("stored user"))?,
            at,
        })
    })
    .collect()
}

/// A project that has gone without news long enough for a nudge.
#[derive(Debug, Clone)]
pub struct NudgeDue {
    pub project_id: i64,
    pub team: TeamId,
    pub number: ProjectNumber,
    pub title: Title,
    pub channel: crate::domain::ChannelId,
    /// `None`: its announcement was refused for good, so it has no thread to be nudged in.
    pub announcement_ts: Option<crate::domain::MessageTs>,
    pub last_activity_at: i64,
}

/// Open projects, announced or whose announcement was refused for good (no thread, none to
/// come: their lead is told instead; a parked one, waiting for its invitation, is not),
/// whose last activity is at or before `quiet_since` and that have not been nudged for this
/// quiet spell yet; not of a workspace that removed the app (its nudge could not be posted,
/// and would use up the spell: installed again, the workspace's quiet projects are nudged
/// then).
pub fn due_for_nudge(conn: &Connection, quiet_since: i64) -> anyhow::Result<Vec<NudgeDue>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, team_id, number, title, channel_id, announcement_ts, last_activity_at
         FROM projects
         WHERE phase != 'retired'
           AND (announcement_ts IS NOT NULL OR announcement_refused_at IS NOT NULL)
           AND last_activity_at <= ?1
           AND (nudged_for_activity_at IS NULL OR nudged_for_activity_at < last_activity_at)
           AND team_id NOT IN (SELECT team_id FROM removed_workspaces)
         ORDER BY id",
    )?;
    let rows = stmt.query_map(params![quiet_since], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, u32>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, i64>(6)?,
        ))
    })?;
    let mut due = Vec::new();
    for row in rows {
        let (project_id, team, number, title, channel, ts, last) = row?;
        let parsed = (|| {
            Some(NudgeDue {
                project_id,
                team: TeamId::parse(&team)?,
                number: ProjectNumber::new(number)?,
                // As stored: an earlier build took titles a later one refuses.
                title: Title::from_stored(title),
                channel: crate::domain::ChannelId::parse(&channel)?,
                announcement_ts: match ts {
                    Some(ts) => Some(crate::domain::MessageTs::parse(&ts)?),
                    None => None,
                },
                last_activity_at: last,
            })
        })();
        // One malformed row (edited by hand) is passed over, not allowed to stop every
        // workspace's nudges at every tick.
        match parsed {
            Some(nudge) => due.push(nudge),
            None => tracing::warn!(project_id, "stored project is malformed; no nudge for it"),
        }
    }
    Ok(due)
}

/// The team a nudge of project `project_id` mentions, in the order they joined; `None` when
/// a member's stored id is malformed (edited by hand), so that the caller passes over this
/// project alone, as [`due_for_nudge`] passes over a malformed project row. (`+?1` as in
/// `list_projects`.)
pub fn team_to_nudge(conn: &Connection, project_id: i64) -> anyhow::Result<Option<Vec<UserId>>> {
    let ids = doing("cannot read the team to nudge", || {
        let mut stmt = conn.prepare_cached(
            "SELECT user_id FROM members WHERE project_id = +?1 ORDER BY joined_at, user_id",
        )?;
        let rows = stmt.query_map(params![project_id], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<Vec<String>>>()
    })?;
    Ok(ids.iter().map(|id| UserId::parse(id)).collect())
}

/// Whom to tell, privately, that quiet project `number` of `team` had no reminder in its
/// channel, as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuietLead {
    /// Whoever leads it (its `pitcher`, still in its team), and its title as stored.
    Lead(UserId, Title),
    /// Nobody: no such project, its lead left (the team was asked to choose one), or was
    /// forgotten.
    Nobody,
    /// Its stored lead's id is malformed (edited by hand): the project's id, for the caller
    /// to pass over it alone, as over a malformed member.
    Malformed(i64),
}

/// Who leads quiet project `number` of `team` now, read alone: [`super::project_by_number`]
/// read its whole team too, and a stored id that did not read as one failed the read, and
/// with it the scheduler's tick (every workspace's nudges) or the outbox worker's pass.
pub fn lead_of_quiet_project(
    conn: &Connection,
    team: &TeamId,
    number: ProjectNumber,
) -> anyhow::Result<QuietLead> {
    let row = doing("cannot read who leads the quiet project", || {
        conn.prepare_cached(
            "SELECT p.id, p.title, p.pitcher,
                    EXISTS (SELECT 1 FROM members m
                            WHERE m.project_id = p.id AND m.user_id = p.pitcher)
             FROM projects p WHERE p.team_id = ?1 AND p.number = ?2",
        )?
        .query_row(params![team.as_str(), number.get()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })
        .optional()
    })?;
    let Some((project_id, title, pitcher, in_team)) = row else {
        return Ok(QuietLead::Nobody);
    };
    let Some(lead) = UserId::parse(&pitcher) else {
        return Ok(QuietLead::Malformed(project_id));
    };
    if lead.is_forgotten() || !in_team {
        return Ok(QuietLead::Nobody);
    }
    // As stored: an earlier build took titles a later one refuses.
    Ok(QuietLead::Lead(lead, Title::from_stored(title)))
}

/// What a nudge held in the outbox says when it goes out, read at that time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NudgeNow {
    /// The team to mention.
    pub team: Vec<UserId>,
    /// The project's title (an `edit` may have renamed it while the nudge waited).
    pub title: Title,
    /// Its last news (unix seconds), from which it has been quiet.
    pub last_activity_at: i64,
}

/// The team to mention in the nudge recorded for project `number` of `team`, and the
/// project's title and last news, as they are now (one held in the outbox while Slack was
/// down may be hours old: who joined or left since is named or not, and a renamed pitch is
/// named as the channel sees it), if the nudge is still wanted: the project is open and
/// has had no news since (a withdrawn update can only move its news back). `None`: not
/// wanted, or a member cannot be read (as the scheduler passes over such a project).
pub fn nudge_still_due(
    conn: &Connection,
    team: &TeamId,
    number: ProjectNumber,
) -> anyhow::Result<Option<NudgeNow>> {
    let due = doing("cannot read the project's news", || {
        let row = conn
            .prepare_cached(
                "SELECT id, title, last_activity_at FROM projects
                 WHERE team_id = ?1 AND number = ?2 AND phase != 'retired'
                   AND nudged_for_activity_at >= last_activity_at",
            )?
            .query_row(params![team.as_str(), number.get()], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get(2)?))
            })
            .optional()?;
        Ok(row)
    })?;
    let Some((project_id, title, last_activity_at)) = due else {
        return Ok(None);
    };
    // Read as the scheduler reads it: a member's id edited by hand beyond reading failed
    // this read, and with it the worker's pass at every try, holding every post behind it.
    let Some(team) = team_to_nudge(conn, project_id)? else {
        tracing::warn!(
            project_id,
            "a member's stored id is malformed; its waiting nudge is not posted"
        );
        return Ok(None);
    };
    Ok(Some(NudgeNow {
        team,
        // As stored: an earlier build took titles a later one refuses.
        title: Title::from_stored(title),
        last_activity_at,
    }))
}

/// Remembers that the quiet spell which began at `last_activity_at` has had its nudge.
/// Project `number`'s nudge is owed again (one queued could not go out in working hours):
/// the scheduler queues it afresh at its next look in them.
pub fn nudge_again(conn: &Connection, team: &TeamId, number: ProjectNumber) -> anyhow::Result<()> {
    doing("cannot record that the nudge is owed again", || {
        conn.prepare_cached(
            "UPDATE projects SET nudged_for_activity_at = NULL WHERE team_id = ?1 AND number = ?2",
        )?
        .execute(params![team.as_str(), number.get()])?;
        Ok(())
    })
}

pub fn mark_nudged(
    conn: &Connection,
    project_id: i64,
    last_activity_at: i64,
) -> anyhow::Result<()> {
    doing("cannot record the nudge", || {
        conn.prepare_cached("UPDATE projects SET nudged_for_activity_at = ?2 WHERE id = ?1")?
            .execute(params![project_id, last_activity_at])?;
        Ok(())
    })
}
