-- Corrections of the bot's update lines already in Slack (`chat.update`, queued with the
-- line's ts) take a lane of their own in each channel (an announcement's stay with the posts,
-- so the channel sees where a project is before its thread is told):
-- `lane` 1, every other post 0. The worker's walk of the heads (`store::due_heads`) takes the
-- oldest row of each (workspace, channel, lane), so a channel's posts keep their order, and
-- two corrections of one message theirs, but a forget of someone with 2,000 posted lines no
-- longer queues 2,000 paced seconds of corrections in front of the channel's next
-- announcement. The pacing stays per channel, so posts and corrections take turns.
-- Adding a column with a constant default rewrites no row; the heads' index (undelivered rows
-- only) is made again with the lane after the channel.
ALTER TABLE outbox ADD COLUMN lane INTEGER NOT NULL DEFAULT 0 CHECK (lane IN (0, 1));
-- Corrections queued before this version and not yet posted take their lane too (a forget
-- under way at the upgrade).
UPDATE outbox SET lane = 1
WHERE delivered_at IS NULL AND thread_ts IS NOT NULL
  AND CASE WHEN json_valid(notice)
           THEN COALESCE(json_extract(notice, '$.notice.kind'), json_extract(notice, '$.kind'))
      END = 'update_corrected';
DROP INDEX outbox_heads;
CREATE INDEX outbox_heads ON outbox (team_id, channel_id, lane, id)
    WHERE delivered_at IS NULL AND failed_at IS NULL;
