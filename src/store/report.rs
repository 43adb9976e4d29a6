//! The figures of `/makers report` and `makers-bot report`: counts over a period for one
//! workspace, or every one (`None`), and where things stand now. Read-only.

use rusqlite::{Connection, params};

use super::doing;
use super::people::{own_person, said_council};
use crate::domain::{Period, ReportFigures, TeamId};

/// The figures for `team` (every workspace with `None`) over `period`.
pub fn report_figures(
    conn: &Connection,
    team: Option<&TeamId>,
    period: Period,
) -> anyhow::Result<ReportFigures> {
    let t = team.map(TeamId::as_str);
    let Period { from, to } = period;
    let mut f = ReportFigures::default();
    doing("cannot read the report's figures", || {
        (f.pitched, f.pitched_councils) = conn
            .prepare_cached(
                "SELECT COUNT(*), COUNT(DISTINCT pitcher_council_id) FROM projects
                 WHERE (?1 IS NULL OR team_id = ?1) AND created_at >= ?2 AND created_at < ?3",
            )?
            .query_row(params![t, from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
        (f.moved_on, f.went_live, f.retired) = conn
            .prepare_cached(
                "SELECT COUNT(DISTINCT CASE WHEN c.to_phase <> 'retired' THEN p.id END),
                        COUNT(DISTINCT CASE WHEN c.to_phase = 'live' THEN p.id END),
                        COUNT(DISTINCT CASE WHEN c.to_phase = 'retired' THEN p.id END)
                 FROM phase_changes c JOIN projects p ON p.id = c.project_id
                 WHERE (?1 IS NULL OR p.team_id = ?1) AND c.changed_at >= ?2 AND c.changed_at < ?3",
            )?
            .query_row(params![t, from, to], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        // As the digest's "Who joined": the pitcher's own first membership is no join.
        (f.joins, f.join_councils) = conn
            .prepare_cached(concat!(
                "SELECT COUNT(*), COUNT(DISTINCT ",
                said_council!(),
                ") FROM members m CROSS JOIN projects p ON p.id = m.project_id ",
                own_person!(),
                " WHERE (?1 IS NULL OR p.team_id = ?1) AND m.joined_at >= ?2 AND m.joined_at < ?3
                   AND m.user_id != COALESCE(p.pitched_by, p.pitcher)"
            ))?
            .query_row(params![t, from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
        f.updates = conn
            .prepare_cached(
                "SELECT COUNT(*) FROM updates u JOIN projects p ON p.id = u.project_id
                 WHERE (?1 IS NULL OR p.team_id = ?1) AND u.created_at >= ?2 AND u.created_at < ?3
                   AND u.withdrawn_at IS NULL",
            )?
            .query_row(params![t, from, to], |r| r.get(0))?;
        f.published = conn
            .prepare_cached(
                "SELECT COUNT(*) FROM projects
                 WHERE (?1 IS NULL OR team_id = ?1) AND published_at >= ?2 AND published_at < ?3",
            )?
            .query_row(params![t, from, to], |r| r.get(0))?;
        (
            f.reuses,
            f.reuse_councils,
            f.reused_projects,
            f.reuses_by_others,
        ) = conn
            .prepare_cached(
                "SELECT COUNT(*), COUNT(DISTINCT r.council_id), COUNT(DISTINCT r.project_id),
                        COUNT(CASE WHEN r.council_id IS NOT p.pitcher_council_id THEN 1 END)
                 FROM reuses r JOIN projects p ON p.id = r.project_id
                 WHERE (?1 IS NULL OR p.team_id = ?1) AND r.created_at >= ?2 AND r.created_at < ?3",
            )?
            .query_row(params![t, from, to], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
        let mut stmt = conn.prepare_cached(
            "SELECT phase, COUNT(*) FROM projects
             WHERE (?1 IS NULL OR team_id = ?1) AND phase <> 'retired' GROUP BY phase",
        )?;
        let by_phase = stmt.query_map(params![t], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
        })?;
        for row in by_phase {
            let (phase, n) = row?;
            let at = ["discovery", "alpha", "beta", "live"]
                .iter()
                .position(|p| *p == phase);
            if let Some(at) = at {
                f.open_by_phase[at] = n;
            }
        }
        f.in_catalogue = conn
            .prepare_cached(
                "SELECT COUNT(*) FROM projects
                 WHERE (?1 IS NULL OR team_id = ?1) AND published_at IS NOT NULL",
            )?
            .query_row(params![t], |r| r.get(0))?;
        (f.people, f.councils) = conn
            .prepare_cached(concat!(
                "SELECT COUNT(DISTINCT p.team_id || ' ' || m.user_id), COUNT(DISTINCT ",
                said_council!(),
                ") FROM projects p CROSS JOIN members m ON m.project_id = p.id ",
                own_person!(),
                " WHERE (?1 IS NULL OR p.team_id = ?1) AND p.phase <> 'retired'"
            ))?
            .query_row(params![t], |r| Ok((r.get(0)?, r.get(1)?)))?;
        (f.reuses_standing, f.reusing_councils) = conn
            .prepare_cached(
                "SELECT COUNT(*), COUNT(DISTINCT r.council_id)
                 FROM reuses r JOIN projects p ON p.id = r.project_id
                 WHERE (?1 IS NULL OR p.team_id = ?1)",
            )?
            .query_row(params![t], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(())
    })?;
    f.by_council = super::reuses::council_moves(conn, period, team)?;
    Ok(f)
}

/// When the first project of `team` (every workspace with `None`) was pitched: where a
/// report of everything starts. `None` when nothing was.
pub fn first_pitched_at(conn: &Connection, team: Option<&TeamId>) -> anyhow::Result<Option<i64>> {
    doing("cannot read when the first project was pitched", || {
        conn.prepare_cached(
            "SELECT MIN(created_at) FROM projects WHERE (?1 IS NULL OR team_id = ?1)",
        )?
        .query_row(params![team.map(TeamId::as_str)], |r| r.get(0))
    })
}
