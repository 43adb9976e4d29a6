-- Whether a member's own quiet leave took back the line saying they joined while it was
-- still to be posted. The worker may already have been posting it (Slack's answer not yet
-- recorded): it then goes out all the same, and stands as any posted line, so a join again
-- soon after is not announced a second time; set with `join_line_stands` once it is, the
-- lead is yet to be told of the join (they are told when the line is posted, and its member
-- had left by then), and is told should they join again. A lead's `remove`, a lead's own
-- leave and a deactivation clear it: after them a join again is news, and the lead is told.
-- Kept with the membership change's row (`join_line_stands`, 0041); no person is named
-- beyond it.
ALTER TABLE membership_changes ADD COLUMN join_line_taken_back_quietly INTEGER NOT NULL
    DEFAULT 0 CHECK (join_line_taken_back_quietly IN (0, 1));

-- From this build on a member's row is kept while they are in the team (it was pruned three
-- days after their join, so a member of weeks who pressed Leave by mistake and joined again
-- was announced a second time). Members whose row went are given one back, dated as their
-- join: their join's line went out long ago, or is still queued, and a leave takes a queued
-- one back (and notes so) before a join again reads it. Not whoever is in the team since its
-- pitch: the thread never said they joined (they pitched it), and should they lead it no
-- longer, their leaving and joining again is news as any member's.
INSERT OR IGNORE INTO membership_changes (project_id, user_id, changed_us, join_line_stands)
SELECT m.project_id, m.user_id, m.joined_at * 1000000, 1
  FROM members m JOIN projects p ON p.id = m.project_id
 WHERE NOT (m.user_id = COALESCE(p.pitched_by, p.pitcher) AND m.joined_at = p.created_at);
