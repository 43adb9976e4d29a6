-- Rows as schema version 42 (0042_left_slack_at.sql) holds them: a retired project whose lead
-- Slack has said was deactivated.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Parking permits', 'One form for every council', 'retired', 'U7', 'C7',
        '1700000000.000200', 1700000000, 1700000000, NULL, 1700000000, NULL, NULL, NULL,
        NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U7', 1700000000);
INSERT INTO people (team_id, user_id, updated_at, left_slack_at)
VALUES ('T1', 'U7', 1700000100, 1700000100);
