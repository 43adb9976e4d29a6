//! A person's council recorded wrongly, put right for the past (`makers-bot council correct`,
//! a rectification request): what was recorded for the wrong council through them counts
//! for the right one, as if they had said it from the start.
//!
//! A change of council a day or more after it was said is taken for a change of job, and
//! their joins so far keep the council before (`members::keep_join_councils`): for someone
//! who never worked there, that keeps a wrong record for good. This rewrites only the
//! attributions made through the wrong council's last spell with them (see
//! [`CorrectionScope`]), so a real change of job before or after it stays as it was.

use rusqlite::{Connection, OptionalExtension, params};

use super::doing;
use crate::domain::{ProjectNumber, TeamId, UserId};

/// Where the wrong council's spell with the person starts: what is rewritten is what was
/// recorded for it since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectionScope {
    /// It is their council in the workspace asked about now, recorded as it at this time
    /// (unix seconds; `None`, before migration 0054 kept the time: from the start). Their
    /// joins kept for it before then were kept at an earlier change of job, from a real
    /// spell there.
    Now { since: Option<i64> },
    /// They have said another council since (a day or more later, so their joins were kept
    /// for it): its last spell, the joins kept for it made after their latest join kept for
    /// another council before (`None`: from the start). That is as far back as the record
    /// tells; the time they said it is not kept once they say another.
    Before { after: Option<i64> },
}

impl CorrectionScope {
    /// The earliest join time rewritten (inclusive), if any.
    fn from(self) -> Option<i64> {
        match self {
            CorrectionScope::Now { since } => since,
            CorrectionScope::Before { after } => after.map(|t| t.saturating_add(1)),
        }
    }
}

/// What a correction of `user`'s council rewrites (or would).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilCorrection {
    pub scope: CorrectionScope,
    /// Their `people` rows (one a workspace) recorded as the wrong council.
    pub people: usize,
    /// Teams they joined whose join counts for the wrong council, counted as reports count
    /// joins (a team joined twice is one; not the pitcher's own membership).
    pub joins: usize,
    /// Projects they pitched that the wrong council leads as pitched, or as their first
    /// council said set it (never set since).
    pub projects: usize,
    /// Projects they pitched that the wrong council led so, whose lead council the team has
    /// set since (workspace, number): their current lead stays the team's, while the lead
    /// kept from before (`lead_councils_ended`), which past reports count the pitch for, is
    /// rewritten.
    pub set_since: Vec<(TeamId, ProjectNumber)>,
    /// Projects of `projects` that the right council re-uses (workspace, number): a council
    /// does not re-use its own work, so the re-use ends, kept as ended, as `council merge`
    /// ends one.
    pub reuses_ended: Vec<(TeamId, ProjectNumber)>,
}

impl CouncilCorrection {
    pub fn is_empty(&self) -> bool {
        self.people + self.joins + self.projects + self.set_since.len() == 0
    }
}

/// SQL, parameters `?1` user, `?2` the wrong council, `?3` the first join time in scope
/// (NULL: every one): a membership `m` of theirs whose kept council is the wrong one, in
/// scope. One counting for the council they say now follows their `people` row.
const KEPT_IN_SCOPE: &str =
    "m.user_id = ?1 AND m.council_id = ?2 AND (?3 IS NULL OR m.joined_at >= ?3)";

/// SQL, same parameters: a project `p` they pitched that the wrong council leads as it was
/// pitched, in scope; or, pitched before they said any council in its workspace, as their
/// first council said set it (`lead_unled_projects`), said in scope. That one is told from
/// a lead council the team set (`set_lead_council`) by when it was set: with their first
/// council said (`council_first_said_at`, the same instant), and none kept from before it.
/// One set since by the team is the team's to set again (`/makers lead-council`).
const LED_IN_SCOPE: &str = "COALESCE(p.pitched_by, p.pitcher) = ?1 AND p.pitcher_council_id = ?2
     AND ((p.lead_council_at IS NULL AND (?3 IS NULL OR p.created_at >= ?3))
          OR (EXISTS (SELECT 1 FROM people pe WHERE pe.team_id = p.team_id AND pe.user_id = ?1
                         AND pe.council_first_said_at = p.lead_council_at
                         AND (?3 IS NULL OR pe.council_first_said_at >= ?3))
              AND NOT EXISTS (SELECT 1 FROM lead_councils_ended e WHERE e.project_id = p.id)))";

