-- Rows as schema version 59 (0059_catalogue_search_slack_deep_links.sql) holds them: a
-- published project whose description holds a Slack deep link, which the catalogue now shows
-- as "a link in Slack" (0059 queues its search row to be made again).
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, last_activity_at, slug,
                      published_at)
VALUES (1, 'T1', 1, 'Grit bin finder', 'Ask in slack://channel?team=T0123ABC&id=C0SECRET',
        'beta', 'U8', 'C8', '1700000000.000700', 1700000000, 1700000000, 1700000000,
        'grit-bin-finder', 1700000000);
