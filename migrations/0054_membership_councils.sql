-- The council each membership counts for, kept once its person says another: a report of a
-- past period counts a join for the council its person worked for when it was recorded
-- (before this, for the council they say now, so someone who moved council took their past
-- joins with them, and a past quarter's figures moved with each move). NULL until then: the
-- membership counts for the council its person says now, which for someone who had said none
-- when they joined is the first they say after. Set for a person's memberships as they stand
-- just before they say a council (`people::set_council`); moved with a council merged into
-- another; an erase keeps a council that another workspace's membership names.
ALTER TABLE members ADD COLUMN council_id INTEGER REFERENCES councils (id);
ALTER TABLE memberships_ended ADD COLUMN council_id INTEGER REFERENCES councils (id);
-- When a person's council in a workspace last changed (not said again unchanged, which
-- `council_said_at` records): a council changed again within a day puts a slip right, and
-- the joins made meanwhile are not kept for the slip. NULL for a council chosen before this.
ALTER TABLE people ADD COLUMN council_changed_at INTEGER;

-- A council's memberships, for a merge of councils, an erase and the check of a council's
-- deletion; only those kept, so a join's write is not slowed.
CREATE INDEX members_by_council ON members (council_id) WHERE council_id IS NOT NULL;
CREATE INDEX memberships_ended_by_council ON memberships_ended (council_id)
    WHERE council_id IS NOT NULL;
