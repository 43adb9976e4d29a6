-- When Slack refused a project's announcement for good (its channel archived, posting there
-- restricted to admins: any refusal but a token that no longer works), in unix seconds. The
-- project then has no thread, and the answers to changes stop promising that its thread
-- will be told. NULL while the announcement is posted, owed, or parked until the bot is
-- invited. Filled here from the announcements already refused.
ALTER TABLE projects ADD COLUMN announcement_refused_at INTEGER;

UPDATE projects SET announcement_refused_at = (
    SELECT MAX(o.failed_at) FROM outbox o
    WHERE o.team_id = projects.team_id AND o.delivered_at IS NULL
      AND o.failed_at IS NOT NULL
      AND o.last_error NOT IN ('not_in_channel', 'workspace not installed', 'token_revoked',
                               'invalid_auth', 'account_inactive', 'not_authed')
      AND json_valid(o.notice)
      AND COALESCE(json_extract(o.notice, '$.notice.kind'), json_extract(o.notice, '$.kind'))
          = 'announcement'
      AND COALESCE(json_extract(o.notice, '$.notice.project_id'),
                   json_extract(o.notice, '$.project_id')) = projects.id
)
WHERE announcement_ts IS NULL;
