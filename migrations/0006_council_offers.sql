-- A council name close to one already recorded ("Guilford" beside "Guildford") is offered back
-- ("Did you mean …?") rather than created. `council_offer` is the match key of the name the
-- person was asked about: saying that same name again creates it after all.
ALTER TABLE people ADD COLUMN council_offer TEXT;
