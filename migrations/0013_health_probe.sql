-- /healthz proves the database takes writes by committing to this one row (outside the
-- write batches, so no cached answer is dropped for it).
CREATE TABLE health_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL
);
