-- When Slack began refusing a workspace's bot token (`invalid_auth`, `token_revoked`, …),
-- until a post to it goes through again. Meanwhile its posts wait; once the token has been
-- refused for a week they are given up as a removal of the app gives them up. Timed from the
-- first refusal, not from when a post was queued: a post parked for weeks (waiting for an
-- invitation) is not given up at the first refusal. `last_at` is the latest refusal: a
-- refusal over an hour after it starts a new run (the worker tries a refused workspace at
-- least every five minutes while it has posts), so a row left behind (no answer since that
-- showed the token working) cannot give a later refusal's posts up at once. The row names
-- no person, and goes with the workspace's removal.
CREATE TABLE token_refusals (
    team_id TEXT PRIMARY KEY,
    since   INTEGER NOT NULL,
    last_at INTEGER NOT NULL
) WITHOUT ROWID;
