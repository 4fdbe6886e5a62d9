-- Each article's list item, serialised once: the JSON a list shows for it by
-- default (`ArticleSummary` with its authors, regions, topics, publisher and
-- series). The write path refreshes the cards of every article a write
-- touches, directly or through an updated author, topic, region, publisher
-- or series, in the same transaction; a list page then reads one row per
-- item instead of joining five tables. A missing card is built on the fly.
CREATE TABLE article_cards (
    article_id INTEGER PRIMARY KEY NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    card TEXT NOT NULL
);
