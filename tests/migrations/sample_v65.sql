-- Rows as schema version 65 (0065_forget_ledger_applied_at.sql) holds them: a project, and a
-- database that has applied two lines of its forget ledger, the last made at 1700000100.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, last_activity_at)
VALUES (1, 'T1', 1, 'Dropped kerb requests', 'Ask for a dropped kerb', 'beta', 'U7', 'C1',
        '1700000000.000700', 1700000000, 1700000000, 1700000000);
UPDATE forget_ledger SET applied = 2, applied_at = 1700000100;
