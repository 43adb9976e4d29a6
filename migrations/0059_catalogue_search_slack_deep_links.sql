-- The catalogue's own search index is made again for every published project: from this
-- build on, `domain::public_text` shows Slack's desktop deep links (`slack://channel?team=T…
-- &id=C…`) and addresses on its image host (`ca.slack-edge.com/T…-U…-…`, a person's picture)
-- as "a link in Slack", as it did its web addresses: they hold a workspace's id and a
-- channel's or a person's. An index made from the text as shown before would still find a
-- project by those ids. As 0056, `store::sync_search` refills each row from `search_pending`
-- when the store next opens.
INSERT OR IGNORE INTO search_pending (project_id)
SELECT id FROM projects WHERE published_at IS NOT NULL;
