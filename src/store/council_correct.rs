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
use crate::domain::{TeamId, UserId};

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
    /// Projects they pitched that the wrong council leads as pitched (never set since).
    pub projects: usize,
}

impl CouncilCorrection {
    pub fn is_empty(&self) -> bool {
        self.people + self.joins + self.projects == 0
    }
}

/// SQL, parameters `?1` user, `?2` the wrong council, `?3` the first join time in scope
/// (NULL: every one): a membership `m` of theirs whose kept council is the wrong one, in
/// scope. One counting for the council they say now follows their `people` row.
const KEPT_IN_SCOPE: &str =
    "m.user_id = ?1 AND m.council_id = ?2 AND (?3 IS NULL OR m.joined_at >= ?3)";

/// SQL, same parameters: a project `p` they pitched that the wrong council leads as it was
/// pitched, in scope. One whose lead council was set since (`lead_council_at`) was set by
/// its team, or by their first council said: theirs to set again (`/makers lead-council`).
const LED_IN_SCOPE: &str = "COALESCE(p.pitched_by, p.pitcher) = ?1 AND p.pitcher_council_id = ?2
     AND p.lead_council_at IS NULL AND (?3 IS NULL OR p.created_at >= ?3)";

/// What correcting `user`'s council `wrong` would rewrite, seen from workspace `team`
/// (whose row says whether it is their council now).
pub fn council_correction(
    conn: &Connection,
    team: &TeamId,
    user: &UserId,
    wrong: i64,
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
        let n = |count: i64| usize::try_from(count).unwrap_or(0);
        Ok(CouncilCorrection {
            scope,
            people: n(people),
            joins: n(joins),
            projects: n(projects),
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

/// Rewrites what [`council_correction`] found (`found`, read in this transaction) for
/// council `right`: their `people` rows recorded as the wrong council say the right one
/// (when it changed stays as it was: it changed then, to this one), their memberships kept
/// for it in scope and the projects it leads as they pitched them, the right one's.
pub fn correct_council(
    conn: &Connection,
    user: &UserId,
    wrong: i64,
    right: i64,
    found: &CouncilCorrection,
    now: i64,
) -> anyhow::Result<()> {
    let from = found.scope.from();
    doing("cannot correct the person's council", || {
        for table in ["members", "memberships_ended"] {
            conn.execute(
                &format!("UPDATE {table} AS m SET council_id = ?4 WHERE {KEPT_IN_SCOPE}"),
                params![user.as_str(), wrong, from, right],
            )?;
        }
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
