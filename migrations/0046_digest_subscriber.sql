-- Who turned each channel's digest on (or re-timed it last), so that they can be told, in
-- their messages with the bot, when Slack will not take the digest in that channel (the
-- channel archived, the bot taken out of it, posting restricted): nobody in the channel can
-- be told there, and a weekly post that stops is noticed weeks late. NULL for
-- subscriptions made before this, and once `digest off` stops it; `forget` anonymises it as
-- it does whoever did the team's work. `refusal_told_at`: when they were told, so once for a
-- run of refusals; cleared when a digest goes out there again, the digest is turned on or
-- off again, or a refusal stops it (a digest told "kept" that stops is told again).
ALTER TABLE digest_subscriptions ADD COLUMN subscribed_by TEXT;
ALTER TABLE digest_subscriptions ADD COLUMN refusal_told_at INTEGER;
