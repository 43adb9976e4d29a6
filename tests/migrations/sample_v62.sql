-- Rows as schema version 62 (0062_oauth_state_outcome.sql) holds them: a project, and three
-- used install-link states: one whose install worked, one whose did not, one still asking.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, last_activity_at)
VALUES (1, 'T1', 1, 'Pothole reports', 'Report a pothole', 'alpha', 'U9', 'C9',
        '1700000000.000800', 1700000000, 1700000000, 1700000000);
INSERT INTO oauth_states (state, expires_at, installed)
VALUES ('00ff.1700000600.abcd', 1700000600, 1),
       ('00fe.1700000600.abce', 1700000600, 0),
       ('00fd.1700000600.abcf', 1700000600, NULL);
