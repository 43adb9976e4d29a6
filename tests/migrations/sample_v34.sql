-- Rows as schema version 34 (0034_council_said_at.sql) holds them: a person of T2 who said
-- their council, with when they said it, in the team of a project of T1.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Grit bin finder', 'Where the grit bins are', 'discovery', 'U4', 'C4',
        '1700000000.000100', 1700000000, 1700000000, NULL, 1700000000, NULL,
        NULL, NULL, NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U4', 1700000000);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U9', 1700000100);
INSERT INTO councils (id, team_id, match_key, name, created_at)
VALUES (1, 'T2', 'waverley', 'Waverley Borough Council', 1700000000);
INSERT INTO people (team_id, user_id, council_id, is_bot, updated_at, council_said_at)
VALUES ('T2', 'U9', 1, 0, 1700000050, 1700000000);
