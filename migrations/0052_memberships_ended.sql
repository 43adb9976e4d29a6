-- Memberships that ended: someone left a team, was taken off it, took their reaction away or
-- left Slack. A report of a period already over counts the joins that still stood at its end
-- and the teams as they were then, however people leave later: before this, a leave deleted
-- the membership, and a past quarter's joins fell each time someone left. Not a bot's join
-- undone (it was never a membership). The team's history, as its updates are: kept as long
-- as the project, gone with the person (forget) or the workspace (erase).
CREATE TABLE memberships_ended (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    TEXT    NOT NULL,
    joined_at  INTEGER NOT NULL, -- as `members.joined_at`: when the join was recorded
    left_at    INTEGER NOT NULL,
    CHECK (left_at >= joined_at)
);

CREATE INDEX memberships_ended_of_project ON memberships_ended (project_id, joined_at);
-- A period's joins, as `members_by_time` for those standing.
CREATE INDEX memberships_ended_by_time ON memberships_ended (joined_at);
-- A person's rows, for a data request or a forget.
CREATE INDEX memberships_ended_of_person ON memberships_ended (user_id);
