-- Rows as schema version 64 (0064_outbox_correction_lane.sql) holds them: a project, and a
-- post still owed in its channel's lane of posts (0064 gives corrections a lane of their own).
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, last_activity_at)
VALUES (1, 'T1', 1, 'Dropped kerb requests', 'Ask for a dropped kerb', 'beta', 'U7', 'C1',
        '1700000000.000700', 1700000000, 1700000000, 1700000000);
INSERT INTO outbox (id, team_id, channel_id, thread_ts, notice, attempts, next_attempt_at,
                    created_at, delivered_at, message_ts, failed_at, last_error, lane)
VALUES (4, 'T1', 'C1', NULL,
        '{"v":2,"notice":{"kind":"reply","reply":{"kind":"help","unknown":null,"about":null}}}',
        0, 1700000000, 1700000000, NULL, NULL, NULL, NULL, 0);
