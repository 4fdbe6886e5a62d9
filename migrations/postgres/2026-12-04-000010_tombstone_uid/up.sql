-- A deleted or unpublished article keeps its `uid` (the guid of its feed
-- entries): a new article never takes it, and republishing restores it.
ALTER TABLE tombstones ADD COLUMN uid text COLLATE "C";
CREATE INDEX tombstones_uid ON tombstones (uid);
