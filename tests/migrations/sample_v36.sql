-- Rows as schema version 36 (0036_digest_lost.sql) holds them: a project of T1, and a
-- digest subscription in a channel the bot lost (stopped, `lost_at` noted).
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Grit bin finder', 'Where the grit bins are', 'discovery', 'U4', 'C4',
        '1700000000.000100', 1700000000, 1700000000, NULL, 1700000000, NULL,
        NULL, NULL, NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U4', 1700000000);
INSERT INTO digest_subscriptions (team_id, channel_id, weekday, minute_of_day, created_at,
                                  last_due_at, sent_until, stopped_at, posted, lost_at)
VALUES ('T1', 'C4', 1, 540, 1700000000, 1700000000, 1700000000, 1700600000, 1, 1700600000);
