-- Public addresses no project may take again: those of projects erased with their workspace
-- (`makers-bot erase`), so that a link to an erased page finds nothing rather than, later,
-- another council's project of the same name. Each is kept as the SHA-256 of the slug: the
-- erased workspace's words leave the file with it.
CREATE TABLE retired_slugs (
    digest BLOB NOT NULL PRIMARY KEY
) WITHOUT ROWID;
