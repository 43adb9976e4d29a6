//! Projects merged into others (`/makers merge 7 into 4`): see `0048_project_merges.sql`.

use anyhow::Context;
use rusqlite::{Connection, OptionalExtension, params};

use super::doing;
use super::projects::{stored_number, stored_phase, stored_title};
use std::collections::HashMap;

use crate::domain::{CarriedOnAs, Phase, ProjectNumber, Slug, TeamId, Title, UserId};

/// The project another was merged into, as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeTarget {
    pub id: i64,
    pub number: ProjectNumber,
    pub title: Title,
    pub phase: Phase,
    /// Its catalogue address, while it is published.
    pub published: Option<Slug>,
    /// The council that leads it, if one does.
    pub lead_council_id: Option<i64>,
}

/// Records that project `from` carries on as project `into` (both of one workspace; `into`
/// is open). Those merged into `from` before now point at `into`, so no row points at a
/// merged project; their numbers are returned (their announcements named `from`).
pub fn merge_project(
    conn: &Connection,
    from: i64,
    into: i64,
    now: i64,
) -> anyhow::Result<Vec<ProjectNumber>> {
    doing("cannot record the merge", || {
        let moved = {
            let mut stmt = conn.prepare_cached(
                "UPDATE project_merges SET into_id = ?2, merged_at = ?3 WHERE into_id = ?1
                 RETURNING (SELECT number FROM projects WHERE id = project_id)",
            )?;
            let rows = stmt.query_map(params![from, into, now], |r| r.get::<_, u32>(0))?;
            rows.collect::<rusqlite::Result<Vec<u32>>>()?
        };
        conn.prepare_cached(
            "INSERT INTO project_merges (project_id, into_id, merged_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (project_id) DO UPDATE SET into_id = excluded.into_id,
                                                    merged_at = excluded.merged_at",
        )?
        .execute(params![from, into, now])?;
        Ok(moved)
    })?
    .into_iter()
    .map(stored_number)
    .collect()
}

impl From<MergeTarget> for CarriedOnAs {
    fn from(target: MergeTarget) -> CarriedOnAs {
        CarriedOnAs {
            number: target.number,
            title: target.title,
        }
    }
}

/// The projects of `team` merged into one still open, by number, with that one's number.
/// (Merges are few: the workspace's whole list, for a page of lines.)
pub fn carried_on_in(
    conn: &Connection,
    team: &TeamId,
) -> anyhow::Result<HashMap<ProjectNumber, ProjectNumber>> {
    let pairs = doing("cannot read the workspace's merges", || {
        let mut stmt = conn.prepare_cached(
            "SELECT p.number, i.number FROM project_merges m
               JOIN projects p ON p.id = m.project_id
               JOIN projects i ON i.id = m.into_id
              WHERE p.team_id = ?1 AND i.phase <> 'retired'",
        )?;
        let rows = stmt.query_map([team.as_str()], |r| {
            Ok((r.get::<_, u32>(0)?, r.get::<_, u32>(1)?))
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })?;
    pairs
        .into_iter()
        .map(|(from, into)| Ok((stored_number(from)?, stored_number(into)?)))
        .collect()
}

/// The numbers of the projects merged into project `into` (their announcements name it).
pub fn merged_into(conn: &Connection, into: i64) -> anyhow::Result<Vec<ProjectNumber>> {
    doing("cannot read the projects merged into one", || {
        let mut stmt = conn.prepare_cached(
            "SELECT p.number FROM project_merges m JOIN projects p ON p.id = m.project_id
              WHERE m.into_id = ?1 ORDER BY p.number",
        )?;
        let rows = stmt.query_map([into], |r| r.get::<_, u32>(0))?;
        rows.collect::<rusqlite::Result<Vec<u32>>>()
    })?
    .into_iter()
    .map(stored_number)
    .collect()
}

/// Forgets that project `id` was merged (it was brought back from retired).
pub(super) fn unmerge(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM project_merges WHERE project_id = ?1")?
        .execute([id])?;
    Ok(())
}

/// The project that project `id` was merged into, if it was.
pub fn merge_target(conn: &Connection, id: i64) -> anyhow::Result<Option<MergeTarget>> {
    doing("cannot read what a project was merged into", || {
        conn.prepare_cached(
            "SELECT p.id, p.number, p.title, p.phase,
                    CASE WHEN p.published_at IS NOT NULL THEN p.slug END,
                    p.pitcher_council_id
               FROM project_merges m JOIN projects p ON p.id = m.into_id
              WHERE m.project_id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<i64>>(5)?,
            ))
        })
        .optional()
    })?
    .map(|(id, number, title, phase, slug, lead_council_id)| {
        Ok(MergeTarget {
            id,
            number: stored_number(number)?,
            title: stored_title(title),
            phase: stored_phase(&phase)?,
            published: slug.map(Slug::from_stored),
            lead_council_id,
        })
    })
    .transpose()
}

/// A project's latest retirement: when (unix seconds), and who merged it, if that retirement
/// was the merge that stands (not a phase change, nor one merged after it was retired, or
/// into a project merged on since: who made those merges is not kept).
pub struct Retirement {
    pub at: i64,
    pub merged_by: Option<UserId>,
}

/// Project `id`'s latest retirement, if one is recorded.
pub fn last_retirement(conn: &Connection, id: i64) -> anyhow::Result<Option<Retirement>> {
    let row = doing("cannot read when a project was retired", || {
        conn.prepare_cached(
            "SELECT c.changed_at,
                    CASE WHEN c.merge = 1
                          AND EXISTS (SELECT 1 FROM project_merges m
                                       WHERE m.project_id = c.project_id
                                         AND m.merged_at = c.changed_at)
                         THEN c.changed_by END
               FROM phase_changes c
              WHERE c.project_id = +?1 AND c.to_phase = 'retired'
              ORDER BY c.changed_at DESC, c.id DESC LIMIT 1",
        )?
        .query_row([id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
        })
        .optional()
    })?;
    row.map(|(at, by)| {
        let merged_by = by
            .map(|by| UserId::parse(&by).with_context(|| format!("stored merger {by:?}")))
            .transpose()?;
        Ok(Retirement { at, merged_by })
    })
    .transpose()
}

/// Who of project `from`'s team is not in project `into`'s, in the order they joined.
pub fn not_in_team_of(conn: &Connection, from: i64, into: i64) -> anyhow::Result<Vec<UserId>> {
    let ids = doing("cannot read a team", || {
        let mut stmt = conn.prepare_cached(
            "SELECT m.user_id FROM members m JOIN projects p ON p.id = m.project_id
             WHERE m.project_id = ?1
               AND NOT EXISTS (SELECT 1 FROM members n
                               WHERE n.project_id = ?2 AND n.user_id = m.user_id)
               -- A retired team keeps whoever left Slack since: nobody to tell.
               AND NOT EXISTS (SELECT 1 FROM people pe
                               WHERE pe.team_id = p.team_id AND pe.user_id = m.user_id
                                 AND pe.left_slack_at IS NOT NULL)
             ORDER BY m.joined_at, m.user_id",
        )?;
        let rows = stmt.query_map(params![from, into], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })?;
    ids.into_iter()
        .map(|id| {
            UserId::parse(&id).with_context(|| format!("stored member id {id:?} is malformed"))
        })
        .collect()
}
