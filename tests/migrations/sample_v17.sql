-- Rows as schema version 17 (0017_removed_workspaces.sql) holds them: a project with an update,
-- a used install link's state, and a workspace that removed the app.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out', 'alpha', 'U1',
        'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000060, NULL, NULL, NULL);
INSERT INTO updates (project_id, author, body, created_at)
VALUES (1, 'U1', 'Prototype up with recycling reminders', 1700000060);
INSERT INTO oauth_states (state, expires_at) VALUES ('00ff.1700000600.abcd', 1700000600);
INSERT INTO removed_workspaces (team_id, removed_at) VALUES ('T9', 1700000700);
