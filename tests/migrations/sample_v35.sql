-- Rows as schema version 35 (0035_no_councils_called_none.sql) holds them: a project of T1
-- led by Waverley and re-used by Guildford, whose person said so in T1.
INSERT INTO councils (id, team_id, match_key, name, created_at)
VALUES (1, 'T1', 'guildford', 'Guildford Borough Council', 1690000000),
       (2, 'T1', 'waverley', 'Waverley Borough Council', 1700000000);
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Grit bin finder', 'Where the grit bins are', 'discovery', 'U4', 'C4',
        '1700000000.000100', 1700000000, 1700000000, 2, 1700000000, NULL,
        NULL, NULL, NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U4', 1700000000);
INSERT INTO people (team_id, user_id, council_id, is_bot, updated_at, council_said_at)
VALUES ('T1', 'U4', 2, 0, 1700000000, 1700000000),
       ('T1', 'U8', 1, 0, 1700000000, 1700000000);
INSERT INTO reuses (project_id, council_id, note, said_by, created_at, updated_at, said_in)
VALUES (1, 1, '', 'U8', 1700000100, 1700000100, 'T1');
