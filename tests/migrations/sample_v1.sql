-- Rows as schema version 1 (0001_init.sql) holds them.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at)
VALUES (1, 'T1', 1, 'Bin day finder', 'Bins', 'discovery', 'U1', 'C1', '1700000000.000100', 1700000000, 1700000000),
       (2, 'T1', 2, 'Parking permits', '', 'beta', 'U2', 'C1', NULL, 1700000100, 1700000100);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U2', 1700000050);
INSERT INTO updates (project_id, author, body, created_at) VALUES (1, 'U1', 'Prototype up', 1700000060);
INSERT INTO digest_subscriptions (team_id, channel_id, created_at) VALUES ('T1', 'C1', 1700000000);
INSERT INTO processed_events (event_id, team_id, received_at) VALUES ('Ev1', 'T1', 1700000000);
INSERT INTO outbox (team_id, channel_id, notice, next_attempt_at, created_at)
VALUES ('T1', 'C1', '{"kind":"reply","reply":{"kind":"help","unknown":null}}', 1700000000, 1700000000);
