-- The public catalogue: a project is public only once its team publishes it. Its slug is made
-- from its title at first publish and kept for good (through renames and unpublishing), so a
-- link to it never changes meaning; slugs are unique across every workspace, since the
-- catalogue spans them all.

ALTER TABLE projects ADD COLUMN slug TEXT;
ALTER TABLE projects ADD COLUMN published_at INTEGER; -- NULL: not in the catalogue

CREATE UNIQUE INDEX projects_by_slug ON projects (slug) WHERE slug IS NOT NULL;
CREATE INDEX projects_published ON projects (published_at) WHERE published_at IS NOT NULL;

-- Where a project's code, live service and documentation are: one address per kind.
-- `set_by` is who recorded it, for the record (data requests find a person's rows by it).
CREATE TABLE project_links (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('code', 'service', 'docs')),
    url        TEXT    NOT NULL,
    set_by     TEXT    NOT NULL,
    set_at     INTEGER NOT NULL,
    PRIMARY KEY (project_id, kind)
) WITHOUT ROWID;
