-- OAuth: one bot installed in many workspaces. Each workspace's bot token is stored sealed
-- (XChaCha20-Poly1305 under a key derived from MAKERS_SECRET_KEY, random nonce per row, the
-- team id as associated data): `bot_token` is nonce || ciphertext, never the token itself.
CREATE TABLE installations (
    team_id       TEXT    NOT NULL PRIMARY KEY,
    team_name     TEXT    NOT NULL,
    enterprise_id TEXT,              -- NULL outside Enterprise Grid
    app_id        TEXT    NOT NULL,
    bot_user_id   TEXT    NOT NULL,
    bot_token     BLOB    NOT NULL,
    scopes        TEXT    NOT NULL,  -- comma-separated, as Slack granted them
    installed_by  TEXT    NOT NULL,  -- the authed user's id
    installed_at  INTEGER NOT NULL,  -- first install
    updated_at    INTEGER NOT NULL   -- latest (re-)install
) WITHOUT ROWID;

-- A known value sealed with the key in use when the first token was stored: a different
-- MAKERS_SECRET_KEY at a later start fails to open it and the bot refuses to start.
CREATE TABLE secret_key_check (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    sealed     BLOB    NOT NULL,
    created_at INTEGER NOT NULL
);

-- OAuth `state` values handed out by /slack/install, each accepted once within its life.
CREATE TABLE oauth_states (
    state      TEXT    NOT NULL PRIMARY KEY,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

-- One catalogue across workspaces: a council is the same council whichever workspace its
-- people are in, keyed by its normalised name alone. Copies recorded in several workspaces
-- merge into the oldest (lowest id), keeping its spelling; whatever pointed at another copy
-- (people, pitches, re-uses) points at it. `team_id` stays as the workspace that recorded
-- the council first.
CREATE TEMP TABLE council_merge AS
    SELECT c.id AS old_id,
           (SELECT MIN(k.id) FROM councils k WHERE k.match_key = c.match_key) AS new_id
      FROM councils c;
DELETE FROM council_merge WHERE old_id = new_id;

UPDATE people
   SET council_id = (SELECT new_id FROM council_merge WHERE old_id = people.council_id)
 WHERE council_id IN (SELECT old_id FROM council_merge);
UPDATE projects
   SET pitcher_council_id =
       (SELECT new_id FROM council_merge WHERE old_id = projects.pitcher_council_id)
 WHERE pitcher_council_id IN (SELECT old_id FROM council_merge);
-- A project re-used by two copies of one council is one re-use: the first moved wins and
-- the other copy's row goes.
UPDATE OR IGNORE reuses
   SET council_id = (SELECT new_id FROM council_merge WHERE old_id = reuses.council_id)
 WHERE council_id IN (SELECT old_id FROM council_merge);
DELETE FROM reuses WHERE council_id IN (SELECT old_id FROM council_merge);

DELETE FROM councils WHERE id IN (SELECT old_id FROM council_merge);
DROP TABLE council_merge;
CREATE UNIQUE INDEX councils_by_match_key ON councils (match_key);
