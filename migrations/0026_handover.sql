-- Who pitched a project, once its lead has handed it over (`/makers handover`): `pitcher`
-- is then whoever leads it now (told of joins, may take someone off the team, may hand it on),
-- and `pitched_by` keeps who pitched it, for `show` and its announcement. NULL while the
-- pitcher still leads it. It names a person: a forget takes them out of it.
ALTER TABLE projects ADD COLUMN pitched_by TEXT;
