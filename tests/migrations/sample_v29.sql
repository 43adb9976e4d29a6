-- Rows as schema version 29 (0029_digest_posted.sql) holds them: a project, and two channels
-- subscribed to the digest, one that has had a digest posted and one that has not.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Grit bin finder', 'Where the grit bins are', 'discovery', 'U4', 'C4',
        '1700000000.000100', 1700000000, 1700000000, NULL, 1700000000, NULL, NULL, NULL,
        NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U4', 1700000000);
INSERT INTO search_pending (project_id, fresh) VALUES (1, 1);
INSERT INTO digest_subscriptions (team_id, channel_id, weekday, minute_of_day, created_at,
                                  last_due_at, sent_until, stopped_at, posted)
VALUES ('T1', 'C0POSTED', 1, 540, 1700000000, 1700600000, 1700600000, NULL, 1),
       ('T1', 'C0NEW', 1, 540, 1700000000, 1699999000, 1699395200, NULL, 0);
