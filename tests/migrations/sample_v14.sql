-- Rows as schema version 14 (0014_outbox_heads.sql) holds them: a project and an undelivered
-- post in its channel (the new index covers it).
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out', 'alpha', 'U1',
        'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000060, NULL, NULL, NULL);
INSERT INTO outbox (team_id, channel_id, notice, next_attempt_at, created_at)
VALUES ('T1', 'C1', '{"kind":"reply","reply":{"kind":"help","unknown":null}}', 1700000000, 1700000000);
