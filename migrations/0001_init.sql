-- The foundation: projects, and room for teams, updates, digests and idempotency.
-- Times are unix seconds (UTC). Everything is scoped by Slack team (workspace) id.

CREATE TABLE projects (
    id              INTEGER PRIMARY KEY,
    team_id         TEXT    NOT NULL,
    number          INTEGER NOT NULL CHECK (number > 0),
    title           TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    phase           TEXT    NOT NULL DEFAULT 'discovery'
                    CHECK (phase IN ('discovery', 'alpha', 'beta', 'live', 'retired')),
    pitcher         TEXT    NOT NULL,
    channel_id      TEXT    NOT NULL,
    announcement_ts TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (team_id, number)
);
-- A reaction or button press finds its project by the announcement it points at.
CREATE UNIQUE INDEX projects_by_announcement
    ON projects (team_id, channel_id, announcement_ts)
    WHERE announcement_ts IS NOT NULL;

CREATE TABLE members (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    TEXT    NOT NULL,
    joined_at  INTEGER NOT NULL,
    PRIMARY KEY (project_id, user_id)
) WITHOUT ROWID;

CREATE TABLE updates (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    author     TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX updates_by_project ON updates (project_id, created_at);

CREATE TABLE digest_subscriptions (
    team_id    TEXT    NOT NULL,
    channel_id TEXT    NOT NULL,
    weekday    INTEGER NOT NULL DEFAULT 1 CHECK (weekday BETWEEN 1 AND 7), -- ISO: 1 = Monday
    minute_of_day INTEGER NOT NULL DEFAULT 540 CHECK (minute_of_day BETWEEN 0 AND 1439),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (team_id, channel_id)
) WITHOUT ROWID;

-- Slack retries a delivery with the same event_id; recording it in the same transaction as
-- the event's effect makes the effect happen once.
CREATE TABLE processed_events (
    event_id    TEXT    PRIMARY KEY,
    team_id     TEXT    NOT NULL,
    received_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX processed_events_by_age ON processed_events (received_at);

-- Every message the bot posts is first written here, in the transaction that caused it, and
-- delivered by a background worker: a crash between the reply and the post loses nothing.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
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
CREATE INDEX outbox_pending ON outbox (next_attempt_at)
    WHERE delivered_at IS NULL AND failed_at IS NULL;
