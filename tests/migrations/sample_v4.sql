-- Rows as schema version 4 (0004_digests.sql) holds them.
INSERT INTO councils (id, team_id, match_key, name, created_at)
VALUES (1, 'T1', 'guildford', 'Guildford Borough Council', 1700000000);
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at)
VALUES (1, 'T1', 1, 'Bin day finder', 'Bins', 'alpha', 'U1', 'C1', '1700000000.000100',
        1700000000, 1700000000, 1, 1700000060, NULL),
       (2, 'T1', 2, 'Quiet one', '', 'discovery', 'U1', 'C1', '1700000000.000200',
        1690000000, 1690000000, NULL, 1690000000, 1690000000);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U1', 1700000000);
INSERT INTO updates (project_id, author, body, created_at) VALUES (1, 'U1', 'Prototype up', 1700000060);
INSERT INTO phase_changes (project_id, from_phase, to_phase, note, changed_by, changed_at)
VALUES (1, 'discovery', 'alpha', 'user research done', 'U1', 1700000050);
INSERT INTO digest_subscriptions (team_id, channel_id, weekday, minute_of_day, created_at, last_due_at, sent_until)
VALUES ('T1', 'C1', 1, 540, 1700000000, 1699866000, 1699866000);
