-- Rows as schema version 37 (0037_council_first_said_at.sql) holds them: a project of T1,
-- and its pitcher, who said a council in T2 first and changed it since.
INSERT INTO councils (id, team_id, match_key, name, created_at)
VALUES (1, 'T2', 'guildford', 'Guildford', 1700000000),
       (2, 'T2', 'waverley', 'Waverley', 1700000000);
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Salt bin finder', 'Where the salt bins are', 'discovery', 'U5', 'C5',
        '1700000000.000100', 1700000000, 1700000000, NULL, 1700000000, NULL,
        NULL, NULL, NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U5', 1700000000);
INSERT INTO people (team_id, user_id, council_id, is_bot, updated_at, council_said_at,
                    council_first_said_at)
VALUES ('T2', 'U5', 2, 0, 1700500000, 1700500000, 1699000000);
