-- When a person first said a council in a workspace: `council_said_at` moves at every
-- change of council. The first council said in a workspace leads the projects pitched there
-- before one was said anywhere (`handlers::team::council`); a change of council said
-- elsewhere since must not move that moment. Rows from before know only the latest saying.
ALTER TABLE people ADD COLUMN council_first_said_at INTEGER;
UPDATE people SET council_first_said_at = council_said_at WHERE council_id IS NOT NULL;
