-- Whether the pitch's thread still says that a person who has left a team joined it: they
-- left quietly (as anyone but the lead does) after the line saying they joined had been
-- posted, or was on its way. A join again while the row is kept (three days, with the
-- membership's clock) is then not announced a second time: a reaction taken off and put
-- back is not news. No person is named here beyond the row's own.
ALTER TABLE membership_changes ADD COLUMN join_line_stands INTEGER NOT NULL DEFAULT 0
    CHECK (join_line_stands IN (0, 1));
