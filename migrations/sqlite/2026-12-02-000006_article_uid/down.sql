DROP INDEX articles_uid;
ALTER TABLE articles DROP COLUMN uid;
