-- Rows as schema version 46 (0046_digest_subscriber.sql) holds them: a project, and a
-- channel's digest subscribed by someone, once told of a refusal.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, last_activity_at)
VALUES (1, 'T1', 1, 'Bin day finder', '', 'alpha', 'U8', 'C8', '1700000000.000300',
        1700000000, 1700000000, 1700000000);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U8', 1700000000);
INSERT INTO digest_subscriptions (team_id, channel_id, weekday, minute_of_day, created_at,
                                  last_due_at, sent_until, posted, subscribed_by,
                                  refusal_told_at)
VALUES ('T1', 'C8', 1, 540, 1700000000, 1700000000, 1700000000, 1, 'U8', 1700500000);
