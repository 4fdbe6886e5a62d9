//! The search index's fields. Text fields are indexed for search (not
//! stored: snippets are cut from the text SQLite holds); every filter and
//! facet dimension is an indexed fast field.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STRING,
};
use tantivy::Index;

use super::tokenizer;

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub title: Field,
    pub summary: Field,
    pub body: Field,
    /// Neighbouring word pairs of the three (see `tokenizer::PAIRS`): a
    /// phrase is looked up by its pairs.
    pub title_pairs: Field,
    pub summary_pairs: Field,
    pub body_pairs: Field,
    /// The words of all three, document ids only: which documents hold a
    /// word anywhere, for counting matches (a word's count is then one
    /// posting list, or its document frequency), never for ranking.
    pub any_text: Field,
    /// Title words, unstemmed, for type-ahead.
    pub title_words: Field,
    pub topic: Field,
    /// The regions an article is filed under and all their ancestors.
    pub region: Field,
    pub author: Field,
    /// The same three, and the type, where the source stated them (see
    /// `Provenance`): what `classification=source` reads.
    pub topic_source: Field,
    pub region_source: Field,
    pub author_source: Field,
    pub type_source: Field,
    pub publisher: Field,
    pub series: Field,
    pub article_type: Field,
    pub language: Field,
    /// Unix seconds.
    pub published: Field,
    pub updated: Field,
    pub year: Field,
    /// `year * 12 + month - 1`.
    pub month: Field,
    /// The title as it sorts (raw bytes, as SQLite's BINARY collation).
    pub title_sort: Field,
}

fn text(analyzer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(analyzer).set_index_option(record))
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let numeric = || NumericOptions::default().set_indexed().set_fast();
    let (positions, freqs) = (IndexRecordOption::WithFreqsAndPositions, IndexRecordOption::WithFreqs);
    let fields = Fields {
        id: b.add_u64_field("id", INDEXED | FAST),
        title: b.add_text_field("title", text(tokenizer::STEMMED, positions)),
        summary: b.add_text_field("summary", text(tokenizer::STEMMED, positions)),
        body: b.add_text_field("body", text(tokenizer::STEMMED, positions)),
        title_pairs: b.add_text_field("title_pairs", text(tokenizer::PAIRS, freqs)),
        summary_pairs: b.add_text_field("summary_pairs", text(tokenizer::PAIRS, freqs)),
        body_pairs: b.add_text_field("body_pairs", text(tokenizer::PAIRS, freqs)),
        any_text: b.add_text_field("any_text", text(tokenizer::STEMMED, IndexRecordOption::Basic)),
        title_words: b.add_text_field("title_words", text(tokenizer::WORDS, positions)),
        topic: b.add_u64_field("topic", numeric()),
        region: b.add_u64_field("region", numeric()),
        author: b.add_u64_field("author", numeric()),
        topic_source: b.add_u64_field("topic_source", numeric()),
        region_source: b.add_u64_field("region_source", numeric()),
        author_source: b.add_u64_field("author_source", numeric()),
        type_source: b.add_u64_field("type_source", numeric()),
        publisher: b.add_u64_field("publisher", numeric()),
        series: b.add_u64_field("series", numeric()),
        article_type: b.add_u64_field("type", numeric()),
        language: b.add_text_field("language", STRING | FAST),
        published: b.add_i64_field("published", numeric()),
        updated: b.add_i64_field("updated", numeric()),
        year: b.add_u64_field("year", numeric()),
        month: b.add_u64_field("month", FAST),
        title_sort: b.add_text_field("title_sort", TextOptions::default().set_fast("raw")),
    };
    (b.build(), fields)
}

/// Register the analyzers the schema names.
pub fn register_tokenizers(index: &Index) {
    index.tokenizers().register(tokenizer::STEMMED, tokenizer::stemmed());
    index.tokenizers().register(tokenizer::WORDS, tokenizer::words());
    index.tokenizers().register(tokenizer::PAIRS, tokenizer::pairs());
}

/// For tests: an empty index in memory with the schema's analyzers, and a
/// writer of one thread.
#[cfg(test)]
pub fn in_ram() -> (Index, Fields, tantivy::IndexWriter) {
    let (schema, fields) = build();
    let index = Index::create_in_ram(schema);
    register_tokenizers(&index);
    let writer = index.writer_with_num_threads(1, 50_000_000).unwrap();
    (index, fields, writer)
}

impl Fields {
    /// The word-pair field beside a text field, if it has one.
    pub fn pairs_of(&self, field: Field) -> Option<Field> {
        [(self.title, self.title_pairs), (self.summary, self.summary_pairs), (self.body, self.body_pairs)]
            .into_iter()
            .find_map(|(words, pairs)| (words == field).then_some(pairs))
    }
}
