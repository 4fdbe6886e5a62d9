DROP TABLE idempotent_answers;
DROP TABLE tombstones;
ALTER TABLE change_log DROP COLUMN tombstone;
ALTER TABLE change_log DROP COLUMN key_id;
DROP TABLE api_keys;
