-- Rows as schema version 57 (0057_join_line_taken_back_quietly.sql) holds them: a project
-- someone left quietly while the line saying they joined was still to be posted.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, last_activity_at)
VALUES (1, 'T1', 1, 'Pothole reports', 'Report one once', 'alpha', 'U7', 'C7',
        '1700000000.000600', 1700000000, 1700000000, 1700000000);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U7', 1700000000);
INSERT INTO membership_changes (project_id, user_id, changed_us, join_line_stands,
                                join_line_taken_back_quietly)
VALUES (1, 'U8', 1700000050000000, 0, 1);
