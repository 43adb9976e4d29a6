-- Rows as schema version 7 (0007_search.sql) holds them: project 1 indexed for search,
-- project 2 noted as pending (the store indexes it at its next commit, or when it opens).
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out', 'alpha', 'U1',
        'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000060, NULL),
       (2, 'T1', 2, 'Parking permit renewals', '', 'discovery', 'U1',
        'C1', '1700000000.000200', 1700000100, 1700000100, NULL, 1700000100, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U1', 1700000000);
INSERT INTO updates (project_id, author, body, created_at)
VALUES (1, 'U1', 'Prototype covers recycling too', 1700000060);
INSERT INTO project_search (rowid, title, description, updates)
VALUES (1, 'Bin collection day finder', 'Which day the bins go out',
        'Prototype covers recycling too');
DELETE FROM search_pending WHERE project_id = 1;
