//! Projects: numbered per workspace, announced once, listed and shown.

use anyhow::Context;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::doing;
use super::people::{own_person, said_council};

use crate::domain::{
    ChannelId, CouncilPart, Description, LedBefore, ListFilter, Makeup, MessageTs, Phase,
    ProjectDetail, ProjectHead, ProjectNumber, ProjectSummary, Slug, TeamId, TeamMember, Title,
    UserId,
};

/// A project about to be recorded.
pub struct NewProject<'a> {
    pub team: &'a TeamId,
    pub title: &'a Title,
    pub description: &'a Description,
    pub pitcher: &'a UserId,
    pub channel: &'a ChannelId,
    pub pitcher_council: Option<i64>,
    pub now: i64,
}

/// Records a project with the next number of its workspace, the pitcher as its first member;
/// returns (row id, number). Call inside a write transaction so two pitches cannot take the
/// same number.
pub fn insert_project(
    conn: &Connection,
    p: &NewProject<'_>,
) -> anyhow::Result<(i64, ProjectNumber)> {
    let next: u32 = conn
        .prepare_cached("SELECT COALESCE(MAX(number), 0) + 1 FROM projects WHERE team_id = ?1")?
        .query_row(params![p.team.as_str()], |r| r.get(0))?;
    let number = ProjectNumber::new(next).context("project number overflow")?;
    conn.prepare_cached(
        "INSERT INTO projects (team_id, number, title, description, phase, pitcher, channel_id,
                               pitcher_council_id, created_at, updated_at, last_activity_at)
         VALUES (?1, ?2, ?3, ?4, 'discovery', ?5, ?6, ?7, ?8, ?8, ?8)",
    )?
    .execute(params![
        p.team.as_str(),
        number.get(),
        p.title.as_str(),
        p.description.as_str(),
        p.pitcher.as_str(),
        p.channel.as_str(),
        p.pitcher_council,
        p.now
    ])?;
    let id = conn.last_insert_rowid();
    // Noted here, not by a trigger: see migrations/0023_search_noted_by_inserts.sql.
    conn.prepare_cached("INSERT OR IGNORE INTO search_pending (project_id, fresh) VALUES (?1, 1)")?
        .execute([id])?;
    conn.prepare_cached(
        "INSERT INTO members (project_id, user_id, joined_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![id, p.pitcher.as_str(), p.now])?;
    super::note_channel(conn, p.team, p.channel, p.now)?;
    Ok((id, number))
}

/// Remembers where a project's announcement was posted, at `now`. Its posting is the
/// project's news: one posted weeks late (the bot invited to its channel only then) is not
/// nudged as quiet a minute after it appears.
pub fn set_announcement(
    conn: &Connection,
    project_id: i64,
    channel: &ChannelId,
    ts: &MessageTs,
    now: i64,
) -> anyhow::Result<()> {
    doing("cannot record the announcement ts", || {
        conn.prepare_cached(
            // Slack's second too (its clock may be ahead of ours), as a withdrawn update
            // works the news out again from it: else that raised it, and the quiet spell
            // already nudged was nudged again.
            "UPDATE projects SET channel_id = ?2, announcement_ts = ?3,
                                 last_activity_at = MAX(last_activity_at, ?4,
                                                        CAST(?3 AS INTEGER))
              WHERE id = ?1",
        )?
        .execute(params![project_id, channel.as_str(), ts.as_str(), now])?;
        Ok(())
    })
}

/// Where project `project_id`'s announcement was posted, once it has been.
pub fn announcement_of(
    conn: &Connection,
    project_id: i64,
) -> anyhow::Result<Option<(ChannelId, MessageTs)>> {
    let found: Option<(String, Option<String>)> = doing("cannot read an announcement", || {
        conn.prepare_cached("SELECT channel_id, announcement_ts FROM projects WHERE id = ?1")?
            .query_row([project_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
    })?;
    Ok(
        found
            .and_then(|(channel, ts)| Some((ChannelId::parse(&channel)?, MessageTs::parse(&ts?)?))),
    )
}

/// Projects matching `filter`, newest first. A project is quiet when its last activity is at
/// or before `quiet_since` (and it is not retired); `user` is the asker, for `list mine`.
/// Who is listing (for `list mine`) and the instant before which a project is quiet.
#[derive(Clone, Copy)]
pub struct Viewer<'a> {
    pub user: &'a UserId,
    pub quiet_since: i64,
}

const SELECT: &str = "SELECT p.number, p.title, p.phase,
            (SELECT COUNT(*) FROM members m WHERE m.project_id = p.id), p.last_activity_at
         FROM projects p WHERE p.team_id = +?1 AND ";
const ORDER: &str = " ORDER BY p.number DESC";

/// `list needs <skill>`: `+?2` for the same reason as `+?1` (see [`list_projects`]).
pub(super) fn needs_sql() -> String {
    format!(
        "{SELECT}p.phase != 'retired' AND EXISTS
           (SELECT 1 FROM project_skills s WHERE s.project_id = p.id AND s.skill = +?2){ORDER}"
    )
}

/// Whether `team` has an open (not retired) project.
pub fn any_open_project(conn: &Connection, team: &TeamId) -> anyhow::Result<bool> {
    doing("cannot read whether a project is open", || {
        conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM projects WHERE team_id = ?1 AND phase != 'retired')",
        )?
        .query_row([team.as_str()], |r| r.get(0))
    })
}

