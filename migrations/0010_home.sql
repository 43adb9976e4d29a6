-- The Home tab reads one person's memberships and one council's give and take on every visit;
-- without these it reads every member (the primary key is (project_id, user_id)) and every
-- project of the workspace to do so (20 ms at 10,000 projects; see benches/home.rs).
CREATE INDEX members_by_user ON members (user_id, project_id);
CREATE INDEX projects_by_pitcher_council ON projects (pitcher_council_id)
    WHERE pitcher_council_id IS NOT NULL;
