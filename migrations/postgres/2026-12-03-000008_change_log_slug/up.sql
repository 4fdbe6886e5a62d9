-- The change feed (`GET /v1/changes`) names each changed resource by the
-- slug it had when it changed, so that a follower can tell what an entry is
-- about even after a rename (and, later, a deletion). Older entries get the
-- slug their resource has now. Filtering the feed by kind reads
-- `change_log_resource`. (The back-fill is plain SQL, the same as in the
-- SQLite tree.)
ALTER TABLE change_log ADD COLUMN slug text COLLATE "C";
UPDATE change_log SET slug = CASE resource
    WHEN 'article' THEN (SELECT slug FROM articles WHERE articles.id = change_log.resource_id)
    WHEN 'author' THEN (SELECT slug FROM authors WHERE authors.id = change_log.resource_id)
    WHEN 'region' THEN (SELECT slug FROM regions WHERE regions.id = change_log.resource_id)
    WHEN 'topic' THEN (SELECT slug FROM topics WHERE topics.id = change_log.resource_id)
    WHEN 'publisher' THEN (SELECT slug FROM publishers WHERE publishers.id = change_log.resource_id)
    WHEN 'series' THEN (SELECT slug FROM series WHERE series.id = change_log.resource_id)
END;
CREATE INDEX change_log_resource ON change_log (resource, seq);
