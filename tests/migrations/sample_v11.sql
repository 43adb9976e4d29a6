-- Rows as schema version 11 (0011_pending_joins.sql) holds them: version 10's, and U2's
-- reaction to project 1 waiting for Slack to say whether U2 is a person.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out', 'alpha', 'U1',
        'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000060, NULL, NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U1', 1700000000);
INSERT INTO pending_joins (project_id, team_id, user_id, at_us, check_after)
VALUES (1, 'T1', 'U2', 1700000100000000, 1700000100);
