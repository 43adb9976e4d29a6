-- Councils merged into another or renamed by the operator (`makers-bot council merge`):
-- local government reorganisation folds district councils into a new unitary one, and a
-- council may change its name. Each former council's match key leads to the council that
-- took its place, so people still saying the old name are recorded there, and the
-- catalogue's filter by it finds the successor's services. A merged council's own row is
-- gone (its people, pitches and re-uses are the successor's), a renamed one's renamed; the
-- old name stays here, as it was recorded, to be said back ("Waverley Borough Council is
-- now part of it"). `merged_at`: when it was merged or renamed.
CREATE TABLE council_former_names (
    match_key  TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    council_id INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    merged_at  INTEGER NOT NULL,
    -- 1: the council was renamed ("Shepway" to "Folkestone and Hythe"); 0: merged into
    -- another. Said back so.
    renamed    INTEGER NOT NULL DEFAULT 0 CHECK (renamed IN (0, 1))
) WITHOUT ROWID;
CREATE INDEX council_former_names_by_council ON council_former_names (council_id);
