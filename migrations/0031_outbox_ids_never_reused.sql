-- Outbox ids are never used twice. Without AUTOINCREMENT, SQLite gives a new row the largest
-- id plus one, so the id of a post deleted while it was the newest (a join line taken back
-- when the reaction is, a post a forget or a removal drops) went to the next post queued.
-- The worker, which may hold the deleted post in memory for the seconds its channel's pacing
-- takes, then posted it and recorded its delivery against the new row: the new post was
-- marked delivered without being sent (another project's announcement, say). With
-- AUTOINCREMENT a deleted id is never handed out again, so the worker's record finds no row
-- and changes nothing. The table is made again (SQLite cannot add AUTOINCREMENT in place),
-- with its rows, ids and indexes as they were.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id         TEXT    NOT NULL,
    channel_id      TEXT    NOT NULL,
    thread_ts       TEXT,
    notice          TEXT    NOT NULL, -- JSON of handlers::Notice
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    message_ts      TEXT,
    failed_at       INTEGER,
    last_error      TEXT
);
INSERT INTO outbox_new (id, team_id, channel_id, thread_ts, notice, attempts, next_attempt_at,
                        created_at, delivered_at, message_ts, failed_at, last_error)
SELECT id, team_id, channel_id, thread_ts, notice, attempts, next_attempt_at, created_at,
       delivered_at, message_ts, failed_at, last_error
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (next_attempt_at)
    WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_heads ON outbox (team_id, channel_id, id)
    WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_parked ON outbox (team_id, channel_id)
    WHERE delivered_at IS NULL AND failed_at IS NOT NULL AND last_error = 'not_in_channel';
