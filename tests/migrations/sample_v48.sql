-- Rows as schema version 48 (0048_project_merges.sql) holds them: two projects of T1 doing
-- the same thing, the first retired and merged into the second.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, last_activity_at)
VALUES (1, 'T1', 1, 'Bin app', '', 'retired', 'U9', 'C9', '1700000000.000500',
        1700000000, 1700000000, 1700000000),
       (2, 'T1', 2, 'Bin day finder', '', 'beta', 'U8', 'C9', '1700000000.000600',
        1700000000, 1700000000, 1700000000);
INSERT INTO members (project_id, user_id, joined_at)
VALUES (1, 'U9', 1700000000), (2, 'U8', 1700000000);
INSERT INTO project_merges (project_id, into_id, merged_at) VALUES (1, 2, 1700100000);
