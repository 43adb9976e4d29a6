-- Rows as schema version 26 (0026_handover.sql) holds them: a project handed over by its
-- pitcher (U1) to a member (U2), and one its pitcher still leads; each noted for search as
-- the store notes it.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out', 'alpha', 'U2',
        'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000060, NULL, NULL, NULL,
        NULL, 'U1'),
       (2, 'T1', 2, 'Street light reports', '', 'discovery', 'U1', 'C1', NULL, 1700000100,
        1700000100, NULL, 1700000100, NULL, NULL, NULL, NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at)
VALUES (1, 'U1', 1700000000), (1, 'U2', 1700000030), (2, 'U1', 1700000100);
INSERT INTO search_pending (project_id, fresh) VALUES (1, 1), (2, 1);
