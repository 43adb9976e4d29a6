//! What a person's Home tab reads beyond `list` and the skills query: their projects with
//! the latest news, and open projects that need people.

use rusqlite::{Connection, OptionalExtension, params};

use super::people::{own_person, said_council};
use super::projects::SummaryRow;
use crate::domain::{
    GiveAndTake, HomeProject, ProjectNumber, ProjectSummary, TeamId, Title, UserId,
};

/// The person's open projects, those they lead first, then newest first, each with its
/// latest update. `quiet_since` as for `list`. Starts from the person's memberships (an
/// index on `members.user_id`), not from every project of the workspace.
pub fn home_projects(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    quiet_since: i64,
) -> anyhow::Result<Vec<HomeProject>> {
    let mut stmt = conn.prepare_cached(HOME_PROJECTS)?;
    let rows = stmt.query_map(params![team.as_str(), user.as_str()], |r| {
        Ok((
            SummaryRow::read(r)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, Option<i64>>(6)?,
            r.get::<_, bool>(7)?,
        ))
    })?;
    rows.map(|row| {
        let (line, body, at, leads) = row?;
        Ok(HomeProject {
            project: line.summary(quiet_since)?,
            last_news: body.zip(at),
            leads,
        })
    })
    .collect()
}

/// Open projects `user` leads without being in their team (they left it), newest first: they
/// may still post updates there, as `/makers update` lets the lead.
pub fn led_from_outside(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
) -> anyhow::Result<Vec<(ProjectNumber, Title)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT number, title FROM projects p
         WHERE team_id = ?1 AND pitcher = ?2 AND phase != 'retired'
           AND NOT EXISTS (SELECT 1 FROM members m WHERE m.project_id = p.id AND m.user_id = ?2)
         ORDER BY number DESC",
    )?;
    let rows = stmt.query_map(params![team.as_str(), user.as_str()], |r| {
        Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut led = Vec::new();
    for row in rows {
        let (number, title) = row?;
        if let Some(number) = ProjectNumber::new(number) {
            led.push((number, Title::from_stored(title)));
        }
    }
    Ok(led)
}

/// Open projects whose team is smaller than `small_team` and that `user` is not in, newest
/// first, at most `limit`.
pub fn projects_needing_people(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    small_team: u32,
    quiet_since: i64,
    limit: u32,
) -> anyhow::Result<Vec<ProjectSummary>> {
    let mut stmt = conn.prepare_cached(NEEDING_PEOPLE)?;
    let rows = stmt.query_map(
        params![team.as_str(), user.as_str(), small_team, limit],
        SummaryRow::read,
    )?;
    rows.map(|row| row?.summary(quiet_since)).collect()
}

/// One council's give and take, as [`super::give_and_take`] counts it, read from that
/// council's own rows (its people's memberships, its projects, its re-uses) rather than the
/// whole workspace's: the Home and `/makers council` show one council. `None` if no council
/// has that id.
pub fn council_give_and_take(
    conn: &Connection,
    council: i64,
) -> anyhow::Result<Option<GiveAndTake>> {
    let mut stmt = conn.prepare_cached(COUNCIL_LINE)?;
    let found = stmt
        .query_row(params![council], |r| {
            Ok(GiveAndTake {
                council: r.get(0)?,
                led: r.get(1)?,
                people: r.get(2)?,
                reuses: r.get(3)?,
                reused_by_others: r.get(4)?,
            })
        })
        .optional()?;
    Ok(found)
}

// The Home's statements, named so a test can check they are not re-prepared each time.
// The asker's projects: those they lead first (a Home names the first 25), then newest first.
pub(super) const HOME_PROJECTS: &str = "SELECT p.number, p.title, p.phase,
                (SELECT COUNT(*) FROM members c WHERE c.project_id = p.id), p.last_activity_at,
                u.body, u.created_at, p.pitcher = m.user_id
           FROM members m CROSS JOIN projects p ON p.id = m.project_id
           LEFT JOIN updates u ON u.id = (SELECT id FROM updates l WHERE l.project_id = p.id
                                            AND l.withdrawn_at IS NULL
                                           ORDER BY l.created_at DESC, l.id DESC LIMIT 1)
          WHERE m.user_id = +?2 AND p.team_id = +?1 AND p.phase != 'retired'
          ORDER BY p.pitcher = m.user_id DESC, p.number DESC";

pub(super) const NEEDING_PEOPLE: &str = "SELECT number, title, phase, n, last_activity_at FROM (
             SELECT p.number, p.title, p.phase, p.last_activity_at,
                    (SELECT COUNT(*) FROM members c WHERE c.project_id = p.id) AS n
               FROM projects p
              WHERE p.team_id = +?1 AND p.phase != 'retired'
                AND NOT EXISTS (SELECT 1 FROM members m
                                 WHERE m.project_id = p.id AND m.user_id = +?2)
              ORDER BY p.number DESC)
          WHERE n < +?3 LIMIT +?4";

// A council's figures span every workspace its people are in.
// Its people: whoever said it in some workspace (its index), in teams of any workspace where
// it is the council they count for there (`said_council!`).
pub(super) const COUNCIL_LINE: &str = concat!(
    "SELECT c.name,
                (SELECT COUNT(*) FROM projects p WHERE p.pitcher_council_id = c.id),
                (SELECT COUNT(DISTINCT m.user_id)
                   FROM people pe CROSS JOIN members m ON m.user_id = pe.user_id
                   CROSS JOIN projects p ON p.id = m.project_id ",
    own_person!(),
    " WHERE pe.council_id = c.id AND p.phase != 'retired' AND ",
    said_council!(),
    " = c.id),
                (SELECT COUNT(*) FROM reuses r WHERE r.council_id = c.id),
                (SELECT COUNT(*) FROM projects p CROSS JOIN reuses r ON r.project_id = p.id
                  WHERE p.pitcher_council_id = c.id AND r.council_id != c.id)
           FROM councils c WHERE c.id = +?1"
);
