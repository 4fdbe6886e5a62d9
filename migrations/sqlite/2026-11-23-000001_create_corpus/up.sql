-- The corpus: publishers, series, regions, topics, authors and articles.
-- Every filter and sort of the list endpoints has an index here. The join
-- tables carry a copy of articles.published_at (kept in step by the write
-- path in src/store/) so that "newest N in a topic/region/author" walks one
-- covering index in order and never sorts.

CREATE TABLE publishers (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    short_name TEXT,
    description TEXT,
    url TEXT,
    founded_on DATE,
    location TEXT,
    tagline TEXT,
    tagline_attribution TEXT,
    content_hash TEXT NOT NULL,
    search_name TEXT NOT NULL
);
CREATE INDEX publishers_search_name ON publishers (search_name);

-- Offices and programmes a publisher lists, in page order.
CREATE TABLE publisher_units (
    publisher_id INTEGER NOT NULL REFERENCES publishers (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    unit_type TEXT NOT NULL CHECK (unit_type IN ('office', 'program')),
    name TEXT NOT NULL,
    description TEXT,
    PRIMARY KEY (publisher_id, position)
) WITHOUT ROWID;

CREATE TABLE publisher_contacts (
    publisher_id INTEGER NOT NULL REFERENCES publishers (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (publisher_id, position)
) WITHOUT ROWID;

CREATE TABLE series (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    publisher_id INTEGER NOT NULL REFERENCES publishers (id),
    series_type TEXT NOT NULL,
    description TEXT,
    content_hash TEXT NOT NULL,
    search_name TEXT NOT NULL
);
CREATE INDEX series_publisher ON series (publisher_id);
CREATE INDEX series_search_name ON series (search_name);

CREATE TABLE regions (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    parent_id INTEGER REFERENCES regions (id),
    region_type TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    search_name TEXT NOT NULL,
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX regions_parent ON regions (parent_id);
CREATE INDEX regions_search_name ON regions (search_name);

CREATE TABLE topics (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT,
    content_hash TEXT NOT NULL,
    search_name TEXT NOT NULL
);
CREATE INDEX topics_search_name ON topics (search_name);

CREATE TABLE authors (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    family_name TEXT,
    given_name TEXT,
    bio TEXT,
    content_hash TEXT NOT NULL,
    search_name TEXT NOT NULL
);
CREATE INDEX authors_search_name ON authors (search_name);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    publisher_id INTEGER NOT NULL REFERENCES publishers (id),
    series_id INTEGER REFERENCES series (id),
    article_type TEXT NOT NULL,
    language TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    body_status TEXT NOT NULL CHECK (body_status IN ('full', 'cut', 'none')),
    title_truncated BOOLEAN NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    subtitle TEXT,
    url TEXT,
    source_name TEXT,
    source_url TEXT,
    source_published_on DATE,
    original_language TEXT,
    original_title TEXT,
    original_venue TEXT,
    original_published_on DATE,
    original_date_text TEXT,
    translation_note TEXT,
    summary TEXT,
    -- Hash of the imported record: an identical re-import changes nothing.
    content_hash TEXT NOT NULL
);
-- An index on a column also holds the rowid (= id), so each of these serves
-- "ORDER BY col, id" in both directions.
CREATE INDEX articles_published_at ON articles (published_at);
CREATE INDEX articles_updated_at ON articles (updated_at);
CREATE INDEX articles_title ON articles (title);
CREATE INDEX articles_publisher ON articles (publisher_id, published_at);
CREATE INDEX articles_series ON articles (series_id, published_at);
CREATE INDEX articles_type ON articles (article_type, published_at);
CREATE INDEX articles_language ON articles (language, published_at);

-- Bodies live apart from the article rows so that list queries, which never
-- need them, read small rows.
CREATE TABLE article_bodies (
    article_id INTEGER PRIMARY KEY NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    body TEXT NOT NULL
);

CREATE TABLE article_figures (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    caption TEXT NOT NULL,
    credit TEXT,
    after_paragraph INTEGER,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;

CREATE TABLE article_references (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    citation TEXT NOT NULL,
    url TEXT,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;

-- Byline: who contributed in which role, in which order, and with which
-- affiliation at the time of writing.
CREATE TABLE article_authors (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    author_id INTEGER NOT NULL REFERENCES authors (id),
    role TEXT NOT NULL,
    affiliation TEXT,
    published_at TIMESTAMP NOT NULL,
    PRIMARY KEY (article_id, position),
    UNIQUE (article_id, author_id)
) WITHOUT ROWID;
CREATE INDEX article_authors_by_author ON article_authors (author_id, published_at, article_id);

CREATE TABLE article_topics (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    topic_id INTEGER NOT NULL REFERENCES topics (id),
    position INTEGER NOT NULL,
    published_at TIMESTAMP NOT NULL,
    PRIMARY KEY (article_id, topic_id)
) WITHOUT ROWID;
CREATE INDEX article_topics_by_topic ON article_topics (topic_id, published_at, article_id);

-- One row per article and region it is filed under *or lies beneath*:
-- direct rows (is_direct = 1) are the regions the article names; the others
-- are their ancestors, so "region=asia" (with descendants) is one index range.
CREATE TABLE article_regions (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    region_id INTEGER NOT NULL REFERENCES regions (id),
    is_direct BOOLEAN NOT NULL,
    position INTEGER NOT NULL,
    published_at TIMESTAMP NOT NULL,
    PRIMARY KEY (article_id, region_id)
) WITHOUT ROWID;
CREATE INDEX article_regions_by_region ON article_regions (region_id, published_at, article_id);

-- Every data change, written in the same transaction as the change itself.
-- Derived stores (caches, the search index) follow it by sequence number.
CREATE TABLE change_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    resource TEXT NOT NULL,
    resource_id INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('upsert', 'delete')),
    changed_at TIMESTAMP NOT NULL
);
