-- Rows as schema version 43 (0043_london_borough_of.sql) holds them: a project led by a
-- London borough, its name as this build spells it.
INSERT INTO councils (id, team_id, match_key, name, created_at)
VALUES (1, 'T1', 'hackney', 'London Borough of Hackney', 1700000000);
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Parking permits', 'One form for every council', 'alpha', 'U7', 'C7',
        '1700000000.000200', 1700000000, 1700000000, 1, 1700000000, NULL, NULL, NULL,
        NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U7', 1700000000);
INSERT INTO people (team_id, user_id, council_id, updated_at) VALUES ('T1', 'U7', 1, 1700000000);
