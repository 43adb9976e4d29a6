-- Workspaces that removed the app (app_uninstalled, or the bot token revoked) and have not
-- installed it again. `SLACK_BOT_TOKEN`, kept beside OAuth for the workspace a single-token
-- deployment served, is that one workspace's token: it is never used for one of these.
-- A new install of the workspace deletes its row. Not about any person.
CREATE TABLE removed_workspaces (
    team_id    TEXT    NOT NULL PRIMARY KEY,
    removed_at INTEGER NOT NULL
) WITHOUT ROWID;
