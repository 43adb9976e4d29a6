-- Rows as schema version 28 (0028_withdrawn_updates.sql) holds them: a project with an update
-- that stands and one its author withdrew (its words gone), each noted for search as the
-- store notes them.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Pothole reporter', 'Report a pothole with a photo', 'alpha', 'U3', 'C3',
        '1700000000.000100', 1700000000, 1700000000, NULL, 1700000120, NULL, NULL, NULL,
        NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U3', 1700000000);
INSERT INTO updates (id, project_id, author, body, created_at, line, line_ts, corrected_at,
                     withdrawn_at)
VALUES (1, 1, 'U3', 'Photo upload works', 1700000060, 'bot', '1700000060.000200', NULL, NULL),
       (2, 1, 'U3', '', 1700000120, 'bot', '1700000120.000200', NULL, 1700000150);
INSERT INTO search_pending (project_id, fresh) VALUES (1, 1);
INSERT INTO update_search_pending (update_id, fresh) VALUES (1, 1), (2, 1);
