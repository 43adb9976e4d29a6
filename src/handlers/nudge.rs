//! Nudges: a project with no update for the nudge period gets one friendly reminder in its
//! thread, mentioning its team, once per quiet spell, in working hours. A new update or phase change starts a
//! new spell. One without a thread (its announcement refused for good) is told to its lead
//! instead, by DM, as a nudge refused in its channel is. Time is an argument, so tests walk
//! weeks forward without waiting.

use anyhow::Context;
use rusqlite::Connection;

use crate::domain::{ProjectNumber, Rules, TeamId, Title};
use crate::message::{NEVER_ANNOUNCED, Notice};
use crate::outbox::{self, Post, To};
use crate::store::{self, NudgeDue, QuietLead};

/// Queues the nudges due at `now`; returns how many. Call inside a write transaction: the
/// nudge and the record that it was sent commit together, so a restart never repeats one.
pub fn send_due_nudges(conn: &Connection, now: i64, rules: &Rules) -> anyhow::Result<usize> {
    // A nudge mentions the whole team: one due at night or at the weekend waits for working
    // hours (and one owed after an outage does not go out at 02:00).
    if !rules.is_working_hours(now) {
        return Ok(0);
    }
    let due = store::due_for_nudge(conn, now - rules.nudge_after)?;
    let mut sent = 0;
    for p in &due {
        // A member's id edited by hand passes over this project alone, not marked nudged:
        // it stopped every workspace's nudges at every tick (also where the nudge goes to
        // the lead, whose read failed so).
        let Some(team) = store::team_to_nudge(conn, p.project_id)? else {
            tracing::warn!(
                project_id = p.project_id,
                "a member's stored id is malformed; no nudge for it"
            );
            continue;
        };
        let Some(ts) = &p.announcement_ts else {
            sent += usize::from(nudge_lead_instead(conn, p, now)?);
            continue;
        };
        let notice = Notice::Nudge {
            number: p.number,
            title: Some(p.title.clone()),
            team,
            quiet_days: crate::domain::quiet_days(now, p.last_activity_at),
        };
        let to = To::Thread(p.channel.clone(), ts.clone());
        outbox::queue(conn, &Post::new(&p.team, to, notice), now).context("cannot queue nudge")?;
        store::mark_nudged(conn, p.project_id, p.last_activity_at)?;
        let (workspace, project) = (p.team.clone(), p.number.get());
        store::log_once_committed(
            move || tracing::info!(team = %workspace, project, "nudged a quiet project"),
        );
        sent += 1;
    }
    Ok(sent)
}

/// A quiet project `p` without a thread (its announcement refused for good: the channel
/// archived, posting there restricted, no invitation within 90 days) is told to whoever
/// leads it, as a nudge refused in its channel is, and marked nudged: once per quiet spell.
/// (It was never nudged at all, however long it was quiet.) `false`: passed over, not marked
/// nudged, where its stored lead's id is malformed.
fn nudge_lead_instead(conn: &Connection, p: &NudgeDue, now: i64) -> anyhow::Result<bool> {
    let quiet_days = crate::domain::quiet_days(now, p.last_activity_at);
    let read = tell_lead_of_quiet_project(conn, &p.team, p.number, now, |title| {
        Notice::NudgeNotPosted {
            number: p.number,
            title: Some(title),
            channel: p.channel.clone(),
            quiet_days,
            why: NEVER_ANNOUNCED.to_string(),
        }
    })
    .context("cannot queue nudge")?;
    if !read {
        return Ok(false);
    }
    store::mark_nudged(conn, p.project_id, p.last_activity_at)?;
    let (workspace, project) = (p.team.clone(), p.number.get());
    store::log_once_committed(
        move || tracing::info!(team = %workspace, project, "told the lead of a quiet project without a thread"),
    );
    Ok(true)
}

/// Queues, for quiet project `number` whose team could not be reminded in its channel, a
/// private note to whoever leads it now (`note`, given its title now): the lead can retire
/// it or post its news. Nothing where nobody leads it (the lead left; the team was asked to
/// choose one), or the lead was forgotten. `false`: nothing either where its stored lead's
/// id is malformed (edited by hand), passed over and logged with its id, not failing the
/// scheduler's tick (every workspace's nudges) or the outbox worker's pass.
pub(super) fn tell_lead_of_quiet_project(
    conn: &Connection,
    team: &TeamId,
    number: ProjectNumber,
    now: i64,
    note: impl FnOnce(Title) -> Notice,
) -> anyhow::Result<bool> {
    let (lead, title) = match store::lead_of_quiet_project(conn, team, number)? {
        QuietLead::Lead(lead, title) => (lead, title),
        QuietLead::Nobody => return Ok(true),
        QuietLead::Malformed(project_id) => {
            tracing::warn!(
                project_id,
                "its lead's stored id is malformed; the lead is not told it is quiet"
            );
            return Ok(false);
        }
    };
    outbox::queue(conn, &Post::new(team, To::Dm(lead), note(title)), now)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, column_of};

    /// A member whose stored id does not read as one (edited by hand) passes over that
    /// project alone: it stopped every workspace's nudges, at every tick. The other quiet
    /// project is nudged; that one is not marked nudged, so it is nudged once mended.
    #[test]
    fn a_malformed_member_passes_over_its_project_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO projects (id, team_id, number, title, pitcher, channel_id,
                                           announcement_ts, created_at, updated_at,
                                           last_activity_at)
                     VALUES (1, 'T1', 1, 'Bins', 'U1', 'C1', '1.000100', 0, 0, 0),
                            (2, 'T1', 2, 'Parking', 'U1', 'C1', '2.000100', 0, 0, 0);
                     INSERT INTO members (project_id, user_id, joined_at)
                     VALUES (1, 'U1', 0), (2, 'not a user', 0);",
                )?;
                Ok(())
            })
            .unwrap();
        // A Monday morning in London, weeks after the last news.
        let monday = chrono::DateTime::parse_from_rfc3339("2026-03-23T10:00:00Z")
            .unwrap()
            .timestamp();
        let rules = Rules::default();
        let sent = store
            .write(|tx| send_due_nudges(tx, monday, &rules))
            .unwrap();
        assert_eq!(sent, 1);
        let nudged = "SELECT CAST(number AS TEXT) FROM projects
                      WHERE nudged_for_activity_at IS NOT NULL";
        assert_eq!(column_of(&store, nudged), ["1"]);
        let queued = column_of(&store, "SELECT notice FROM outbox");
        assert!(queued.len() == 1 && queued[0].contains("U1"), "{queued:?}");
    }
}
