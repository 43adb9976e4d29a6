-- Skills: what people offer (`/makers skills`) and what projects want (`/makers wants`, the
-- pitch form). The values are domain::Skill's stored names, the usual roles of a digital team.
--
-- person_skills is personal data: a data request (export, `forget me`; issue 12) must cover it,
-- found by (team_id, user_id).
CREATE TABLE person_skills (
    team_id  TEXT    NOT NULL,
    user_id  TEXT    NOT NULL,
    skill    TEXT    NOT NULL CHECK (skill IN ('developer', 'designer', 'user_researcher',
                                               'content_designer', 'delivery_manager',
                                               'product_owner', 'data', 'other')),
    position INTEGER NOT NULL, -- the order the person gave them in
    PRIMARY KEY (team_id, user_id, skill)
) WITHOUT ROWID;
-- People offering skill X in a workspace.
CREATE INDEX person_skills_by_skill ON person_skills (team_id, skill);

-- What a project's team is looking for. Not personal: it belongs to the project.
CREATE TABLE project_skills (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    skill      TEXT    NOT NULL CHECK (skill IN ('developer', 'designer', 'user_researcher',
                                                 'content_designer', 'delivery_manager',
                                                 'product_owner', 'data', 'other')),
    position   INTEGER NOT NULL, -- the order the team gave them in
    PRIMARY KEY (project_id, skill)
) WITHOUT ROWID;
-- Projects wanting skill X (`list needs X`, and the Home tab's "your skills are wanted").
CREATE INDEX project_skills_by_skill ON project_skills (skill, project_id);
