-- Dropping a column drops the CHECK constraint written with it.
ALTER TABLE authors DROP COLUMN provenance_note;
ALTER TABLE authors DROP COLUMN name_parts_provenance;
ALTER TABLE regions DROP COLUMN provenance_note;
ALTER TABLE regions DROP COLUMN parent_provenance;
ALTER TABLE regions DROP COLUMN provenance;
ALTER TABLE topics DROP COLUMN provenance_note;
ALTER TABLE topics DROP COLUMN provenance;
ALTER TABLE articles DROP COLUMN provenance_note;
ALTER TABLE articles DROP COLUMN original_language_provenance;
ALTER TABLE articles DROP COLUMN type_provenance;
ALTER TABLE article_authors DROP COLUMN provenance_note;
ALTER TABLE article_authors DROP COLUMN provenance;
ALTER TABLE article_regions DROP COLUMN provenance_note;
ALTER TABLE article_regions DROP COLUMN provenance;
ALTER TABLE article_topics DROP COLUMN provenance_note;
ALTER TABLE article_topics DROP COLUMN provenance;
