-- Rows as schema version 20 (0020_announcement_refused.sql) holds them: a project whose
-- announcement Slack refused for good (its failed row since pruned), and one announced.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out', 'alpha', 'U1',
        'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000000, NULL, NULL, NULL,
        NULL),
       (2, 'T1', 2, 'Locked out', '', 'discovery', 'U1', 'C9', NULL, 1700000100, 1700000100,
        NULL, 1700000100, NULL, NULL, NULL, 1700000101);
INSERT INTO members (project_id, user_id, joined_at)
VALUES (1, 'U1', 1700000000), (2, 'U1', 1700000100);
