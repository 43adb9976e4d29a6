-- Rows as schema version 41 (0041_join_line_stands.sql) holds them: a project whose team
-- someone left quietly after the thread said they joined.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Parking permits', 'One form for every council', 'alpha', 'U7', 'C7',
        '1700000000.000200', 1700000000, 1700000000, NULL, 1700000000, NULL, NULL, NULL,
        NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U7', 1700000000);
INSERT INTO membership_changes (project_id, user_id, changed_us, join_line_stands)
VALUES (1, 'U8', 1700000050000000, 1);
