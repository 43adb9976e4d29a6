-- Before `CouncilName::parse` refused them, "none", "N/A", "no council", "unknown" and the
-- like were recorded as councils: listed in every workspace's give and take, and taken as
-- the lead council of their person's pitches. They name no council, so a person or a pitch
-- that had one has none now, as if they had said nothing, and the "council" goes. So does a
-- re-use said for one: re-use is a council's word, and this names none; kept, it would stand
-- in the public catalogue for good, since nobody could speak for that "council" again to
-- withdraw it. Its sayer can say it again once they say their council. The keys are
-- `SAYS_NONE` in src/domain/council.rs (a unit test holds the two lists together).
CREATE TEMP TABLE says_none (match_key TEXT PRIMARY KEY);
INSERT INTO says_none (match_key) VALUES
    ('none'), ('n a'), ('na'), ('nil'), ('null'), ('no'), ('no one'), ('nobody'),
    ('nothing'), ('not applicable'), ('unknown'), ('tbc'), ('tbd');

UPDATE people SET council_id = NULL, council_said_at = NULL
 WHERE council_id IN (SELECT c.id FROM councils c JOIN says_none USING (match_key));
UPDATE people SET council_offer = NULL
 WHERE council_offer IN (SELECT match_key FROM says_none);
UPDATE projects SET pitcher_council_id = NULL
 WHERE pitcher_council_id IN (SELECT c.id FROM councils c JOIN says_none USING (match_key));
DELETE FROM reuses
 WHERE council_id IN (SELECT c.id FROM councils c JOIN says_none USING (match_key));
DELETE FROM councils WHERE match_key IN (SELECT match_key FROM says_none);

DROP TABLE says_none;
