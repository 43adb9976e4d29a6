-- Full-text search over what projects are about: title, description and every status update,
-- so "someone may already be doing this" can be found before the same thing is built twice.
-- The index is kept in step by triggers, inside the same transaction as each write.
-- rowid is projects.id. Porter stemming: "finding" finds "find".

CREATE VIRTUAL TABLE project_search USING fts5 (
    title, description, updates,
    tokenize = 'porter unicode61'
);

INSERT INTO project_search (rowid, title, description, updates)
SELECT p.id, p.title, p.description,
       COALESCE((SELECT group_concat(u.body, ' ') FROM updates u WHERE u.project_id = p.id), '')
FROM projects p;

CREATE TRIGGER project_search_on_pitch AFTER INSERT ON projects BEGIN
    INSERT INTO project_search (rowid, title, description, updates)
    VALUES (new.id, new.title, new.description, '');
END;

CREATE TRIGGER project_search_on_edit AFTER UPDATE OF title, description ON projects BEGIN
    UPDATE project_search SET title = new.title, description = new.description
    WHERE rowid = new.id;
END;

CREATE TRIGGER project_search_on_update AFTER INSERT ON updates BEGIN
    UPDATE project_search SET updates = updates || ' ' || new.body WHERE rowid = new.project_id;
END;
