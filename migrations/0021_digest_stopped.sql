-- `digest off` keeps the channel's row, noting when it stopped, so that turning the digest on
-- again does not list again what the last digest sent: the next period starts where that one
-- ended, or a week back, whichever is later. A row stopped more than a week ago no longer
-- changes that (a new start looks back a week anyway); the hourly housekeeping deletes it.
-- A digest Slack refuses for good (the channel archived) still deletes the row: its period was
-- never seen, so a later start looks back a week as a new one does.
ALTER TABLE digest_subscriptions ADD COLUMN stopped_at INTEGER;
