-- Rows as schema version 52 (0052_memberships_ended.sql) holds them: a project, its pitcher
-- still in its team, and someone who joined it and left.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Bin day finder', '', 'beta', 'U8', 'C8', '1700000000.000300',
        1700000000, 1700000000, NULL, 1700000000, NULL, NULL, NULL, NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U8', 1700000000);
INSERT INTO memberships_ended (project_id, user_id, joined_at, left_at)
VALUES (1, 'U9', 1700000100, 1700000200);
