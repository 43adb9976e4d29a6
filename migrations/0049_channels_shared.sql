-- Whether each channel a project was pitched in is shared with another workspace or
-- organisation, as Slack's conversations.info says (`is_shared`), learned when the outbox
-- worker asks whether it is private (on its first post there, and daily): NULL until Slack
-- has said. A merge names each project in the other's thread, and a shared channel's thread
-- is read by people the other project was never shown to: a merge across two channels is
-- refused when either is shared, however it is asked (a mention made in the channel says
-- so too; a slash command typed elsewhere did not). Until Slack has said, a channel counts
-- as not shared, as before this column.
ALTER TABLE channels ADD COLUMN shared INTEGER CHECK (shared IN (0, 1));
-- Every channel still asked about daily is asked at once, as 0044 did, so the bot knows
-- within its first passes rather than a day later.
UPDATE channels SET ask_at = 0 WHERE ask_at IS NOT NULL;
