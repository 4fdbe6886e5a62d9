-- Indexes a bulk import dropped to load faster and has not rebuilt yet.
-- Written in the transaction that drops them and emptied in the one that
-- rebuilds them, so an import killed half-way leaves them to be rebuilt at
-- the next start.
CREATE TABLE deferred_indexes (
    name TEXT PRIMARY KEY NOT NULL,
    sql TEXT NOT NULL
);
