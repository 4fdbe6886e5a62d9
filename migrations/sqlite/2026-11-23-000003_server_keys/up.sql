-- Secrets the server keeps with the data it serves, such as the key that
-- signs pagination cursors (so cursors stay valid across restarts).
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY NOT NULL,
    key BLOB NOT NULL
);
