-- The workspace each re-use was said in. Until `reuse <catalogue address>`, a re-use was
-- always said in its project's workspace; now a council in another workspace may say it.
-- Erasing or exporting a workspace takes the re-uses said there (its people's words), and
-- only those: a person's id alone cannot tell, since someone from another workspace who
-- reacts in a shared channel has a row in this one's `people` too.
-- A re-use said by address before this column is found by its sayer's council: the
-- workspace where the sayer's council is that council (the project's first, if both are).
ALTER TABLE reuses ADD COLUMN said_in TEXT;
UPDATE reuses SET said_in = COALESCE(
    (SELECT pe.team_id FROM people pe
      WHERE pe.user_id = reuses.said_by AND pe.council_id = reuses.council_id
      ORDER BY pe.team_id = (SELECT team_id FROM projects WHERE id = reuses.project_id) DESC
      LIMIT 1),
    (SELECT team_id FROM projects WHERE id = reuses.project_id));
CREATE INDEX reuses_by_said_in ON reuses (said_in);