/// SQL, same parameters: the lead council `l` kept for a project `p` they pitched, the first
/// one kept (so what led it from its pitch, and what reports count the pitch for), the
/// wrong council, which led it through them in scope: as pitched, or as their first council
/// said set it, said in scope and before the team set another. Its lead now was set by the
/// team, and stays theirs.
const LED_BEFORE_IN_SCOPE: &str = "COALESCE(p.pitched_by, p.pitcher) = ?1 AND l.council_id = ?2
     AND NOT EXISTS (SELECT 1 FROM lead_councils_ended e
                      WHERE e.project_id = p.id AND e.until_at < l.until_at)
     AND ((?3 IS NULL OR p.created_at >= ?3)
          OR EXISTS (SELECT 1 FROM people pe WHERE pe.team_id = p.team_id AND pe.user_id = ?1
                        AND p.created_at <= pe.council_first_said_at
                        AND pe.council_first_said_at < l.until_at
                        AND (?3 IS NULL OR pe.council_first_said_at >= ?3)))";

/// SQL, same parameters and `?4` the right council: a project `p` of [`LED_IN_SCOPE`] that
/// the right council re-uses, so would lead and re-use at once.
const REUSED_BY_RIGHT: &str = "EXISTS (SELECT 1 FROM reuses r
                                 WHERE r.project_id = p.id AND r.council_id = ?4)";

