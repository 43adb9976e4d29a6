-- The workspace each re-use was said in. Until `reuse <catalogue address>`, a re-use was
-- always said in its project's workspace; now a council in another workspace may say it.
-- Erasing or exporting a workspace takes the re-uses said there (its people's words), and
-- only those: a person's id alone cannot tell, since someone from another workspace who
-- reacts in a shared channel has a row in this one's `people` too.
ALTER TABLE reuses ADD COLUMN said_in TEXT;
UPDATE reuses SET said_in = (SELECT team_id FROM projects WHERE id = reuses.project_id);
CREATE INDEX reuses_by_said_in ON reuses (said_in);
