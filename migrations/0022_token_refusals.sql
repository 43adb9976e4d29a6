-- When Slack began refusing a workspace's bot token (`invalid_auth`, `token_revoked`, …),
-- until a post to it goes through again. Meanwhile its posts wait; once the token has been
-- refused for a week they are given up as a removal of the app gives them up. Timed from the
-- first refusal, not from when a post was queued: a post parked for weeks (waiting for an
-- invitation) is not given up at the first refusal. The row names no person, and goes with
-- the workspace's removal.
CREATE TABLE token_refusals (
    team_id TEXT PRIMARY KEY,
    since   INTEGER NOT NULL
) WITHOUT ROWID;
