-- Rows as schema version 10 (0010_home.sql, indexes only) holds them: the same as version 9.
-- U1 offers development and user research; project 1 wants a developer and a designer.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out', 'alpha', 'U1',
        'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000060, NULL, NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U1', 1700000000);
INSERT INTO person_skills (team_id, user_id, skill, position)
VALUES ('T1', 'U1', 'developer', 0), ('T1', 'U1', 'user_researcher', 1);
INSERT INTO project_skills (project_id, skill, position)
VALUES (1, 'developer', 0), (1, 'designer', 1);
