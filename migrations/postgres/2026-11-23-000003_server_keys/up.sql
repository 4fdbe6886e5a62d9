-- Secrets the server keeps with the data it serves, such as the key that
-- signs pagination cursors (so cursors stay valid across restarts).
-- (Declared in src/models/server_key.rs: name -> Text, key -> Binary.)
CREATE TABLE server_keys (
    name text COLLATE "C" PRIMARY KEY,
    key bytea NOT NULL
);
