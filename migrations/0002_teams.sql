-- Teams across councils: who works for which council, the pitcher's council, and the order
-- of membership changes (so a late, retried reaction cannot undo a newer leave).

CREATE TABLE councils (
    id         INTEGER PRIMARY KEY,
    team_id    TEXT    NOT NULL,
    match_key  TEXT    NOT NULL, -- normalised name: "guildford" for "Guildford BC"
    name       TEXT    NOT NULL, -- shown: "Guildford Borough Council"
    created_at INTEGER NOT NULL,
    UNIQUE (team_id, match_key)
);

CREATE TABLE people (
    team_id    TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    council_id INTEGER REFERENCES councils (id),
    is_bot     INTEGER CHECK (is_bot IN (0, 1)), -- NULL until asked (users.info)
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;

ALTER TABLE projects ADD COLUMN pitcher_council_id INTEGER REFERENCES councils (id);

-- The latest membership change applied per person and project, in microseconds (Slack's
-- event_ts for reactions, our clock for commands and buttons).
CREATE TABLE membership_changes (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    TEXT    NOT NULL,
    changed_us INTEGER NOT NULL,
    PRIMARY KEY (project_id, user_id)
) WITHOUT ROWID;

-- The pitcher is the team's first member.
INSERT OR IGNORE INTO members (project_id, user_id, joined_at)
    SELECT id, pitcher, created_at FROM projects;
