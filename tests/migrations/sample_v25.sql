-- Rows as schema version 25 (0025_update_lines.sql) holds them: a project with an update
-- made by command whose line is posted and was corrected, one by a mention in the thread,
-- and one from before the lines were kept; each noted for search as the store notes it.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out', 'alpha', 'U1',
        'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000060, NULL, NULL, NULL,
        NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U1', 1700000000);
INSERT INTO updates (id, project_id, author, body, created_at, line, line_ts, corrected_at)
VALUES (1, 1, 'U1', 'Prototype up with recycling reminders', 1700000060, 'bot',
        '1700000060.000200', 1700000090),
       (2, 1, 'U1', 'User research booked', 1700000120, 'own', NULL, NULL),
       (3, 1, 'U1', 'Kick-off done', 1700000180, NULL, NULL, NULL);
INSERT INTO search_pending (project_id, fresh) VALUES (1, 1);
INSERT INTO update_search_pending (update_id, fresh) VALUES (1, 1), (2, 1), (3, 1);
