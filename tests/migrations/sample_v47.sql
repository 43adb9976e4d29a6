-- Rows as schema version 47 (0047_catalogue_search_emoji.sql) holds them: a published
-- project of T1 whose title holds an emoji code and description style markers.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, last_activity_at, slug,
                      published_at)
VALUES (1, 'T1', 1, 'Gritting routes :snowflake:', '*Live* in _two_ councils :tada:',
        'beta', 'U9', 'C9', '1700000000.000400', 1700000000, 1700000000, 1700000000,
        'gritting-routes-snowflake', 1700000000);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U9', 1700000000);
