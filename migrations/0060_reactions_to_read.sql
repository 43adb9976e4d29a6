-- Announcements whose join reactions are to be read from Slack again (`reactions.get`): the
-- open ones of a channel the bot has just been invited back to. Slack sends reaction events
-- only from channels the bot is in, so reactions added while it was out were never heard of.
-- `invited_us` is when the invitation was received (microseconds): a reaction read then is
-- taken as made then at the latest, so a leave recorded after it still stands. Names nobody.
CREATE TABLE reactions_to_read (
    project_id INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    team_id    TEXT    NOT NULL,
    invited_us INTEGER NOT NULL,
    read_after INTEGER NOT NULL -- unix seconds: when to ask Slack (again, after a failure)
);
CREATE INDEX reactions_to_read_due ON reactions_to_read (read_after);

-- Only projects pitched after this migration are read again: an earlier one's leavers and
-- removals from before 0052 left no record (their membership rows deleted, nothing kept),
-- so an old reaction of theirs still on its announcement would rejoin them. One row: the
-- highest project id when it ran.
CREATE TABLE reactions_read_from (after_project_id INTEGER NOT NULL);
INSERT INTO reactions_read_from SELECT COALESCE(MAX(id), 0) FROM projects;
