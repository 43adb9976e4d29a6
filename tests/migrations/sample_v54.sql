-- Rows as schema version 54 (0054_membership_councils.sql) holds them: someone who joined a
-- team while at one council and has since said another, once still in the team and once
-- having left it; the join counts for the council they were at.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Bin day finder', '', 'alpha', 'U8', 'C8', '1700000000.000400',
        1700000000, 1700000000, NULL, 1700000000, NULL, NULL, NULL, NULL, NULL);
INSERT INTO councils (id, team_id, match_key, name, created_at)
VALUES (1, 'T1', 'waverley', 'Waverley Borough Council', 1700000000),
       (2, 'T1', 'guildford', 'Guildford Borough Council', 1700000000);
INSERT INTO people (team_id, user_id, council_id, updated_at, council_said_at,
                    council_first_said_at, council_changed_at)
VALUES ('T1', 'U9', 2, 1700000300, 1700000300, 1700000050, 1700000300);
INSERT INTO members (project_id, user_id, joined_at, council_id)
VALUES (1, 'U9', 1700000100, 1);
INSERT INTO memberships_ended (project_id, user_id, joined_at, left_at, council_id)
VALUES (1, 'U7', 1700000100, 1700000200, 1);
