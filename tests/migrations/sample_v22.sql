-- Rows as schema version 22 (0022_token_refusals.sql) holds them: a project, and a workspace
-- whose bot token Slack has been refusing.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out', 'alpha', 'U1',
        'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000000, NULL, NULL, NULL,
        NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U1', 1700000000);
INSERT INTO token_refusals (team_id, since, last_at) VALUES ('T2', 1700000000, 1700000300);
