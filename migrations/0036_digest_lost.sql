-- A digest the bot could not post (taken out of the channel, the channel archived) stopped
-- its channel's subscription by deleting it, so inviting the bot back did not bring the
-- digest back, and nobody was told. Now the subscription is stopped, noting when it was
-- lost (`lost_at`), and the bot's invitation to the channel starts it again at its time, as
-- `digest` alone would (from where its last digest ended, or a week back). `digest off`
-- meanwhile clears the note, so an invitation then brings nothing back. The row still names
-- no person.
ALTER TABLE digest_subscriptions ADD COLUMN lost_at INTEGER;
