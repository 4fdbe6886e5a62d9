DROP TABLE article_cards;
