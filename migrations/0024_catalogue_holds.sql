-- Projects an operator has taken out of the public catalogue (`makers-bot takedown`): a
-- complaint, a mistake, something that should never have been public. While its row is here
-- the project is not published and its team cannot publish it (`store::publish` refuses);
-- `makers-bot takedown --lift` deletes the row, and the team may publish again. `reason` is
-- the operator's, told to the team in the pitch's thread. Projects are never deleted, so the
-- row goes only with a lift.
CREATE TABLE catalogue_holds (
    project_id INTEGER PRIMARY KEY REFERENCES projects (id),
    held_at    INTEGER NOT NULL,
    reason     TEXT
);
