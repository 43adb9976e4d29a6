-- Rows as schema version 2 (0002_teams.sql) holds them.
INSERT INTO councils (id, team_id, match_key, name, created_at)
VALUES (1, 'T1', 'guildford', 'Guildford Borough Council', 1700000000);
INSERT INTO people (team_id, user_id, council_id, is_bot, updated_at)
VALUES ('T1', 'U1', 1, 0, 1700000000), ('T1', 'UB', NULL, 1, 1700000000);
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id)
VALUES (1, 'T1', 1, 'Bin day finder', 'Bins', 'discovery', 'U1', 'C1', '1700000000.000100',
        1700000000, 1700000000, 1);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U1', 1700000000), (1, 'U2', 1700000050);
INSERT INTO membership_changes (project_id, user_id, changed_us) VALUES (1, 'U2', 1700000050000000);
