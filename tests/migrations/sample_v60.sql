-- Rows as schema version 60 (0060_reactions_to_read.sql) holds them: a project announced in a
-- channel the bot was just invited back to, its join reactions still to be read again.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, last_activity_at)
VALUES (1, 'T1', 1, 'Street light faults', 'Report a broken light', 'alpha', 'U7', 'C1',
        '1700000000.000600', 1700000000, 1700000000, 1700000000);
INSERT INTO reactions_to_read (project_id, team_id, invited_us, read_after)
VALUES (1, 'T1', 1700000100000000, 1700000100);
