DROP TABLE article_cards_format;
