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