pub fn list_projects(
    conn: &Connection,
    team: &TeamId,
    filter: &ListFilter,
    viewer: Viewer<'_>,
) -> anyhow::Result<Vec<ProjectSummary>> {
    let Viewer { user, quiet_since } = viewer;
    // Fixed SQL per filter; only parameters vary. `+?1`, not `?1`: the bundled SQLite (built
    // with STAT4) otherwise re-prepares this statement on every call once it has been
    // re-prepared for any reason (it lets the bound value steer the plan); a unary plus keeps
    // the same index plan without that. Found with perf under load; pinned by a test below.
    // The quiet cut-off is applied in Rust for the same reason.
    let mut stmt;
    let rows = match filter {
        ListFilter::Open | ListFilter::Quiet => {
            stmt = conn.prepare_cached(&format!("{SELECT}p.phase != 'retired'{ORDER}"))?;
            stmt.query(params![team.as_str()])?
        }
        ListFilter::Council { id, .. } => {
            return council_projects(conn, team, *id, quiet_since);
        }
        ListFilter::Phase(phase) => {
            stmt = conn.prepare_cached(&format!("{SELECT}p.phase = ?2{ORDER}"))?;
            stmt.query(params![team.as_str(), phase.as_str()])?
        }
        ListFilter::Mine => {
            stmt = conn.prepare_cached(&format!(
                "{SELECT}p.phase != 'retired' AND EXISTS
                   (SELECT 1 FROM members m WHERE m.project_id = p.id AND m.user_id = ?2){ORDER}"
            ))?;
            stmt.query(params![team.as_str(), user.as_str()])?
        }
        ListFilter::Needs(skill) => {
            stmt = conn.prepare_cached(&needs_sql())?;
            stmt.query(params![team.as_str(), skill.as_str()])?
        }
    };
    let quiet_only = *filter == ListFilter::Quiet;
    let mut out = Vec::new();
    for row in rows.mapped(SummaryRow::read) {
        let line = row?.summary(quiet_since)?;
        if !quiet_only || line.quiet {
            out.push(line);
        }
    }
    Ok(out)
}

