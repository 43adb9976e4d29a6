-- Rows as schema version 49 (0049_channels_shared.sql) holds them: a project pitched in a
-- channel Slack said is shared with another organisation (public), and one in a channel
-- asked about before the column (shared unknown).
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Shared bins', 'With our neighbours', 'alpha', 'U8', 'C8',
        '1700000000.000300', 1700000000, 1700000000, NULL, 1700000000, NULL, NULL, NULL,
        NULL, NULL),
       (2, 'T1', 2, 'Parking permits', '', 'discovery', 'U9', 'C9',
        '1700000000.000400', 1700000000, 1700000000, NULL, 1700000000, NULL, NULL, NULL,
        NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at)
VALUES (1, 'U8', 1700000000), (2, 'U9', 1700000000);
INSERT INTO channels (team_id, channel_id, private, ask_at, shared)
VALUES ('T1', 'C8', 0, 1800000000, 1), ('T1', 'C9', 0, 1800000000, NULL);
