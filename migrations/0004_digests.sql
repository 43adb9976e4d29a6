-- Weekly digests: what each subscribed channel has been sent. last_due_at is the scheduled
-- instant last handled (so a restart never posts it twice, and downtime is caught up once);
-- sent_until is where the next digest's period starts.

ALTER TABLE digest_subscriptions ADD COLUMN last_due_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE digest_subscriptions ADD COLUMN sent_until INTEGER NOT NULL DEFAULT 0;

-- The composer reads one period of each kind of news.
CREATE INDEX projects_by_creation ON projects (team_id, created_at);
CREATE INDEX updates_by_time ON updates (created_at);
CREATE INDEX members_by_time ON members (joined_at);
CREATE INDEX phase_changes_by_time ON phase_changes (changed_at);
