DROP INDEX tombstones_uid;
ALTER TABLE tombstones DROP COLUMN uid;
