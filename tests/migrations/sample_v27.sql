-- Rows as schema version 27 (0027_retired_slugs.sql) holds them: the address of a project
-- erased with its workspace, as the SHA-256 of 'bin-day-finder', and a published project,
-- noted for search as the store notes it.
INSERT INTO retired_slugs (digest)
VALUES (X'0ce71b35a0bd0a499dd3d4a980abd85fee9035141d97e6e505ad7fa5fedff857');
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Street light reports', 'Report a broken light', 'beta', 'U2', 'C2',
        '1700000000.000100', 1700000000, 1700000000, NULL, 1700000000, NULL,
        'street-light-reports', 1700000050, NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U2', 1700000000);
INSERT INTO search_pending (project_id, fresh) VALUES (1, 1);
