-- Rows as schema version 23 (0023_search_noted_by_inserts.sql) holds them: a published
-- project with an update, each noted for the search indexes as the store notes a new row
-- (fresh, since no trigger does it now), indexed at the next commit.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out', 'alpha', 'U1',
        'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000060, NULL,
        'bin-collection-day-finder', 1700000500, NULL);
INSERT INTO search_pending (project_id, fresh) VALUES (1, 1);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U1', 1700000000);
INSERT INTO updates (id, project_id, author, body, created_at)
VALUES (1, 1, 'U1', 'Prototype up with recycling reminders', 1700000060);
INSERT INTO update_search_pending (update_id, fresh) VALUES (1, 1);
