-- Rows as schema version 39 (0039_catalogue_search_escaped_emails.sql) holds them: a
-- published project of T1 whose description holds a form's address naming its owner.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Road gritting map',
        'Report one at https://forms.example/f?owner=sam%40council.gov.uk', 'beta', 'U6',
        'C6', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000000, NULL,
        'road-gritting-map', 1700000000, NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U6', 1700000000);
