-- When a person said their council, apart from `updated_at` (which a "did you mean" offer
-- moves too). Where a person said no council in a workspace, their council there is the one
-- they said most recently in another (`store::people::said_elsewhere!`): this partial index
-- answers that in one step, with no look-up of the row and no sort. It also serves the
-- catalogue's read of a project's members' councils by user id, for which 0032 made
-- `people_by_user`: every other read of `people` goes by its primary key, so that index
-- only cost writes (a row per person asked about) and goes.
ALTER TABLE people ADD COLUMN council_said_at INTEGER;
UPDATE people SET council_said_at = updated_at WHERE council_id IS NOT NULL;
CREATE INDEX people_said ON people (user_id, council_said_at DESC, team_id, council_id)
    WHERE council_id IS NOT NULL;
DROP INDEX people_by_user;
