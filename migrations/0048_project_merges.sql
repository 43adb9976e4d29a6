-- A project merged into another (`/makers merge 7 into 4`): two teams found they were making
-- the same thing, and one carries on as the other. The merged project is retired, as by
-- `phase 7 retired` (its phase change records who, unless it was retired already: then only
-- the threads' lines say who merged it); its updates, links and re-uses stay its own. Both
-- are projects of one workspace (the code merges nothing else); `merged_at` in unix seconds. This row points whoever asks to join it, `show` and its catalogue page at
-- the project that carries on. A project brought back from retired is no longer merged (its
-- row goes, `store::change_phase`); a project merged in its turn hands on those merged into
-- it, so no row points at a merged project. Nobody is named here.
CREATE TABLE project_merges (
    project_id INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    into_id    INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    merged_at  INTEGER NOT NULL,
    CHECK (project_id <> into_id)
);
CREATE INDEX project_merges_into ON project_merges (into_id);
