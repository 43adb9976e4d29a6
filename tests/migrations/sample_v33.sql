-- Rows as schema version 33 (0033_reuses_said_in.sql) holds them: a published project of
-- T1, re-used by a council whose person said so in T2 (`reuse <catalogue address>`).
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Grit bin finder', 'Where the grit bins are', 'discovery', 'U4', 'C4',
        '1700000000.000100', 1700000000, 1700000000, NULL, 1700000000, NULL,
        'grit-bin-finder', 1700000100, NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U4', 1700000000);
INSERT INTO councils (id, team_id, match_key, name, created_at)
VALUES (1, 'T2', 'waverley', 'Waverley Borough Council', 1700000000);
INSERT INTO people (team_id, user_id, council_id, is_bot, updated_at)
VALUES ('T2', 'U9', 1, 0, 1700000000);
INSERT INTO reuses (project_id, council_id, note, said_by, created_at, updated_at, said_in)
VALUES (1, 1, 'on our site', 'U9', 1700000200, 1700000200, 'T2');
