-- The catalogue's own search index is made again for every published project: from this
-- build on, `domain::public_text` shows a channel as "a channel" (its name may be a private
-- channel's), so an index made from the text as shown before would still find a project by
-- a channel's name its page no longer shows. As 0030, `store::sync_search` refills each row
-- from `search_pending` when the store next opens.
INSERT OR IGNORE INTO search_pending (project_id)
SELECT id FROM projects WHERE published_at IS NOT NULL;
