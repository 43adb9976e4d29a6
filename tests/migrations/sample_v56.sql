-- Rows as schema version 56 (0056_catalogue_search_slack_addresses.sql) holds them: a
-- published project whose description holds a Slack address in code, which the catalogue
-- now shows as "a link in Slack" (0056 queues its search row to be made again).
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, last_activity_at, slug,
                      published_at)
VALUES (1, 'T1', 1, 'Grit bin finder',
        'Notes in `https://acme.slack.com/archives/C0SECRET/p1700000000000100`', 'beta', 'U8',
        'C8', '1700000000.000500', 1700000000, 1700000000, 1700000000, 'grit-bin-finder',
        1700000000);
