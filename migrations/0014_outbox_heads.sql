-- The outbox worker takes the oldest undelivered row of each channel in turn (posts to one
-- channel go out in order, and one busy channel does not fill every pass). This index lets it
-- find the next channel with undelivered rows, and that channel's oldest, by one seek each,
-- however deep the outbox is.
CREATE INDEX outbox_heads ON outbox (team_id, channel_id, id)
    WHERE delivered_at IS NULL AND failed_at IS NULL;
