-- Where things stood at the end of each day, as counts: the people in open projects' teams
-- and the councils they said, the projects in the public catalogue, the re-uses standing and
-- the councils saying them. A report of a period already over gives them as they were at
-- its end: a membership left is deleted, a re-use withdrawn too, so a day's teams cannot be
-- counted again later (phases can, from phase_changes). One row a workspace a local day
-- (`day`, in MAKERS_TZ), taken by the scheduler in the first hour after that day's end
-- (`taken_at`); team_id '' is every workspace's together (a person in two counted once).
-- Counts name nobody; a workspace's are erased with it.
CREATE TABLE day_tallies (
    team_id TEXT NOT NULL,
    day TEXT NOT NULL,
    taken_at INTEGER NOT NULL,
    people INTEGER NOT NULL,
    councils INTEGER NOT NULL,
    in_catalogue INTEGER NOT NULL,
    reuses_standing INTEGER NOT NULL,
    reusing_councils INTEGER NOT NULL,
    PRIMARY KEY (team_id, day)
) WITHOUT ROWID;
