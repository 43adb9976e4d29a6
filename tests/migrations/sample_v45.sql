-- Rows as schema version 45 (0045_council_former_names.sql) holds them: Waverley merged into
-- a council recorded under a new name, whose former name leads to it, and a project it leads.
INSERT INTO councils (id, team_id, match_key, name, created_at)
VALUES (1, 'T1', 'west surrey', 'West Surrey Council', 1700000000);
INSERT INTO council_former_names (match_key, name, council_id, merged_at, renamed)
VALUES ('waverley', 'Waverley Borough Council', 1, 1800000000, 0);
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at)
VALUES (1, 'T1', 1, 'Garden waste', 'Led by the new council', 'beta', 'U8', 'C8',
        '1700000000.000300', 1700000000, 1700000000, 1, 1700000000);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U8', 1700000000);
