-- The catalogue's own search index is made again for every published project: from this
-- build on, `domain::public_text` takes out an e-mail address written as a web address
-- carries one (`?owner=sam%40council.gov.uk`), so an index made from the text as shown
-- before would still find a project by it. As 0030 and 0038, `store::sync_search` refills
-- each row from `search_pending` when the store next opens.
INSERT OR IGNORE INTO search_pending (project_id)
SELECT id FROM projects WHERE published_at IS NOT NULL;
