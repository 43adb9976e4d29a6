-- Rows as schema version 50 (0050_day_tallies.sql) holds them: a project, and where its
-- workspace and every workspace stood at the end of a day.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Bin day finder', '', 'beta', 'U8', 'C8', '1700000000.000300',
        1700000000, 1700000000, NULL, 1700000000, NULL, NULL, NULL, NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U8', 1700000000);
INSERT INTO day_tallies (team_id, day, taken_at, people, councils, in_catalogue,
                         reuses_standing, reusing_councils)
VALUES ('T1', '2026-09-30', 1790809200, 1, 0, 0, 0, 0),
       ('', '2026-09-30', 1790809200, 1, 0, 0, 0, 0);
