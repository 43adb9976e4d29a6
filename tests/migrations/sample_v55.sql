-- Rows as schema version 55 (0055_lead_councils_ended.sql) holds them: a project pitched
-- with Waverley as its lead council and handed to Guildford a week later; its pitch counts
-- for Waverley.
INSERT INTO councils (id, team_id, match_key, name, created_at)
VALUES (1, 'T1', 'waverley', 'Waverley Borough Council', 1700000000),
       (2, 'T1', 'guildford', 'Guildford Borough Council', 1700000000);
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by, lead_council_at)
VALUES (1, 'T1', 1, 'Bin day finder', '', 'alpha', 'U8', 'C8', '1700000000.000400',
        1700000000, 1700604800, 2, 1700000000, NULL, NULL, NULL, NULL, NULL, 1700604800);
INSERT INTO lead_councils_ended (project_id, council_id, until_at)
VALUES (1, 1, 1700604800);
