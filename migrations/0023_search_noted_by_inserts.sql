-- A new project or update notes itself for the search index from the store's insert
-- (`store::projects::insert_project`, `store::progress::insert_update`) rather than by a
-- trigger. A statement that fires a trigger writes more than one row, so SQLite keeps a
-- statement journal for it: a copy of every page the insert changes, in case it must be
-- undone alone. That copy was a measurable share of a pitch's and an update's writes.
-- Edits and publishing keep their triggers (rare, and written from several places).
DROP TRIGGER search_on_pitch;
DROP TRIGGER update_search_on_insert;

-- `fresh`: noted by the insert itself, so never indexed yet (rows are never deleted, so a
-- new row id has never been in an index): the commit skips looking for its old index rows,
-- a look-up that cost about as much as indexing it. A row noted by an edit or a publish
-- keeps 0; an edit of a project pitched in the same transaction leaves its row fresh.
ALTER TABLE search_pending ADD COLUMN fresh INTEGER NOT NULL DEFAULT 0;
ALTER TABLE update_search_pending ADD COLUMN fresh INTEGER NOT NULL DEFAULT 0;
