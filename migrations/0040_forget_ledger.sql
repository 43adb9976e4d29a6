-- How far this database has applied the forget ledger, the file beside it that lists each
-- request to be forgotten (see `store::forget_ledger`): the last line's sequence number. A
-- copy of the database put back from before a request has a lower number, and the store
-- forgets again, at open, whoever the ledger lists after it. No person is named here.
CREATE TABLE forget_ledger (
    one     INTEGER PRIMARY KEY CHECK (one = 1),
    applied INTEGER NOT NULL
);
INSERT INTO forget_ledger (one, applied) VALUES (1, 0);
