DROP INDEX change_log_resource;
ALTER TABLE change_log DROP COLUMN slug;
