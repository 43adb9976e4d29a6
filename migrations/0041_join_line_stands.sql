-- Whether the pitch's thread says that a person joined a team, with nothing after it saying
-- otherwise: set once the line saying they joined is posted, and cleared when it is taken
-- back unposted, they are taken off the team, leave it leading it or leave Slack. A member's
-- own leave is quiet and leaves it set, so a join again while the row is kept (three days,
-- with the membership's clock) is not announced a second time: a reaction taken off and put
-- back is not news. No person is named here beyond the row's own.
ALTER TABLE membership_changes ADD COLUMN join_line_stands INTEGER NOT NULL DEFAULT 0
    CHECK (join_line_stands IN (0, 1));
