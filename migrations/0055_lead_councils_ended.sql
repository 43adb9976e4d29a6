-- The councils a project was led by before its lead council changed (`/makers lead-council`):
-- a report of a past period counts a project for the council that led it then (its pitch for
-- the council that led it when pitched, a re-use of it for the one that led it when said, what
-- it led at the period's end for the one that led it then). Before this, a project handed to
-- another council took its past with it, and a past quarter's figures moved with each handover.
-- A lead council first set where there was none (the pitcher said their first council) is
-- read back to the pitch, and one put right within a day of being set is a slip put right:
-- neither is kept here. Gone with the project (an erase); moved with a council merged into
-- another; an erase keeps a council another workspace's row names.
CREATE TABLE lead_councils_ended (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    council_id INTEGER NOT NULL REFERENCES councils (id),
    until_at   INTEGER NOT NULL, -- when another council took the lead
    PRIMARY KEY (project_id, until_at)
);

-- A council's rows, for a merge of councils, an erase and a council's report.
CREATE INDEX lead_councils_ended_by_council ON lead_councils_ended (council_id);

-- When the project's lead council was last set (NULL: as pitched). A report reads the rows
-- above only for a project whose lead council changed after the instant it asks about, and a
-- change within a day of this is a slip put right.
ALTER TABLE projects ADD COLUMN lead_council_at INTEGER;
