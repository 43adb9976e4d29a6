-- When Slack said a person's account was deactivated (unix seconds), kept only while they are
-- in a retired project's team (whose team is its history, so a deactivation leaves them in
-- it): brought back, that project takes them out of its team then, and its thread hears that
-- anyone may take the lead if they led it, rather than leave it led by someone who cannot.
-- Cleared when Slack says the account is active again, or they are taken out.
ALTER TABLE people ADD COLUMN left_slack_at INTEGER;
