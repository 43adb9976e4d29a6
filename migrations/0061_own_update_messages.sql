-- From this version an update made by mentioning the bot in its pitch's thread (`line` 'own')
-- keeps that message's ts in `line_ts`, as a 'bot' update keeps its line's: the message is
-- the update's line. An edit of it (Slack sends the mention again) is then known for that
-- update, where it was answered as a mistake ("your edit changed nothing"), also straight
-- after `/makers correct` told its author to make it. Earlier 'own' updates keep NULL. The
-- index finds an edit's update; it names nobody.
CREATE INDEX updates_own_message ON updates (project_id, line_ts) WHERE line = 'own';
-- `edit_ts`: the Slack ts of the latest edit of that message the bot took (`edited.ts`), so
-- that an older edit delivered late (Slack retried it) does not undo a newer one. NULL until
-- the message is edited; a ts, naming nobody.
ALTER TABLE updates ADD COLUMN edit_ts TEXT;
