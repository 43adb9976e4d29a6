-- Re-use, as the council that re-uses says it: one entry per project and council. Saying it
-- again updates the note; withdrawing deletes the entry. `said_by` is who said it, for the
-- record (data requests find a person's rows by it).

CREATE TABLE reuses (
    project_id INTEGER NOT NULL REFERENCES projects (id),
    council_id INTEGER NOT NULL REFERENCES councils (id),
    note       TEXT    NOT NULL DEFAULT '',
    said_by    TEXT    NOT NULL,
    created_at INTEGER NOT NULL, -- first said
    updated_at INTEGER NOT NULL, -- note last changed
    PRIMARY KEY (project_id, council_id)
) WITHOUT ROWID;

-- "Which projects does this council re-use?" (the catalogue and give-and-take read it).
CREATE INDEX reuses_by_council ON reuses (council_id);
