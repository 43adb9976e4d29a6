//! What follows Slack saying whether a pitch's channel is private (asked by the outbox
//! worker): recorded, and, where it is news that the channel is private, the pitchers of
//! projects just pitched there are told who will see them (their pitch was answered before
//! Slack was asked).

use rusqlite::Connection;

use crate::domain::{ChannelId, TeamId};
use crate::message::{Notice, Reply};
use crate::outbox::{self, Post, To};
use crate::store;

/// Projects pitched this long before Slack's answer (seconds) have their pitchers told: the
/// pitch just made, or made while Slack was down. Older ones (a channel asked about when the
/// upgraded bot first starts, one made private since) are not: a note about a project pitched
/// weeks ago would come out of nowhere.
const JUST_PITCHED: i64 = 3600;

/// Records what Slack said of `channel` at `now` (`None`: it will not say; see
/// `store::channel_known`); if it is private and was not known to be,
/// tells the pitcher of each open project pitched there within [`JUST_PITCHED`], privately in
/// the channel.
pub fn channel_known(
    conn: &Connection,
    team: &TeamId,
    channel: &ChannelId,
    said: Option<store::ChannelSaid>,
    now: i64,
) -> anyhow::Result<()> {
    let was_private = store::is_private(conn, team, channel)?;
    store::channel_known(conn, team, channel, said, now)?;
    if !said.is_some_and(|s| s.private) || was_private {
        return Ok(());
    }
    for (number, title, pitcher) in
        store::open_projects_pitched_in(conn, team, channel, now - JUST_PITCHED)?
    {
        let reply = Reply::PitchedInPrivate {
            number,
            title,
            channel: channel.clone(),
        };
        let to = To::Ephemeral(channel.clone(), pitcher);
        outbox::queue(conn, &Post::new(team, to, Notice::Reply { reply }), now)?;
    }
    Ok(())
}
