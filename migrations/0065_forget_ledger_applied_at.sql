-- When the forget ledger's last line this database applied was made (unix seconds; 0 for a
-- database that applied its lines before this version, when it was not kept). It names
-- nobody. With the ledger's lines trimmed by the operator, or the file lost with the machine,
-- it says how far back nobody can be told to have been forgotten: join reactions on an
-- announcement pitched before then are not read again at an invitation (`store::LedgerKept`).
ALTER TABLE forget_ledger ADD COLUMN applied_at INTEGER NOT NULL DEFAULT 0;
