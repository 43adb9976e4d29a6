-- An update its author withdrew (`/makers withdraw`): when. Its words go (`body` is emptied,
-- and so is its row in the search index), and nothing that shows updates (`show`, the Home,
-- digests, search) shows it; the row stays, as projects and updates are never deleted while
-- their workspace uses the bot (the search index relies on it).
ALTER TABLE updates ADD COLUMN withdrawn_at INTEGER;
