-- Rows as schema version 15 (0015_update_search.sql) holds them: a project with an update
-- (noted for the update index by its trigger, indexed at the next commit).
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out', 'alpha', 'U1',
        'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000060, NULL, NULL, NULL);
INSERT INTO updates (project_id, author, body, created_at)
VALUES (1, 'U1', 'Prototype up with recycling reminders', 1700000060);
