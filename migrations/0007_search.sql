-- Full-text search over what projects are about: title, description and every status update,
-- so "someone may already be doing this" can be found before the same thing is built twice.
-- rowid is projects.id. Porter stemming: "finding" finds "find".
--
-- Kept in step in the same transaction as each write, but once per transaction rather than
-- once per change: triggers note which projects changed in `search_pending`, and the store
-- re-indexes those just before it commits (`store::sync_search`). FTS5 writes a new index
-- segment at every savepoint, and the writer gives each request of a batch its own savepoint;
-- indexing by trigger there cost a pitch 0.7 ms at the median (measured with the load bench).

CREATE VIRTUAL TABLE project_search USING fts5 (
    title, description, updates,
    tokenize = 'porter unicode61'
);

CREATE TABLE search_pending (
    project_id INTEGER PRIMARY KEY
);

INSERT INTO project_search (rowid, title, description, updates)
SELECT p.id, p.title, p.description,
       COALESCE((SELECT group_concat(u.body, ' ') FROM updates u WHERE u.project_id = p.id), '')
FROM projects p;

CREATE TRIGGER search_on_pitch AFTER INSERT ON projects BEGIN
    INSERT OR IGNORE INTO search_pending (project_id) VALUES (new.id);
END;

CREATE TRIGGER search_on_edit AFTER UPDATE OF title, description ON projects BEGIN
    INSERT OR IGNORE INTO search_pending (project_id) VALUES (new.id);
END;

CREATE TRIGGER search_on_update AFTER INSERT ON updates BEGIN
    INSERT OR IGNORE INTO search_pending (project_id) VALUES (new.project_id);
END;
