-- Rows as schema version 19 (0019_parked_posts.sql) holds them: a project whose channel the
-- bot was removed from since its announcement, and a join line parked until the bot is
-- invited back, its pitcher already told.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out', 'alpha', 'U1',
        'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000800, NULL, NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at)
VALUES (1, 'U1', 1700000000), (1, 'U2', 1700000800);
INSERT INTO outbox (team_id, channel_id, thread_ts, notice, next_attempt_at, created_at,
                    failed_at, attempts, last_error)
VALUES ('T1', 'C1', '1700000000.000100',
        '{"v":2,"notice":{"kind":"joined","project_id":1,"number":1,"title":"Bin collection day finder","user":"U2","council":null,"makeup":{"people":2,"councils":0},"pitcher":"U1"},"pitcher_told":true}',
        1700000800, 1700000800, 1700000801, 1, 'not_in_channel');
