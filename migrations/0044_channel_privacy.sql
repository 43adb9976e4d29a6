-- Whether each channel a project was pitched in is private, as Slack's conversations.info
-- says. A private channel's projects are shown in that channel and to their teams alone (not
-- in other channels' lists, searches and digests, nor on other people's Home), since the
-- pitch's announcement there is for the channel's members only.
--   private: NULL until Slack has said, then 0 or 1;
--   ask_at:  when the outbox worker is to ask Slack (unix seconds); NULL once it has said.
CREATE TABLE channels (
    team_id    TEXT    NOT NULL,
    channel_id TEXT    NOT NULL,
    private    INTEGER CHECK (private IN (0, 1)),
    ask_at     INTEGER,
    PRIMARY KEY (team_id, channel_id)
) WITHOUT ROWID;
CREATE INDEX channels_to_ask ON channels (ask_at) WHERE ask_at IS NOT NULL;
CREATE INDEX private_channels ON channels (team_id) WHERE private = 1;

-- Every channel a project was pitched in before this build, to be asked about at once.
INSERT INTO channels (team_id, channel_id, ask_at)
SELECT DISTINCT team_id, channel_id, 0 FROM projects;
