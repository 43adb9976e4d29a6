-- The catalogue's own search index is made again for every published project: from this
-- build on, `domain::public_text` shows a Slack address left as typed (in code, or where
-- linking it would have made the text too long) as "a link in Slack", as it did one in a
-- token: it holds a workspace's name and a channel's or a person's id. An index made from
-- the text as shown before would still find a project by that id. As 0038,
-- `store::sync_search` refills each row from `search_pending` when the store next opens.
-- (A published title holding such an address gets a new catalogue address at start, by
-- `store::publishing::repair_slugs`: an address must not say more than its page.)
INSERT OR IGNORE INTO search_pending (project_id)
SELECT id FROM projects WHERE published_at IS NOT NULL;
