-- Updates are indexed one row each, as they are written, instead of as one column holding
-- every update of their project: that column was tokenised afresh at each new update (and
-- tokenised again to take the old one out), so an update cost more the longer its project
-- had been running (at 300 updates a project, about 40 times a pitch). `project_search` keeps
-- a project's title and description; `update_search` has one row per update (rowid is
-- updates.id). Both are brought up to date just before each commit (`store::sync_search`),
-- from what the triggers note in `search_pending` and `update_search_pending`.

DROP TRIGGER search_on_update;
DROP TABLE project_search;

CREATE VIRTUAL TABLE project_search USING fts5 (
    title, description,
    tokenize = 'porter unicode61'
);
INSERT INTO project_search (rowid, title, description)
SELECT id, title, description FROM projects;

CREATE VIRTUAL TABLE update_search USING fts5 (
    body,
    tokenize = 'porter unicode61'
);
INSERT INTO update_search (rowid, body) SELECT id, body FROM updates;

CREATE TABLE update_search_pending (
    update_id INTEGER PRIMARY KEY
);

CREATE TRIGGER update_search_on_insert AFTER INSERT ON updates BEGIN
    INSERT OR IGNORE INTO update_search_pending (update_id) VALUES (new.id);
END;

-- Forgetting a person takes their id out of update texts.
CREATE TRIGGER update_search_on_edit AFTER UPDATE OF body ON updates BEGIN
    INSERT OR IGNORE INTO update_search_pending (update_id) VALUES (new.id);
END;
