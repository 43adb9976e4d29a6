-- Rows as schema version 8 (0008_catalogue.sql) holds them: project 1 published with a slug
-- and a code link; project 2 was published once and unpublished (its slug is kept).
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out', 'beta', 'U1',
        'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000060, NULL,
        'bin-collection-day-finder', 1700000500),
       (2, 'T1', 2, 'Parking permit renewals', '', 'discovery', 'U1',
        'C1', '1700000000.000200', 1700000100, 1700000100, NULL, 1700000100, NULL,
        'parking-permit-renewals', NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U1', 1700000000);
INSERT INTO project_links (project_id, kind, url, set_by, set_at)
VALUES (1, 'code', 'https://github.com/example/bins', 'U1', 1700000600);
