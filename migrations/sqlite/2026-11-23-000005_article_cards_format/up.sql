-- The format of the stored cards (`cards::FORMAT`). Start-up rebuilds every
-- card when it differs (or is missing, as in a database from before cards).
CREATE TABLE article_cards_format (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    format INTEGER NOT NULL
);
