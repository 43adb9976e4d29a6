-- Rows as schema version 21 (0021_digest_stopped.sql) holds them: a channel getting the
-- digest, and one that stopped it (its row kept, with where its last digest ended).
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out', 'alpha', 'U1',
        'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000000, NULL, NULL, NULL,
        NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U1', 1700000000);
INSERT INTO digest_subscriptions (team_id, channel_id, weekday, minute_of_day, created_at,
                                  last_due_at, sent_until, stopped_at)
VALUES ('T1', 'C1', 1, 540, 1700000000, 1699866000, 1699866000, NULL),
       ('T1', 'C2', 1, 540, 1700000000, 1699866000, 1699866000, 1700000050);
