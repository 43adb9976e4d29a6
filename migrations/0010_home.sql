-- The Home tab starts from a person's memberships: find them without reading every member of
-- the workspace (the primary key is (project_id, user_id)).
CREATE INDEX members_by_user ON members (user_id, project_id);
