-- Rows as schema version 24 (0024_catalogue_holds.sql) holds them: a project an operator has
-- taken out of the public catalogue, with a reason, and one taken out without.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out', 'alpha', 'U1',
        'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000000, NULL,
        'bin-collection-day-finder', NULL, NULL),
       (2, 'T1', 2, 'Parking permits', '', 'discovery', 'U1', 'C1', NULL, 1700000000,
        1700000000, NULL, 1700000000, NULL, NULL, NULL, NULL);
INSERT INTO catalogue_holds (project_id, held_at, reason)
VALUES (1, 1700000500, 'A resident complained about the description'),
       (2, 1700000600, NULL);
