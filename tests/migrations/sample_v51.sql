-- Rows as schema version 51 (0051_phase_change_merges.sql) holds them: a project retired by
-- a merge into another, its phase change marked so.
INSERT INTO projects (id, team_id, number, title, description, phase, pitcher, channel_id,
                      announcement_ts, created_at, updated_at, pitcher_council_id,
                      last_activity_at, nudged_for_activity_at, slug, published_at,
                      announcement_refused_at, pitched_by)
VALUES (1, 'T1', 1, 'Bin day finder', '', 'beta', 'U8', 'C8', '1700000000.000300',
        1700000000, 1700000000, NULL, 1700000000, NULL, NULL, NULL, NULL, NULL),
       (2, 'T1', 2, 'Bin days', '', 'retired', 'U8', 'C8', '1700000000.000400',
        1700000000, 1700000100, NULL, 1700000000, NULL, NULL, NULL, NULL, NULL);
INSERT INTO project_merges (project_id, into_id, merged_at) VALUES (2, 1, 1700000100);
INSERT INTO phase_changes (project_id, from_phase, to_phase, note, changed_by, changed_at, merge)
VALUES (2, 'discovery', 'retired', '', 'U8', 1700000100, 1);
