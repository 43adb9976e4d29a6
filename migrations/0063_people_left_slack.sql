-- People who left Slack, by user id. Whether someone left is read at every status change a
-- workspace sends (`user_change`) and at every join by reaction, this on the writer; the
-- primary key is the workspace, then the user, and `people_said` holds only people who said
-- a council, so each read scanned every person of every workspace (4.5 ms at 100,000).
-- Partial: only the few deactivations noted are in it, so it costs a write nothing else.
CREATE INDEX people_left_slack ON people (user_id) WHERE left_slack_at IS NOT NULL;
