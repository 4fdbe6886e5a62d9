DROP TABLE article_cards_format;
DROP TABLE article_cards;