/// `list council`: the open projects of `team` that council `id` leads (the lead council),
/// works on (someone in the team said they work there), or re-uses, as the catalogue's
/// `?council=`; each line saying which.
fn council_projects(
    conn: &Connection,
    team: &TeamId,
    id: i64,
    quiet_since: i64,
) -> anyhow::Result<Vec<ProjectSummary>> {
    let mut stmt = conn.prepare_cached(&council_sql())?;
    let rows = stmt.query_map(params![team.as_str(), id], |r| {
        let part = CouncilPart {
            leads: r.get(5)?,
            works_on: r.get(6)?,
            reuses: r.get(7)?,
        };
        Ok((SummaryRow::read(r)?, part))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (row, part) = row?;
        let mut line = row.summary(quiet_since)?;
        line.council_part = Some(part);
        out.push(line);
    }
    Ok(out)
}

/// `list council`'s query: `+?1` and `+?2` as in [`list_projects`]. The filter stops at the
/// first of the three that holds, for every open project; the three are worked out in full
/// only for the few rows it lets through.
fn council_sql() -> String {
    let works_on = format!(
        "EXISTS (SELECT 1 FROM members m {own} WHERE m.project_id = p.id AND {said} = +?2)",
        own = own_person!(),
        said = said_council!()
    );
    let reuses = "EXISTS (SELECT 1 FROM reuses r WHERE r.project_id = p.id AND r.council_id = +?2)";
    format!(
        "SELECT p.number, p.title, p.phase,
                (SELECT COUNT(*) FROM members m WHERE m.project_id = p.id), p.last_activity_at,
                p.pitcher_council_id IS +?2, {works_on}, {reuses}
           FROM projects p
          WHERE p.team_id = +?1 AND p.phase != 'retired'
            AND (p.pitcher_council_id = +?2 OR {reuses} OR {works_on})
          ORDER BY p.number DESC"
    )
}

/// The columns every list of projects selects first, in this order: number, title, phase,
/// team size, last activity. Read once here, so the quiet rule is the same in every list.
pub(super) struct SummaryRow {
    number: u32,
    title: String,
    phase: String,
    members: u32,
    last_activity: i64,
}

impl SummaryRow {
    pub(super) fn read(r: &Row<'_>) -> rusqlite::Result<SummaryRow> {
        Ok(SummaryRow {
            number: r.get(0)?,
            title: r.get(1)?,
            phase: r.get(2)?,
            members: r.get(3)?,
            last_activity: r.get(4)?,
        })
    }

    /// The list line; quiet when not retired and no news since `quiet_since`.
    pub(super) fn summary(self, quiet_since: i64) -> anyhow::Result<ProjectSummary> {
        let quiet = self.phase != "retired" && self.last_activity <= quiet_since;
        summary(self.number, self.title, &self.phase, self.members, quiet)
    }
}

/// A list line from its stored parts.
fn summary(
    number: u32,
    title: String,
    phase: &str,
    members: u32,
    quiet: bool,
) -> anyhow::Result<ProjectSummary> {
    Ok(ProjectSummary {
        number: stored_number(number)?,
        title: stored_title(title),
        phase: stored_phase(phase)?,
        members,
        quiet,
        council_part: None,
        carries_on_in: None,
    })
}
/// When a project last showed signs of life (pitch, update or phase change), unix seconds.
pub fn last_activity(conn: &Connection, project_id: i64) -> anyhow::Result<i64> {
    doing("cannot read the project's last activity", || {
        conn.prepare_cached("SELECT last_activity_at FROM projects WHERE id = ?1")?
            .query_row(params![project_id], |r| r.get(0))
    })
}

/// When `team`'s newest project was pitched, unix seconds (the clock may have stepped back
/// since); `None` if it has none.
pub fn newest_pitch_at(conn: &Connection, team: &TeamId) -> anyhow::Result<Option<i64>> {
    doing("cannot read when the newest project was pitched", || {
        // `projects_by_creation` (team_id, created_at) answers it from its last entry.
        conn.prepare_cached("SELECT MAX(created_at) FROM projects WHERE team_id = ?1")?
            .query_row([team.as_str()], |r| r.get(0))
    })
}

/// When `team`'s project `number` was pitched, unix seconds; `None` if it has no such number.
pub fn project_created_at(
    conn: &Connection,
    team: &TeamId,
    number: ProjectNumber,
) -> anyhow::Result<Option<i64>> {
    doing("cannot read when the project was pitched", || {
        conn.prepare_cached("SELECT created_at FROM projects WHERE team_id = ?1 AND number = ?2")?
            .query_row(params![team.as_str(), number.get()], |r| r.get(0))
            .optional()
    })
}

const DETAIL_COLUMNS: &str = "p.id, p.number, p.title, p.description, p.phase, p.pitcher,
    p.channel_id, p.announcement_ts, p.created_at,
    (SELECT name FROM councils c WHERE c.id = p.pitcher_council_id),
    CASE WHEN p.published_at IS NOT NULL THEN p.slug END,
    p.announcement_refused_at IS NOT NULL, p.pitched_by";
/// How many columns `DETAIL_COLUMNS` reads: a query may read more after them.
const DETAIL_WIDTH: usize = 13;

/// One project with its team, or `None` if the workspace has no such number.
pub fn project_by_number(
    conn: &Connection,
    team: &TeamId,
    number: ProjectNumber,
) -> anyhow::Result<Option<(i64, ProjectDetail)>> {
    let sql =
        format!("SELECT {DETAIL_COLUMNS} FROM projects p WHERE p.team_id = ?1 AND p.number = ?2");
    let found = conn
        .prepare_cached(&sql)?
        .query_row(params![team.as_str(), number.get()], raw_detail)
        .optional()?;
    found.map(|raw| detail(conn, raw)).transpose()
}

/// What a change to project `number` needs of it, with whether `asker` is in its team, in
/// one read (`None` if the workspace has no such number). Cheaper than
/// [`project_by_number`]: an update is the commonest change, and a join need not read the
/// team it joins.
pub fn project_head(
    conn: &Connection,
    team: &TeamId,
    number: ProjectNumber,
    asker: &UserId,
) -> anyhow::Result<Option<(i64, ProjectHead)>> {
    head_where(
        conn,
        "p.team_id = ?2 AND p.number = ?3",
        params![asker.as_str(), team.as_str(), number.get()],
    )
}

/// Project `number` of `team` as an operator sees it: asked by nobody in any team
/// (`asker_is_member` is false).
pub fn project_head_for_operator(
    conn: &Connection,
    team: &TeamId,
    number: ProjectNumber,
) -> anyhow::Result<Option<(i64, ProjectHead)>> {
    head_where(
        conn,
        "p.team_id = ?2 AND p.number = ?3",
        params!["", team.as_str(), number.get()],
    )
}

/// [`project_head`] of the project whose announcement is the message `ts` in `channel`, if
/// any (a reaction on it, a mention in its thread).
pub fn head_by_announcement(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    ts: &MessageTs,
    asker: &UserId,
) -> anyhow::Result<Option<(i64, ProjectHead)>> {
    head_where(
        conn,
        "p.team_id = ?2 AND p.channel_id = ?3 AND p.announcement_ts = ?4",
        params![asker.as_str(), team.as_str(), channel.as_str(), ts.as_str()],
    )
}

/// The workspace whose pitch was announced in `channel` at `ts`, and the pitch's number:
/// `team`'s when it is one of `team`'s (the usual case, on the index), else another
/// workspace's (a channel shared between organisations has one id in both; read without the
/// index, which starts with the workspace, so only when `team` has no such pitch), else
/// `None`.
pub fn announced_pitch(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    ts: &MessageTs,
) -> anyhow::Result<Option<(TeamId, ProjectNumber)>> {
    doing("cannot find the announcement's pitch", || {
        use super::digests::{project_number, stored_team};
        let own = conn
            .prepare_cached(
                "SELECT number FROM projects
                 WHERE team_id = ?1 AND channel_id = ?2 AND announcement_ts = ?3",
            )?
            .query_row(params![team.as_str(), channel.as_str(), ts.as_str()], |r| {
                project_number(r.get(0)?)
            })
            .optional()?;
        if let Some(number) = own {
            return Ok(Some((team.clone(), number)));
        }
        conn.prepare_cached(
            "SELECT team_id, number FROM projects WHERE channel_id = ?1 AND announcement_ts = ?2
             ORDER BY id LIMIT 1",
        )?
        .query_row(params![channel.as_str(), ts.as_str()], |r| {
            Ok((stored_team(r.get(0)?)?, project_number(r.get(1)?)?))
        })
        .optional()
    })
}

/// Whether the message `ts` in `channel` may be an earlier copy of the announcement of
/// `team`'s project `number`: Slack took a post whose answer was lost, the outbox posted it
/// again, and only the second copy's ts is kept. Such a copy is in the project's channel,
/// no older than the project and older than the copy kept; an announcement from before an
/// erase or a restore is older than the project now holding its number. Not in a channel
/// shared with another workspace, where the message may be another's project of `number`.
pub fn earlier_copy_of_announcement(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    number: ProjectNumber,
    ts: &MessageTs,
) -> anyhow::Result<bool> {
    let row: Option<(i64, Option<String>)> =
        doing("cannot read the project's announcement", || {
            conn.prepare_cached(
                "SELECT created_at, announcement_ts FROM projects
             WHERE team_id = ?1 AND number = ?2 AND channel_id = ?3
               AND NOT EXISTS (SELECT 1 FROM channels
                                WHERE team_id = ?1 AND channel_id = ?3 AND shared = 1)",
            )?
            .query_row(
                params![team.as_str(), number.get(), channel.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
        })?;
    let Some((created_at, Some(kept))) = row else {
        return Ok(false);
    };
    let kept = MessageTs::parse(&kept).and_then(|kept| kept.as_micros());
    Ok(match (ts.as_micros(), kept) {
        (Some(at), Some(kept)) => created_at.saturating_mul(1_000_000) <= at && at < kept,
        _ => false,
    })
}

/// The head of the project `filter` finds, its parameters from `?2` on; `?1` is the asker.
fn head_where(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> anyhow::Result<Option<(i64, ProjectHead)>> {
    // The columns `project_by_number` reads (one read), with the asker's membership after.
    let sql = format!(
        "SELECT {DETAIL_COLUMNS},
                EXISTS (SELECT 1 FROM members m WHERE m.project_id = p.id AND m.user_id = ?1)
         FROM projects p WHERE {filter}"
    );
    let found = conn
        .prepare_cached(&sql)?
        .query_row(args, |r| {
            Ok((raw_detail(r)?, r.get::<_, bool>(DETAIL_WIDTH)?))
        })
        .optional()?;
    let Some(((id, raw), asker_is_member)) = found else {
        return Ok(None);
    };
    let head = ProjectHead {
        number: stored_number(raw.number)?,
        title: stored_title(raw.title),
        description: Description::from_stored(raw.description),
        phase: stored_phase(&raw.phase)?,
        pitcher: stored_id(UserId::parse(&raw.pitcher), "pitcher")?,
        pitched_by: pitched_by(raw.pitched_by.as_deref())?,
        pitcher_council: raw.pitcher_council,
        channel: stored_id(ChannelId::parse(&raw.channel), "channel")?,
        announcement_ts: raw.announcement_ts.as_deref().and_then(MessageTs::parse),
        announcement_refused: raw.announcement_refused,
        published: raw.published.map(Slug::from_stored),
        asker_is_member,
    };
    Ok(Some((id, head)))
}

/// The council that led project `id` before the one now, if another took the lead since:
/// the latest kept that is not the one now (put back, or merged into it), so its time is
/// when the one now began its unbroken lead.
fn led_before(conn: &Connection, id: i64) -> anyhow::Result<Option<LedBefore>> {
    doing("cannot read the lead council before", || {
        conn.prepare_cached(
            "SELECT c.name, l.until_at FROM lead_councils_ended l
               JOIN councils c ON c.id = l.council_id
              WHERE l.project_id = ?1
                AND l.council_id IS NOT (SELECT pitcher_council_id FROM projects WHERE id = ?1)
              ORDER BY l.until_at DESC LIMIT 1",
        )?
        .query_row([id], |r| {
            Ok(LedBefore {
                council: r.get(0)?,
                until: r.get(1)?,
            })
        })
        .optional()
    })
}

fn detail(conn: &Connection, (id, raw): (i64, RawDetail)) -> anyhow::Result<(i64, ProjectDetail)> {
    let detail = ProjectDetail {
        number: stored_number(raw.number)?,
        title: stored_title(raw.title),
        description: Description::parse(&raw.description)
            .map_err(|e| anyhow::anyhow!("stored description: {e:?}"))?,
        phase: stored_phase(&raw.phase)?,
        pitcher: stored_id(UserId::parse(&raw.pitcher), "pitcher")?,
        pitched_by: pitched_by(raw.pitched_by.as_deref())?,
        pitcher_council: raw.pitcher_council,
        led_before: led_before(conn, id)?,
        channel: stored_id(ChannelId::parse(&raw.channel), "channel")?,
        announcement_ts: raw.announcement_ts.as_deref().and_then(MessageTs::parse),
        announcement_refused: raw.announcement_refused,
        members: members_of(conn, id)?,
        created_at: raw.created_at,
        published: raw.published.map(Slug::from_stored),
    };
    Ok((id, detail))
}

/// What setting a project's lead council did to the one before, in reports
/// ([`set_lead_council`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadKept {
    /// None led it: the council set counts for it from its pitch.
    None,
    /// The council before keeps what it led until now (migration 0055).
    Kept,
    /// The council before was set less than a day before (`pitched`: with the pitch): a
    /// slip put right, so the council set counts for the time it led.
    PutRight { pitched: bool },
}

/// Sets project `id`'s lead council (`pitcher_council_id`, as the pitch recorded it) to
/// `council_id` at `now`, keeping the council before with the time it stopped leading
/// (`lead_councils_ended`), so that a report of a past period counts the project for the
/// council that led it then; unless it was set less than a day before (a slip put right,
/// as for a person's council: `members::slip_since`) or there was none.
pub fn set_lead_council(
    conn: &Connection,
    id: i64,
    council_id: i64,
    now: i64,
) -> anyhow::Result<LeadKept> {
    let (before, set_at, created_at): (Option<i64>, Option<i64>, i64) = doing(
        "cannot read the lead council before",
        || {
            conn.prepare_cached(
                "SELECT pitcher_council_id, lead_council_at, created_at FROM projects WHERE id = ?1",
            )?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        },
    )?;
    let set_at_or_pitched = set_at.unwrap_or(created_at);
    let was = match before {
        None => LeadKept::None,
        Some(_) if set_at_or_pitched > super::members::slip_since(now) => LeadKept::PutRight {
            pitched: set_at.is_none(),
        },
        Some(_) => LeadKept::Kept,
    };
    // A slip put right keeps the time the slip was set (the pitch's, once one is put right):
    // the day's grace runs from the last council kept, so a run of quick changes cannot
    // reach back further than a day.
    let set_at = match was {
        LeadKept::PutRight { .. } => set_at_or_pitched,
        LeadKept::None | LeadKept::Kept => now,
    };
    doing("cannot set the lead council", || {
        if let (LeadKept::Kept, Some(before)) = (was, before) {
            conn.prepare_cached(
                "INSERT INTO lead_councils_ended (project_id, council_id, until_at)
                 VALUES (?1, ?2, ?3)",
            )?
            .execute(params![id, before, now])?;
        }
        conn.prepare_cached(
            "UPDATE projects SET pitcher_council_id = ?2, updated_at = ?3, lead_council_at = ?4
              WHERE id = ?1",
        )?
        .execute(params![id, council_id, now, set_at])
    })?;
    Ok(was)
}

/// Makes `council_id` the lead council of the open projects `user` pitched in `team` that
/// have none (pitched before they said their council, or by the form with the field left
/// empty), pitched at or before `pitched_by` when given; not one that council re-uses. The
/// projects it now leads, by number. Who pitched, not who leads now: a project handed to
/// `user` was the pitcher's to lead, and one they handed on was theirs.
pub fn lead_unled_projects(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    council_id: i64,
    pitched_by: Option<i64>,
    now: i64,
) -> anyhow::Result<Vec<(ProjectNumber, Title)>> {
    let mut led = doing("cannot set the lead council of unled projects", || {
        conn.prepare_cached(
            "UPDATE projects SET pitcher_council_id = ?3, lead_council_at = ?4, updated_at = ?4
              WHERE team_id = ?1 AND COALESCE(pitched_by, pitcher) = ?2
                AND pitcher_council_id IS NULL
                AND phase != 'retired'
                AND (?5 IS NULL OR created_at <= ?5)
                AND NOT EXISTS (SELECT 1 FROM reuses r
                                 WHERE r.project_id = projects.id AND r.council_id = ?3)
              RETURNING number, title",
        )?
        .query_map(
            params![team.as_str(), user.as_str(), council_id, now, pitched_by],
            |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?)),
        )?
        .collect::<Result<Vec<_>, _>>()
    })?
    .into_iter()
    .map(|(n, title)| Ok((stored_number(n)?, stored_title(title))))
    .collect::<anyhow::Result<Vec<_>>>()?;
    led.sort_by_key(|(n, _)| *n);
    Ok(led)
}

/// `user`'s open projects that council `council_id` leads through them: those in workspace
/// `team`, and how many in the other workspaces still using the bot (named there, not here:
/// their numbers are that workspace's). After they say another council, what their council
/// before still leads.
pub fn led_through(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    council_id: i64,
) -> anyhow::Result<(Vec<(ProjectNumber, Title)>, usize)> {
    let rows = doing("cannot read the projects the council leads", || {
        conn.prepare_cached(
            "SELECT team_id = ?1, number, title FROM projects
              WHERE pitcher = ?2 AND pitcher_council_id = ?3 AND phase != 'retired'
                AND (team_id = ?1 OR team_id NOT IN (SELECT team_id FROM removed_workspaces))
              ORDER BY number",
        )?
        .query_map(params![team.as_str(), user.as_str(), council_id], |r| {
            Ok((
                r.get::<_, bool>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()
    })?;
    let (here, elsewhere): (Vec<_>, Vec<_>) = rows.into_iter().partition(|(here, ..)| *here);
    let here = here
        .into_iter()
        .map(|(_, n, title)| Ok((stored_number(n)?, stored_title(title))))
        .collect::<anyhow::Result<_>>()?;
    Ok((here, elsewhere.len()))
}

/// What an edit of a pitch changed: the title it had, and whether the description changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PitchEdit {
    /// The title before, if the edit changed it.
    pub renamed_from: Option<Title>,
    pub description_changed: bool,
    /// The description now (the one it had, if the edit gave none).
    pub description: Description,
}

impl PitchEdit {
    pub fn changed_anything(&self) -> bool {
        self.renamed_from.is_some() || self.description_changed
    }
}

/// Sets project `id`'s title, and its description when given; what changed from `before`
/// (its head, read in this transaction). The search indexes follow (the `search_on_edit`
/// trigger); its slug, if published, stays, so links to its catalogue page keep working.
pub fn edit_pitch(
    conn: &Connection,
    id: i64,
    before: &ProjectHead,
    title: &Title,
    description: Option<&Description>,
    now: i64,
) -> anyhow::Result<PitchEdit> {
    let edit = PitchEdit {
        renamed_from: (before.title != *title).then(|| before.title.clone()),
        description_changed: description.is_some_and(|d| *d != before.description),
        description: description.unwrap_or(&before.description).clone(),
    };
    if edit.changed_anything() {
        doing("cannot edit the pitch", || {
            conn.prepare_cached(
                "UPDATE projects SET title = ?2, description = ?3, updated_at = ?4 WHERE id = ?1",
            )?
            .execute(params![id, title.as_str(), edit.description.as_str(), now])
        })?;
    }
    Ok(edit)
}

/// How many people the team has, from how many councils: counted in SQL, so a join's
/// answer and thread line bring back no member rows, however large the team.
pub fn team_makeup(conn: &Connection, project_id: i64) -> anyhow::Result<Makeup> {
    doing("cannot count the team", || {
        // Councils by id: one row per council across workspaces (its name's key), so no
        // look-up of each member's council by name, which a join runs over the whole team.
        conn.prepare_cached(concat!(
            "SELECT COUNT(*), COUNT(DISTINCT ",
            said_council!(),
            ") FROM members m JOIN projects p ON p.id = m.project_id ",
            own_person!(),
            " WHERE m.project_id = ?1"
        ))?
        .query_row(params![project_id], |r| {
            Ok(Makeup {
                people: r.get(0)?,
                councils: r.get(1)?,
            })
        })
    })
}

/// Members of a project with their councils, in the order they joined.
pub fn members_of(conn: &Connection, project_id: i64) -> anyhow::Result<Vec<TeamMember>> {
    let mut stmt = conn.prepare_cached(concat!(
        "SELECT m.user_id, c.name FROM members m JOIN projects p ON p.id = m.project_id ",
        own_person!(),
        " LEFT JOIN councils c ON c.id = ",
        said_council!(),
        " WHERE m.project_id = +?1 ORDER BY m.joined_at, m.user_id"
    ))?;
    let rows = stmt.query_map(params![project_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
    })?;
    rows.map(|row| {
        let (user, council) = row?;
        Ok(TeamMember {
            user: stored_id(UserId::parse(&user), "member")?,
            council,
        })
    })
    .collect()
}

struct RawDetail {
    number: u32,
    title: String,
    description: String,
    phase: String,
    pitcher: String,
    channel: String,
    announcement_ts: Option<String>,
    created_at: i64,
    pitcher_council: Option<String>,
    published: Option<String>,
    announcement_refused: bool,
    pitched_by: Option<String>,
}

fn raw_detail(r: &Row<'_>) -> rusqlite::Result<(i64, RawDetail)> {
    Ok((
        r.get(0)?,
        RawDetail {
            number: r.get(1)?,
            title: r.get(2)?,
            description: r.get(3)?,
            phase: r.get(4)?,
            pitcher: r.get(5)?,
            channel: r.get(6)?,
            announcement_ts: r.get(7)?,
            created_at: r.get(8)?,
            pitcher_council: r.get(9)?,
            published: r.get(10)?,
            announcement_refused: r.get(11)?,
            pitched_by: r.get(12)?,
        },
    ))
}

/// Who pitched a project handed over since (a forgotten person's id reads as such).
fn pitched_by(stored: Option<&str>) -> anyhow::Result<Option<UserId>> {
    stored
        .map(|id| stored_id(UserId::parse(id), "pitched_by"))
        .transpose()
}

// Rows were validated on the way in; a row that fails now means the database was edited by
// hand or by a newer build, which is an internal error, not the user's.
pub(super) fn stored_number(n: u32) -> anyhow::Result<ProjectNumber> {
    ProjectNumber::new(n).context("stored project number 0")
}
/// Titles were checked on the way in; re-checking every row of every list costs more than it
/// could catch.
pub(super) fn stored_title(s: String) -> Title {
    Title::from_stored(s)
}
pub(super) fn stored_phase(s: &str) -> anyhow::Result<Phase> {
    s.parse()
        .map_err(|()| anyhow::anyhow!("stored phase {s:?} unknown"))
}
fn stored_id<T>(id: Option<T>, what: &str) -> anyhow::Result<T> {
    id.with_context(|| format!("stored {what} id is malformed"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use rusqlite::StatementStatus;

    fn viewer(user: &UserId, quiet_since: i64) -> Viewer<'_> {
        Viewer { user, quiet_since }
    }

    /// A press on a message no project has acts on the presser's workspace's project of its
    /// number as the first copy of its announcement only where that copy can be no other
    /// workspace's: not in a channel shared with another.
    #[test]
    fn a_first_copy_of_an_announcement_is_read_so_only_in_a_channel_not_shared() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        let (team, channel) = (
            TeamId::parse("T1").unwrap(),
            ChannelId::parse("C1").unwrap(),
        );
        let number = ProjectNumber::parse("3").unwrap();
        let copy = MessageTs::parse("1700000050.000100").unwrap();
        let read = |store: &Store| {
            store
                .read(|c| earlier_copy_of_announcement(c, &team, &channel, number, &copy))
                .unwrap()
        };
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO projects (team_id, number, title, pitcher, channel_id,
                                           announcement_ts, created_at, updated_at)
                     VALUES ('T1', 3, 'x', 'U1', 'C1', '1700000060.000100', 1700000000, 1)",
                    [],
                )?;
                tx.execute(
                    "INSERT INTO channels (team_id, channel_id, shared) VALUES ('T1', 'C1', 0)",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
        assert!(
            read(&store),
            "a copy between its pitch and its announcement"
        );
        store
            .write(|tx| {
                tx.execute("UPDATE channels SET shared = 1", [])?;
                Ok(())
            })
            .unwrap();
        assert!(
            !read(&store),
            "in a shared channel it may be another workspace's"
        );
    }

    /// A performance trap found under load: statements re-prepared on every call. Counted,
    /// not timed: after one forced re-prepare, ten more lists must not re-prepare again.
    #[test]
    fn listing_does_not_re_prepare_its_statement_every_time() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        let team = TeamId::parse("T1").unwrap();
        let user = UserId::parse("U1").unwrap();
        store
            .write(|tx| {
                for i in 1..=20 {
                    tx.prepare_cached(
                        "INSERT INTO projects (team_id, number, title, pitcher, channel_id,
                                               announcement_ts, created_at, updated_at)
                         VALUES ('T1', ?1, 'x', 'U1', 'C1', ?1, 1, 1)",
                    )?
                    .execute([i])?;
                }
                Ok(())
            })
            .unwrap();
        let sql_of_open = "SELECT p.number, p.title, p.phase,
            (SELECT COUNT(*) FROM members m WHERE m.project_id = p.id), p.last_activity_at
         FROM projects p WHERE p.team_id = +?1 AND p.phase != 'retired' ORDER BY p.number DESC";
        let conn = rusqlite::Connection::open(dir.path().join("t.db")).unwrap();
        list_projects(&conn, &team, &ListFilter::Open, viewer(&user, 0)).unwrap();
        // Any schema change expires prepared statements once; that is normal.
        conn.execute_batch("CREATE TABLE scratch (x); DROP TABLE scratch;")
            .unwrap();
        let council = ListFilter::Council {
            id: 1,
            name: "Guildford Borough Council".into(),
            formerly: None,
        };
        for n in 0..10 {
            list_projects(&conn, &team, &ListFilter::Open, viewer(&user, n)).unwrap();
            list_projects(&conn, &team, &council, viewer(&user, n)).unwrap();
            let channel = ChannelId::parse("C1").unwrap();
            let ts = MessageTs::parse(&(n + 1).to_string()).unwrap();
            head_by_announcement(&conn, &team, &channel, &ts, &user).unwrap();
        }
        for sql in [sql_of_open.to_string(), council_sql()] {
            let stmt = conn.prepare_cached(&sql).unwrap();
            let n = stmt.get_status(StatementStatus::RePrepare);
            assert!(n <= 1, "re-prepared {n} times: {sql}");
        }
    }

    /// An announcement whose ts (Slack's clock) is ahead of this machine's is news as of
    /// the later of the two, as withdrawing an update works it out again: withdrawing one
    /// does not make the project's news later than it was (which brought a second nudge).
    #[test]
    fn a_withdrawn_update_leaves_the_news_as_it_was_when_slack_runs_ahead() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        let news = |c: &Connection| -> i64 {
            c.query_row(
                "SELECT last_activity_at FROM projects WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap()
        };
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO projects (id, team_id, number, title, pitcher, channel_id,
                                           created_at, updated_at, last_activity_at)
                     VALUES (1, 'T1', 1, 'Bins', 'U1', 'C1', 100, 100, 100)",
                    [],
                )?;
                let (channel, ts) = (
                    ChannelId::parse("C1").unwrap(),
                    MessageTs::parse("105.000100").unwrap(),
                );
                set_announcement(tx, 1, &channel, &ts, 101)?;
                assert_eq!(news(tx), 105);
                tx.execute(
                    "INSERT INTO updates (id, project_id, author, body, created_at)
                     VALUES (1, 1, 'U1', 'wrong project', 90)",
                    [],
                )?;
                super::super::progress::withdraw_update(tx, 1, 200)?;
                assert_eq!(news(tx), 105, "as it was");
                Ok(())
            })
            .unwrap();
    }
}
