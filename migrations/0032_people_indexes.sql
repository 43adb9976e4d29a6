-- People by council and by user id alone. The Home's and `/makers council`'s line of a
-- council's give and take counts the people of a council (`people.council_id`), and the
-- catalogue reads the councils of a project's members by their user ids: both scanned every
-- person of every workspace (the primary key is the workspace, then the user).
CREATE INDEX people_by_council ON people (council_id) WHERE council_id IS NOT NULL;
CREATE INDEX people_by_user ON people (user_id);
