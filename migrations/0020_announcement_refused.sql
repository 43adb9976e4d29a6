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
-- fail the statement.
UPDATE projects SET announcement_refused_at = COALESCE(
    (SELECT MAX(o.failed_at) FROM outbox o
     WHERE o.team_id = projects.team_id
       AND CASE WHEN json_valid(o.notice) THEN
             COALESCE(json_extract(o.notice, '$.notice.kind'), json_extract(o.notice, '$.kind'))
           END = 'announcement'
       AND CASE WHEN json_valid(o.notice) THEN
             COALESCE(json_extract(o.notice, '$.notice.project_id'),
                      json_extract(o.notice, '$.project_id'))
           END = projects.id),
    created_at)
WHERE announcement_ts IS NULL
  AND NOT EXISTS (
    SELECT 1 FROM outbox o
    WHERE o.team_id = projects.team_id AND o.delivered_at IS NULL
      AND (o.failed_at IS NULL OR o.last_error = 'not_in_channel')
      AND CASE WHEN json_valid(o.notice) THEN
            COALESCE(json_extract(o.notice, '$.notice.kind'), json_extract(o.notice, '$.kind'))
          END = 'announcement'
      AND CASE WHEN json_valid(o.notice) THEN
            COALESCE(json_extract(o.notice, '$.notice.project_id'),
                     json_extract(o.notice, '$.project_id'))
          END = projects.id);
