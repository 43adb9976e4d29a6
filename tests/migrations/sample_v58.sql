-- Rows as schema version 58 (0058_outbox_by_channel.sql) holds them: a project, and a post
-- still owed in its channel (0058 indexes the outbox by channel).
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, last_activity_at)
VALUES (1, 'T1', 1, 'Street light faults', 'Report a broken light', 'alpha', 'U7', 'C1',
        '1700000000.000600', 1700000000, 1700000000, 1700000000);
INSERT INTO outbox (id, team_id, channel_id, thread_ts, notice, attempts, next_attempt_at,
                    created_at, delivered_at, message_ts, failed_at, last_error)
VALUES (3, 'T1', 'C1', NULL,
        '{"v":2,"notice":{"kind":"reply","reply":{"kind":"help","unknown":null,"about":null}}}',
        0, 1700000000, 1700000000, NULL, NULL, NULL, NULL);
