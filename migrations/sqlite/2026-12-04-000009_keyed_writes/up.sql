-- Keyed writes: API keys, who made each change, tombstones of what was
-- deleted or unpublished, and the answers kept for `Idempotency-Key`.

-- A key's secret is shown once, at `keys create`; only its BLAKE3 hash is
-- kept. `prefix` is the public part of the token (`cak_<prefix>_<secret>`)
-- that finds the row before the hashes are compared.
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('write', 'admin')),
    prefix TEXT NOT NULL UNIQUE,
    secret_hash BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);

-- The key that made a change (NULL: an import or a migration).
ALTER TABLE change_log ADD COLUMN key_id INTEGER REFERENCES api_keys (id);
-- For a `delete`: why the resource left (`deleted` or `unpublished`).
ALTER TABLE change_log ADD COLUMN tombstone TEXT CHECK (tombstone IN ('deleted', 'unpublished'));

-- What left the corpus. A deleted resource keeps its id (never reused) and
-- answers 410; an unpublished article keeps its record here, slug reserved,
-- until it is republished. Removed when the id comes back.
CREATE TABLE tombstones (
    resource TEXT NOT NULL,
    resource_id INTEGER NOT NULL,
    slug TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('deleted', 'unpublished')),
    -- The import record (JSON, without `kind`) of an unpublished article.
    record TEXT,
    removed_at TIMESTAMP NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (resource, resource_id)
);
CREATE INDEX tombstones_slug ON tombstones (resource, slug);

-- The first answer to a `POST` with an `Idempotency-Key`, per key, replayed
-- for a retry with the same body.
CREATE TABLE idempotent_answers (
    key_id INTEGER NOT NULL REFERENCES api_keys (id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    location TEXT,
    etag TEXT,
    body BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (key_id, idempotency_key)
);
