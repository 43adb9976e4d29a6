-- Rows as schema version 5 (0005_reuse.sql) holds them.
INSERT INTO councils (id, team_id, match_key, name, created_at)
VALUES (1, 'T1', 'guildford', 'Guildford Borough Council', 1700000000),
       (2, 'T1', 'waverley', 'Waverley Borough Council', 1700000000);
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at)
VALUES (1, 'T1', 1, 'Bin day finder', 'Bins', 'live', 'U1', 'C1', '1700000000.000100',
        1700000000, 1700000000, 1, 1700000060, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U1', 1700000000);
INSERT INTO reuses (project_id, council_id, note, said_by, created_at, updated_at)
VALUES (1, 2, 'our bin day page', 'U2', 1700000100, 1700000100);
