-- `digest off` keeps the channel's row, noting when it stopped, so that turning the digest on
-- again does not list again what the last digest sent (the next period starts where that one
-- ended, or a week back, whichever is later), and `digest` alone brings back the time it had.
-- The row names no person (team, channel, times), and goes with the workspace's removal.
-- A digest Slack refuses for good (the channel archived) still deletes the row: its period was
-- never seen, so a later start looks back a week as a new one does.
ALTER TABLE digest_subscriptions ADD COLUMN stopped_at INTEGER;
