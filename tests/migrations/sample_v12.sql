-- Rows as schema version 12 (0012_multi_workspace.sql) holds them: version 10's, and one
-- workspace installed through OAuth (its token sealed: these bytes are not a token), the key
-- check and a state handed out.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at)
VALUES (1, 'T1', 1, 'Bin collection day finder', 'Which day the bins go out', 'alpha', 'U1',
        'C1', '1700000000.000100', 1700000000, 1700000000, NULL, 1700000060, NULL, NULL, NULL);
INSERT INTO members (project_id, user_id, joined_at) VALUES (1, 'U1', 1700000000);
INSERT INTO person_skills (team_id, user_id, skill, position)
VALUES ('T1', 'U1', 'developer', 0), ('T1', 'U1', 'user_researcher', 1);
INSERT INTO project_skills (project_id, skill, position)
VALUES (1, 'developer', 0), (1, 'designer', 1);
INSERT INTO installations (team_id, team_name, enterprise_id, app_id, bot_user_id, bot_token,
                           scopes, installed_by, installed_at, updated_at)
VALUES ('T1', 'Sample Council', NULL, 'A1', 'UBOT1', X'00112233445566778899aabbccddeeff0011223344556677aabbccdd',
        'commands,chat:write', 'U1', 1700000000, 1700000000);
INSERT INTO secret_key_check (id, sealed, created_at) VALUES (1, X'0011', 1700000000);
INSERT INTO oauth_states (state, expires_at) VALUES ('abc.1700000600.def', 1700000600);
