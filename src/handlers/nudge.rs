//! Nudges: a project with no update for the nudge period gets one friendly reminder in its
//! thread, mentioning its team, once per quiet spell, in working hours. A new update or phase change starts a
//! new spell. Time is an argument, so tests walk weeks forward without waiting.

use anyhow::Context;
use rusqlite::Connection;

use crate::domain::Rules;
use crate::message::Notice;
use crate::outbox::{self, Post, To};
use crate::store;

/// Queues the nudges due at `now`; returns how many. Call inside a write transaction: the
/// nudge and the record that it was sent commit together, so a restart never repeats one.
pub fn send_due_nudges(conn: &Connection, now: i64, rules: &Rules) -> anyhow::Result<usize> {
    // A nudge mentions the whole team: one due at night or at the weekend waits for working
    // hours (and one owed after an outage does not go out at 02:00).
    if !rules.is_working_hours(now) {
        return Ok(0);
    }
    let due = store::due_for_nudge(conn, now - rules.nudge_after)?;
    for p in &due {
        let team = store::members_of(conn, p.project_id)?
            .into_iter()
            .map(|m| m.user)
            .collect();
        let notice = Notice::Nudge {
            number: p.number,
            title: Some(p.title.clone()),
            team,
            quiet_days: (now - p.last_activity_at) / (24 * 3600),
        };
        let to = To::Thread(p.channel.clone(), p.announcement_ts.clone());
        outbox::queue(conn, &Post::new(&p.team, to, notice), now).context("cannot queue nudge")?;
        store::mark_nudged(conn, p.project_id, p.last_activity_at)?;
        tracing::info!(team = %p.team, project = p.number.get(), "nudged a quiet project");
    }
    Ok(due.len())
}
