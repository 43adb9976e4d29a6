//! A workspace that removed the bot (`app_uninstalled`, or its bot token revoked): its
//! installation is forgotten and its queued posts are parked with the reason, since no token
//! will post them. Its projects, people and history stay until an operator exports or
//! deletes them. Applying it twice, or both events in either order, ends the same way.

use rusqlite::Connection;

use crate::domain::TeamId;
use crate::store;

/// What removing a workspace did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    /// Whether an installation was there to forget.
    pub installation: bool,
    /// Posts parked.
    pub parked: usize,
}

pub fn remove_workspace(
    conn: &Connection,
    team: &TeamId,
    reason: &str,
    now: i64,
) -> anyhow::Result<Removed> {
    Ok(Removed {
        installation: store::remove_installation(conn, team)?,
        parked: store::park_team_posts(conn, team, reason, now)?,
    })
}
