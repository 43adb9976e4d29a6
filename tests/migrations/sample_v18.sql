-- Rows as schema version 18 (0018_catalogue_search.sql) holds them: a published project whose
-- description names a person, and one not published.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out, ask <@U1>', 'beta',
        'U1', 'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000060, NULL,
        'bin-collection-day-finder', 1700000500),
       (2, 'T1', 2, 'Café finder', '', 'discovery', 'U1',
        'C1', '1700000000.000200', 1700000100, 1700000100, NULL, 1700000100, NULL, NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U1', 1700000000);
INSERT INTO updates (project_id, author, body, created_at)
VALUES (1, 'U1', 'Prototype up with recycling reminders', 1700000060);
INSERT INTO removed_workspaces (team_id, removed_at) VALUES ('T9', 1700000700);
