-- The catalogue's own search index is made again for every published project: from this
-- build on, `domain::public_text` shows a Slack address (which holds channel, person or
-- workspace ids) as "a link in Slack", so an index made from the text as shown before would
-- still find a project by words its page no longer shows. `store::sync_search` refills
-- each row from `search_pending` when the store next opens, as 0018 first filled it.
INSERT OR IGNORE INTO search_pending (project_id)
SELECT id FROM projects WHERE published_at IS NOT NULL;
