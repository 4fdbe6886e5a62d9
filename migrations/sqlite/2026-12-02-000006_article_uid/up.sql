-- A stable identifier of each article (a UUID named by the slug it was
-- created with): it never changes when the article is edited or renamed,
-- and it is the id of the article's entries in every feed. Rows written
-- before it are given theirs at the next start.
ALTER TABLE articles ADD COLUMN uid TEXT;
CREATE UNIQUE INDEX articles_uid ON articles (uid);
