-- The catalogue's own search index is made again for every published project: from this
-- build on, what the catalogue shows has Slack's emoji codes as the emoji (`:tada:` 🎉)
-- and a name without Slack's style markers (`*New*`), so an index made from the text as
-- shown before would find a project by words it no longer shows. As 0030, 0038 and 0039,
-- `store::sync_search` refills each row from `search_pending` when the store next opens.
INSERT OR IGNORE INTO search_pending (project_id)
SELECT id FROM projects WHERE published_at IS NOT NULL;