/// What correcting `user`'s council `wrong` into `right` (`None`: a council not yet
/// recorded) would rewrite, seen from workspace `team` (whose row says whether it is their
/// council now).
pub fn council_correction(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    wrong: i64,
    right: Option<i64>,
) -> anyhow::Result<CouncilCorrection> {
    let scope = scope(conn, team, user, wrong)?;
    let from = scope.from();
    doing("cannot count what the correction rewrites", || {
        let people: i64 = conn.query_row(
            "SELECT COUNT(*) FROM people WHERE user_id = ?1 AND council_id = ?2",
            params![user.as_str(), wrong],
            |r| r.get(0),
        )?;
        // Kept for it in scope, or counting for the council they say now, which is it.
        let joins: i64 = conn.query_row(
            &format!(
                "SELECT COUNT(DISTINCT m.project_id)
                   FROM {memberships} m JOIN projects p ON p.id = m.project_id {own}
                  WHERE m.user_id = ?1 AND {not_pitchs_own}
                    AND (({KEPT_IN_SCOPE}) OR (m.council_id IS NULL AND {said} = ?2))",
                memberships = super::report::MEMBERSHIPS,
                own = super::people::own_person!(),
                not_pitchs_own = super::report::not_pitchs_own!(),
                said = super::people::said_council!(),
            ),
            params![user.as_str(), wrong, from],
            |r| r.get(0),
        )?;
        let projects: i64 = conn.query_row(
            &format!("SELECT COUNT(*) FROM projects p WHERE {LED_IN_SCOPE}"),
            params![user.as_str(), wrong, from],
            |r| r.get(0),
        )?;
        let set_since = conn
            .prepare(&format!(
                "SELECT p.team_id, p.number FROM lead_councils_ended l
                   JOIN projects p ON p.id = l.project_id
                  WHERE {LED_BEFORE_IN_SCOPE} ORDER BY p.team_id, p.number"
            ))?
            .query_map(params![user.as_str(), wrong, from], |r| {
                Ok((
                    super::digests::stored_team(r.get(0)?)?,
                    super::digests::project_number(r.get(1)?)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        // A new council re-uses nothing.
        let reuses_ended = match right {
            None => Vec::new(),
            Some(right) => conn
                .prepare(&format!(
                    "SELECT p.team_id, p.number FROM projects p
                      WHERE {LED_IN_SCOPE} AND {REUSED_BY_RIGHT} ORDER BY p.team_id, p.number"
                ))?
                .query_map(params![user.as_str(), wrong, from, right], |r| {
                    Ok((
                        super::digests::stored_team(r.get(0)?)?,
                        super::digests::project_number(r.get(1)?)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?,
        };
        let n = |count: i64| usize::try_from(count).unwrap_or(0);
        Ok(CouncilCorrection {
            scope,
            people: n(people),
            joins: n(joins),
            projects: n(projects),
            set_since,
            reuses_ended,
        })
    })
}

/// The wrong council's spell with `user` ([`CorrectionScope`]).
fn scope(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    wrong: i64,
) -> anyhow::Result<CorrectionScope> {
    doing("cannot read when the council was recorded", || {
        let here: Option<(Option<i64>, Option<i64>)> = conn
            .query_row(
                "SELECT council_id, council_changed_at FROM people
                  WHERE team_id = ?1 AND user_id = ?2",
                params![team.as_str(), user.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((Some(now), since)) = here
            && now == wrong
        {
            return Ok(CorrectionScope::Now { since });
        }
        let after = conn.query_row(
            &format!(
                "SELECT MAX(m.joined_at) FROM {memberships} m
                  WHERE m.user_id = ?1 AND m.council_id IS NOT NULL AND m.council_id != ?2
                    AND m.joined_at < (SELECT MAX(w.joined_at) FROM {memberships} w
                                        WHERE w.user_id = ?1 AND w.council_id = ?2)",
                memberships = super::report::MEMBERSHIPS,
            ),
            params![user.as_str(), wrong],
            |r| r.get(0),
        )?;
        Ok(CorrectionScope::Before { after })
    })
}

/// Rewrites, for council `right`, what [`council_correction`] found in `scope` (read in this
/// transaction): their `people` rows recorded as the wrong council say the right one
/// (when it changed stays as it was: it changed then, to this one), their memberships kept
/// for it in scope, the projects it leads through them and the lead kept for it from their
/// pitch of those the team has set since, the right one's; the right one's re-uses of the
/// projects it now leads end.
pub fn correct_council(
    conn: &Connection,
    user: &UserId,
    wrong: i64,
    right: i64,
    scope: CorrectionScope,
    now: i64,
) -> anyhow::Result<()> {
    let from = scope.from();
    doing("cannot correct the person's council", || {
        for table in ["members", "memberships_ended"] {
            conn.execute(
                &format!("UPDATE {table} AS m SET council_id = ?4 WHERE {KEPT_IN_SCOPE}"),
                params![user.as_str(), wrong, from, right],
            )?;
        }
        // Before the projects' lead moves, while they are still told by it: the right
        // council's re-uses of those it is to lead end, kept as ended (as `council merge`
        // ends them), so that no council leads and re-uses one project. A past period's
        // report counts such a re-use as it stood then.
        let reused: Vec<i64> = conn
            .prepare(&format!(
                "SELECT p.id FROM projects p WHERE {LED_IN_SCOPE} AND {REUSED_BY_RIGHT}"
            ))?
            .query_map(params![user.as_str(), wrong, from, right], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for project in reused {
            super::reuses::end_reuse(conn, project, right, now)?;
        }
        // Before the projects' own lead: the first kept is told by when it ended, not by it.
        conn.execute(
            &format!(
                "UPDATE lead_councils_ended AS l SET council_id = ?4
                  WHERE EXISTS (SELECT 1 FROM projects p
                                 WHERE p.id = l.project_id AND {LED_BEFORE_IN_SCOPE})"
            ),
            params![user.as_str(), wrong, from, right],
        )?;
        conn.execute(
            &format!(
                "UPDATE projects AS p SET pitcher_council_id = ?4, updated_at = ?5
                  WHERE {LED_IN_SCOPE}"
            ),
            params![user.as_str(), wrong, from, right, now],
        )?;
        conn.execute(
            "UPDATE people SET council_id = ?3, council_offer = NULL, updated_at = ?4
              WHERE user_id = ?1 AND council_id = ?2",
            params![user.as_str(), wrong, right, now],
        )?;
        Ok(())
    })
}
