-- Rows as schema version 31 (0031_outbox_ids_never_reused.sql) holds them: a project and the
-- outbox rows of an answer still owed and a join line parked for an invitation, written into
-- the outbox 0031 made (sample_v30.sql's go through the migration itself).
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Grit bin finder', 'Where the grit bins are', 'discovery', 'U4', 'C4',
        '1700000000.000100', 1700000000, 1700000000, NULL, 1700000000, NULL, NULL, NULL,
        NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U4', 1700000000);
INSERT INTO outbox (id, team_id, channel_id, thread_ts, notice, attempts, next_attempt_at,
                    created_at, delivered_at, message_ts, failed_at, last_error)
VALUES (7, 'T1', 'C1', NULL,
        '{"v":2,"notice":{"kind":"reply","reply":{"kind":"help","unknown":null,"about":null}}}',
        0, 1700000000, 1700000000, NULL, NULL, NULL, NULL),
       (9, 'T1', 'C1', '1700000000.000100',
        '{"v":2,"notice":{"kind":"joined","project_id":1,"number":1,"title":"Grit bin finder","user":"U2","council":null,"makeup":{"people":2,"councils":0},"pitcher":"U4","known_person":true},"pitcher_told":true}',
        1, 1700000800, 1700000800, NULL, NULL, 1700000801, 'not_in_channel');
