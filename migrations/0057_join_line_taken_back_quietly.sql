-- Whether a member's own quiet leave took back the line saying they joined while it was
-- still to be posted. The worker may already have been posting it (Slack's answer not yet
-- recorded): it then goes out all the same, and stands as any posted line, so a join again
-- soon after is not announced a second time. A lead's `remove`, a lead's own leave and a
-- deactivation clear it: after them a join again is news, and the lead is told. Kept with
-- the membership change's row (`join_line_stands`, 0041); no person is named beyond it.
ALTER TABLE membership_changes ADD COLUMN join_line_taken_back_quietly INTEGER NOT NULL
    DEFAULT 0 CHECK (join_line_taken_back_quietly IN (0, 1));
