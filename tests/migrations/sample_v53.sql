-- Rows as schema version 53 (0053_reuses_ended.sql) holds them: a council's re-use of a
-- project that it said, and said it no longer re-uses.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Bin day finder', '', 'live', 'U8', 'C8', '1700000000.000300',
        1700000000, 1700000000, NULL, 1700000000, NULL, NULL, NULL, NULL, NULL);
INSERT INTO councils (id, team_id, match_key, name, created_at)
VALUES (1, 'T1', 'waverley', 'Waverley Borough Council', 1700000000);
INSERT INTO reuses_ended (project_id, council_id, said_in, created_at, ended_at)
VALUES (1, 1, 'T1', 1700000100, 1700000200);
