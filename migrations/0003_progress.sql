-- Progress: phase history, and when a project last showed signs of life (for nudges and the
-- quiet marker). A nudge is sent once per quiet spell: nudged_for_activity_at remembers which
-- spell (the last_activity_at it was sent for).

CREATE TABLE phase_changes (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    from_phase TEXT    NOT NULL CHECK (from_phase IN ('discovery', 'alpha', 'beta', 'live', 'retired')),
    to_phase   TEXT    NOT NULL CHECK (to_phase IN ('discovery', 'alpha', 'beta', 'live', 'retired')),
    note       TEXT    NOT NULL DEFAULT '',
    changed_by TEXT    NOT NULL,
    changed_at INTEGER NOT NULL
);
CREATE INDEX phase_changes_by_project ON phase_changes (project_id, changed_at);

ALTER TABLE projects ADD COLUMN last_activity_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN nudged_for_activity_at INTEGER;

UPDATE projects SET last_activity_at = MAX(
    created_at,
    COALESCE((SELECT MAX(u.created_at) FROM updates u WHERE u.project_id = projects.id), 0)
);

CREATE INDEX projects_by_activity ON projects (last_activity_at) WHERE phase != 'retired';
