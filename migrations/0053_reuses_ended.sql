-- Re-uses that ended: a council said it no longer re-uses a project (`unreuse`), or a merge of
-- councils made it the council's own work or one with another's (also two made one when
-- councils are keyed again at start). A report of a period
-- already over counts the re-uses said in it that still stood at its end, and a day's tally
-- those standing then, however councils stop later: before this, `unreuse` deleted the
-- re-use, and a past quarter's re-uses fell each time a council stopped. Who said it is not
-- kept (it names a person; the council and the project are what a report counts); where it
-- was said is, as a workspace's erase takes the re-uses said in it.
CREATE TABLE reuses_ended (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    council_id INTEGER NOT NULL REFERENCES councils (id),
    said_in    TEXT,             -- as `reuses.said_in`
    created_at INTEGER NOT NULL, -- first said, as `reuses.created_at`
    ended_at   INTEGER NOT NULL,
    CHECK (ended_at >= created_at)
);

CREATE INDEX reuses_ended_of_project ON reuses_ended (project_id);
-- A workspace's erase or export takes those said in it.
CREATE INDEX reuses_ended_by_said_in ON reuses_ended (said_in);
-- A period's re-uses, as those standing are read by their time.
CREATE INDEX reuses_ended_by_time ON reuses_ended (created_at);
-- A council's, for a merge of councils or an erase.
CREATE INDEX reuses_ended_by_council ON reuses_ended (council_id);
-- A period's re-uses are read with those ended by when they were said: without it, each
-- workspace's report scanned every re-use of every workspace.
CREATE INDEX reuses_by_time ON reuses (created_at);
