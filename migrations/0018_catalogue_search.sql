-- The public catalogue's own search index: published projects only, holding their name and
-- description as the catalogue shows them (ids, mentions and e-mail addresses already made
-- public by `domain::public_text`), so a visitor's search can stem ("gardening" finds
-- "Garden waste") and fold accents ("cafe" finds "Café") without ever matching a word the
-- page leaves out. `project_search` holds the stored text and serves the team's own search.
-- rowid is projects.id. Kept in step by `store::sync_search` from `search_pending`, like
-- `project_search`; publishing and unpublishing now note the project there too.

CREATE VIRTUAL TABLE catalogue_search USING fts5 (
    name, description,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_on_publish AFTER UPDATE OF published_at ON projects BEGIN
    INSERT OR IGNORE INTO search_pending (project_id) VALUES (new.id);
END;

-- Filled from Rust (the shown text is made there) when the store next opens.
INSERT OR IGNORE INTO search_pending (project_id)
SELECT id FROM projects WHERE published_at IS NOT NULL;
