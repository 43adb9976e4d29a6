-- Rows as schema version 6 (0006_council_offers.sql) holds them.
INSERT INTO councils (id, team_id, match_key, name, created_at)
VALUES (1, 'T1', 'guildford', 'Guildford Borough Council', 1700000000);
INSERT INTO people (team_id, user_id, council_id, is_bot, updated_at, council_offer)
VALUES ('T1', 'U1', 1, 0, 1700000000, NULL),
       ('T1', 'U2', NULL, NULL, 1700000100, 'guilford');
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at)
VALUES (1, 'T1', 1, 'Bin day finder', 'Bins', 'beta', 'U1', 'C1', NULL,
        1700000000, 1700000000, 1, 1700000000, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U1', 1700000000);
