-- Each article's list item, serialised once: the JSON a list shows for it by
-- default (`ArticleSummary` with its authors, regions, topics, publisher and
-- series). The write path refreshes the cards of every article a write
-- touches, directly or through an updated author, topic, region, publisher
-- or series, in the same transaction; a list page then reads one row per
-- item instead of joining five tables. A missing card is built on the fly.
-- (article_id is the article's id, never generated here.)
CREATE TABLE article_cards (
    article_id bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    card text COLLATE "C" NOT NULL
);
