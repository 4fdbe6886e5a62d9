-- Provenance: for every classification link and every fact a source may
-- not state, whether the source stated it ('source') or it was assigned
-- editorially ('editorial': by a person or a rule), with an optional note
-- of how. Rows written before this migration are 'source' (what the
-- import format says a missing mark means).

ALTER TABLE article_topics ADD COLUMN provenance TEXT NOT NULL DEFAULT 'source'
    CHECK (provenance IN ('source', 'editorial'));
ALTER TABLE article_topics ADD COLUMN provenance_note TEXT;

-- On direct rows, the link's own provenance; on ancestor rows, that of the
-- named region the row was reached from (the search index works out from
-- the tree which ancestors the source stated).
ALTER TABLE article_regions ADD COLUMN provenance TEXT NOT NULL DEFAULT 'source'
    CHECK (provenance IN ('source', 'editorial'));
ALTER TABLE article_regions ADD COLUMN provenance_note TEXT;

ALTER TABLE article_authors ADD COLUMN provenance TEXT NOT NULL DEFAULT 'source'
    CHECK (provenance IN ('source', 'editorial'));
ALTER TABLE article_authors ADD COLUMN provenance_note TEXT;

ALTER TABLE articles ADD COLUMN type_provenance TEXT NOT NULL DEFAULT 'source'
    CHECK (type_provenance IN ('source', 'editorial'));
ALTER TABLE articles ADD COLUMN original_language_provenance TEXT NOT NULL DEFAULT 'source'
    CHECK (original_language_provenance IN ('source', 'editorial'));
ALTER TABLE articles ADD COLUMN provenance_note TEXT;

ALTER TABLE topics ADD COLUMN provenance TEXT NOT NULL DEFAULT 'source'
    CHECK (provenance IN ('source', 'editorial'));
ALTER TABLE topics ADD COLUMN provenance_note TEXT;

ALTER TABLE regions ADD COLUMN provenance TEXT NOT NULL DEFAULT 'source'
    CHECK (provenance IN ('source', 'editorial'));
ALTER TABLE regions ADD COLUMN parent_provenance TEXT NOT NULL DEFAULT 'source'
    CHECK (parent_provenance IN ('source', 'editorial'));
ALTER TABLE regions ADD COLUMN provenance_note TEXT;

ALTER TABLE authors ADD COLUMN name_parts_provenance TEXT NOT NULL DEFAULT 'source'
    CHECK (name_parts_provenance IN ('source', 'editorial'));
ALTER TABLE authors ADD COLUMN provenance_note TEXT;
