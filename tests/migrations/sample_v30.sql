-- Rows as schema version 30 (0030_catalogue_search_again.sql) holds them: a published
-- project whose description links to a Slack message, and its catalogue search row as the
-- store made it; and outbox rows with a gap in their ids (an answer owed, a join line parked
-- for an invitation), which 0031 copies into the outbox it makes again, ids kept.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Grit bin finder',
        'Where the grit bins are: <https://councils.slack.com/archives/C4/p1700000000000100>',
        'beta', 'U4', 'C4', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000000,
        NULL, 'grit-bin-finder', 1700000500, NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U4', 1700000000);
INSERT INTO catalogue_search (rowid, name, description)
VALUES (1, 'Grit bin finder', 'Where the grit bins are: a link in Slack');
INSERT INTO digest_subscriptions (team_id, channel_id, weekday, minute_of_day, created_at,
                                  last_due_at, sent_until, stopped_at, posted)
VALUES ('T1', 'C0POSTED', 1, 540, 1700000000, 1700600000, 1700600000, NULL, 1);
INSERT INTO outbox (id, team_id, channel_id, thread_ts, notice, attempts, next_attempt_at,
                    created_at, delivered_at, message_ts, failed_at, last_error)
VALUES (7, 'T1', 'C1', NULL,
        '{"v":2,"notice":{"kind":"reply","reply":{"kind":"help","unknown":null,"about":null}}}',
        0, 1700000000, 1700000000, NULL, NULL, NULL, NULL),
       (9, 'T1', 'C1', '1700000000.000100',
        '{"v":2,"notice":{"kind":"joined","project_id":1,"number":1,"title":"Grit bin finder","user":"U2","council":null,"makeup":{"people":2,"councils":0},"pitcher":"U4","known_person":true},"pitcher_told":true}',
        1, 1700000800, 1700000800, NULL, NULL, 1700000801, 'not_in_channel');
