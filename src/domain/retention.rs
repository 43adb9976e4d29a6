//! How long the bot keeps what it keeps only for a while: one place, read by the housekeeping
//! that prunes and by `/makers privacy`, which tells people.

/// A post the bot sent (or gave up on): kept to look into a complaint about it.
pub const SENT_POSTS_DAYS: u32 = 30;
/// A post waiting for the bot to be invited to its channel: older news is not posted as new.
pub const PARKED_POSTS_DAYS: u32 = 90;
/// A Slack event id (and a form's): Slack retries within minutes, nothing comes later.
pub const EVENT_IDS_DAYS: u32 = 3;

/// A "did you mean…?" council offer nobody answered: answered in minutes (said again, or
/// Pitch pressed again), or never; the row kept a person's id and what they typed.
pub const COUNCIL_OFFER_DAYS: u32 = 3;

/// A reaction Slack never said was a person's (`users.info` failing all along): given up
/// after as long as a workspace's posts wait out a refused token.
pub const PENDING_JOINS_DAYS: u32 = 7;

/// `days` in seconds.
pub const fn secs(days: u32) -> u64 {
    days as u64 * 24 * 3600
}
