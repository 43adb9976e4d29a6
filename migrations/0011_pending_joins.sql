-- A reaction by someone the bot has not yet asked Slack about (users.info) is a pending join,
-- not a membership: another app's bot must never show as a member, even for a moment. The
-- outbox worker asks, then makes the membership (a person) or drops the row (a bot).
CREATE TABLE pending_joins (
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    team_id     TEXT    NOT NULL,
    user_id     TEXT    NOT NULL,
    at_us       INTEGER NOT NULL, -- the reaction's time: membership changes are ordered by it
    check_after INTEGER NOT NULL, -- unix seconds: when to ask Slack (again, after a failure)
    PRIMARY KEY (project_id, user_id)
) WITHOUT ROWID;
CREATE INDEX pending_joins_due ON pending_joins (check_after);
CREATE INDEX pending_joins_by_person ON pending_joins (team_id, user_id);
