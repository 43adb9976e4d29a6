-- Whether the pitch's thread says that a person joined a team, with nothing after it saying
-- otherwise: set once the line saying they joined is posted, and cleared when it is taken
-- back unposted, they are taken off the team, leave it leading it or leave Slack. A member's
-- own leave is quiet and leaves it set, so a join again while the row is kept (three days,
-- with the membership's clock) is not announced a second time: a reaction taken off and put
-- back is not news. No person is named here beyond the row's own.
ALTER TABLE membership_changes ADD COLUMN join_line_stands INTEGER NOT NULL DEFAULT 0
    CHECK (join_line_stands IN (0, 1));

-- Rows kept from the build before this one (three days after each change) are of joins whose
-- line went out, or is still queued (a leave takes a queued one back before a join again
-- reads it): a member's is noted as standing, as 0057 notes those whose row went, or, once
-- 0057 keeps a member's row, a Leave pressed by mistake and a join again is announced again.
-- Here and not in a later migration: only a database from before this column runs it, and
-- from this build on the column is set as lines go out. Not whoever pitched it (see 0057).
UPDATE membership_changes SET join_line_stands = 1
 WHERE EXISTS (SELECT 1 FROM members m JOIN projects p ON p.id = m.project_id
                WHERE m.project_id = membership_changes.project_id
                  AND m.user_id = membership_changes.user_id
                  AND NOT (m.user_id = COALESCE(p.pitched_by, p.pitcher)
                           AND m.joined_at = p.created_at));
