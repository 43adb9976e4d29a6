-- Whether a phase change retired its project by merging it into another (`/makers merge`).
-- A report of a period says how many of the projects retired in it were merged, and says
-- the same later: the merge's own row (`project_merges`) goes when the project is brought
-- back, the history stays. Rows from before are marked where their merge still stands (the
-- merge retires the project at the instant it records the merge).
ALTER TABLE phase_changes ADD COLUMN merge INTEGER NOT NULL DEFAULT 0 CHECK (merge IN (0, 1));
UPDATE phase_changes SET merge = 1
 WHERE to_phase = 'retired'
   AND EXISTS (SELECT 1 FROM project_merges m
                WHERE m.project_id = phase_changes.project_id
                  AND m.merged_at = phase_changes.changed_at);
