-- Where an update's words are in its pitch's thread, so that `/makers correct` can correct
-- them there. `line`: 'bot' for the bot's line (`/makers update`), 'own' for the author's own
-- message (an @-mention in the thread: only they can edit it in Slack). `line_ts`: the bot's
-- line's ts, once posted. Both NULL for updates from before this version, whose lines are
-- not known (a correction changes their record only). `corrected_at`: when the words were
-- last corrected. None of them names a person.
ALTER TABLE updates ADD COLUMN line TEXT CHECK (line IN ('bot', 'own'));
ALTER TABLE updates ADD COLUMN line_ts TEXT;
ALTER TABLE updates ADD COLUMN corrected_at INTEGER;
