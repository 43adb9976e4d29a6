-- When a project's announcement came to be failed for good (Slack refused it: its channel
-- archived, posting there restricted; the bot's token no longer working; or its workspace
-- removed the app first), in unix seconds. The project then has no thread, and the answers
-- to changes stop promising that its thread will be told. NULL while the announcement is
-- posted, owed, or parked until the bot is invited (`not_in_channel`, which an invitation
-- requeues).
ALTER TABLE projects ADD COLUMN announcement_refused_at INTEGER;

-- Filled for every project not announced whose announcement is neither owed nor parked: it
-- failed for good, or its row is gone (pruned once failed, or deleted by a forget). Each
-- field is read under `CASE WHEN json_valid(...)`: a row whose text is not JSON must not
-- fail the statement. Both stored shapes (version 1 had the notice at the top).
WITH announcements (team_id, project_id, failed_at, live) AS (
    SELECT team_id,
           CASE WHEN json_valid(notice) THEN
             COALESCE(json_extract(notice, '$.notice.project_id'),
                      json_extract(notice, '$.project_id'))
           END,
           failed_at,
           delivered_at IS NULL AND (failed_at IS NULL OR last_error = 'not_in_channel')
    FROM outbox
    WHERE CASE WHEN json_valid(notice) THEN
            COALESCE(json_extract(notice, '$.notice.kind'), json_extract(notice, '$.kind'))
          END = 'announcement'
)
UPDATE projects SET announcement_refused_at = COALESCE(
    (SELECT MAX(a.failed_at) FROM announcements a
     WHERE a.team_id = projects.team_id AND a.project_id = projects.id),
    created_at)
WHERE announcement_ts IS NULL
  AND NOT EXISTS (
    SELECT 1 FROM announcements a
    WHERE a.team_id = projects.team_id AND a.project_id = projects.id AND a.live);
