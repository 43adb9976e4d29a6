-- Whether a digest of this subscription has been posted in its channel: the bot joins a
-- public channel it is not in for a subscription's first digest only. After that, Slack's
-- `not_in_channel` means someone took the bot out, which is respected (the channel is
-- unsubscribed, its row deleted, so subscribing again starts afresh).
ALTER TABLE digest_subscriptions ADD COLUMN posted INTEGER NOT NULL DEFAULT 0
    CHECK (posted IN (0, 1));
-- A subscription whose period has moved past its start had a digest queued: taken as posted,
-- so a channel the bot was taken out of before this version is not joined again.
UPDATE digest_subscriptions SET posted = 1 WHERE sent_until > created_at;
