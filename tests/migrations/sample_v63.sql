-- Rows as schema version 63 (0063_people_left_slack.sql) holds them: a retired project, a
-- member of its team who left Slack (0063 indexes them) and a person who did not.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, last_activity_at)
VALUES (1, 'T1', 1, 'Grit bin map', 'Where the grit bins are', 'retired', 'U9', 'C9',
        '1700000000.000900', 1700000000, 1700000000, 1700000000);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U9', 1700000000);
INSERT INTO people (team_id, user_id, is_bot, updated_at, left_slack_at)
VALUES ('T1', 'U9', NULL, 1700000000, 1700000100),
       ('T1', 'U8', 0, 1700000000, NULL);
