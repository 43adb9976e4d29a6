-- `oauth_states` now holds the install links' states that have been *used* (until they
-- expire), not every one handed out: /slack/install, which anyone may call, wrote a row
-- each time and scanned the table for expired ones, so a flood of it held up every write.
-- A state's signature and expiry say it is ours; the callback records it once. Rows from
-- before are states handed out and not used: dropped, so each is good once more.
DELETE FROM oauth_states;
CREATE INDEX oauth_states_by_expiry ON oauth_states (expires_at);
