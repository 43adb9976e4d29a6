-- Posts parked until the bot is invited to their channel (`not_in_channel`, the store's
-- WAITING_FOR_CHANNEL), by channel. No other index holds failed rows, and these are read by
-- channel: an invitation requeues them, a leave takes back its join's line among them, and a
-- line waiting for its pitch's announcement looks for it there. Few rows: parked posts only.
CREATE INDEX outbox_parked ON outbox (team_id, channel_id)
    WHERE delivered_at IS NULL AND failed_at IS NOT NULL AND last_error = 'not_in_channel';
