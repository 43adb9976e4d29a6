-- Rows as schema version 61 (0061_own_update_messages.sql) holds them: a project, and an
-- update made by mention in its thread, which keeps that message's ts as its line's, and
-- the ts of the latest edit of it taken.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, last_activity_at)
VALUES (1, 'T1', 1, 'Pothole reports', 'Report a pothole', 'alpha', 'U9', 'C9',
        '1700000000.000800', 1700000000, 1700000000, 1700000000);
INSERT INTO updates (id, project_id, author, body, created_at, line, line_ts, edit_ts)
VALUES (1, 1, 'U9', 'Prototype is up', 1700000100, 'own', '1700000100.000100',
        '1700000160.000000');
