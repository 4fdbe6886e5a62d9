//! Highlights: short snippets of the title, summary and body with the
//! matched words wrapped in `<mark>…</mark>` and everything else
//! HTML-escaped.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Score, Searcher, Term};

use super::{tokenizer, SearchIndex};

/// Longest body snippet, in characters.
pub const BODY_SNIPPET_CHARS: usize = 240;

/// How much of a long body is searched for a snippet first: the matches
/// of a common word nearly always start early, and tokenising whole bodies
/// was over half the time of a search. Only when the opening holds no
/// match is more read, up to `HIGHLIGHT_SCAN_CHARS`.
pub const BODY_OPENING_BYTES: usize = 1_500;

/// How much of a body is read for its snippet first, in characters (as
/// many as `BODY_OPENING_BYTES`, so the opening `body` tries first is all
/// there); the rest of `HIGHLIGHT_SCAN_CHARS` is read only when it holds no
/// match.
pub const BODY_OPENING_CHARS: i32 = BODY_OPENING_BYTES as i32;

/// The most of a body read for its snippet, in characters: a match
/// further in gives no body snippet (bodies may be megabytes long, and a
/// page of them must not be tokenised whole).
pub const HIGHLIGHT_SCAN_CHARS: i32 = 32_000;

pub struct Highlighter {
    title: SnippetGenerator,
    summary: SnippetGenerator,
    body: SnippetGenerator,
}

fn marked(generator: &SnippetGenerator, text: &str) -> Option<String> {
    let mut snippet = generator.snippet(text);
    if snippet.is_empty() {
        return None;
    }
    snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
    Some(snippet.to_html())
}

/// Like `SnippetGenerator::create`, but with the cheaper highlighting
/// analyzer (see `tokenizer::SelectiveStemmer`).
fn generator(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    max_chars: usize,
) -> tantivy::Result<SnippetGenerator> {
    let mut terms: BTreeSet<Term> = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term.clone());
        }
    });
    let mut weighted: BTreeMap<String, Score> = BTreeMap::new();
    for term in &terms {
        if let Some(text) = term.value().as_str() {
            let doc_freq = searcher.doc_freq(term)?;
            if doc_freq > 0 {
                weighted.insert(text.to_owned(), 1.0 / (1.0 + doc_freq as Score));
            }
        }
    }
    let analyzer = tokenizer::highlighting(weighted.keys().map(String::as_str));
    Ok(SnippetGenerator::new(weighted, analyzer, field, max_chars))
}

impl Highlighter {
    pub fn new(index: &SearchIndex, searcher: &Searcher, query: &dyn Query) -> tantivy::Result<Highlighter> {
        Ok(Highlighter {
            title: generator(searcher, query, index.fields.title, 1_000)?,
            summary: generator(searcher, query, index.fields.summary, BODY_SNIPPET_CHARS)?,
            body: generator(searcher, query, index.fields.body, BODY_SNIPPET_CHARS)?,
        })
    }

    pub fn title(&self, text: &str) -> Option<String> {
        marked(&self.title, text)
    }

    pub fn summary(&self, text: &str) -> Option<String> {
        marked(&self.summary, text)
    }

    /// The snippet of a body: from its opening, else from its first
    /// `HIGHLIGHT_SCAN_CHARS` characters (whether `text` is the whole body
    /// or already only that much).
    pub fn body(&self, text: &str) -> Option<String> {
        let scanned = match text.char_indices().nth(HIGHLIGHT_SCAN_CHARS as usize) {
            Some((end, _)) => &text[..end],
            None => text,
        };
        opening(scanned, BODY_OPENING_BYTES)
            .and_then(|start| marked(&self.body, start))
            .or_else(|| marked(&self.body, scanned))
    }
}

/// The first `bytes` or so of a longer `text`, cut after a whole word;
/// `None` when the text is not longer.
fn opening(text: &str, bytes: usize) -> Option<&str> {
    if text.len() <= bytes {
        return None;
    }
    let mut cut = bytes;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let end = text[..cut].rfind(char::is_whitespace)?;
    Some(&text[..end])
}

#[cfg(test)]
mod tests {
    use super::opening;

    #[test]
    fn the_opening_ends_at_a_whole_word() {
        assert_eq!(opening("short text", 100), None);
        assert_eq!(opening("policy makers policymakers", 20), Some("policy makers"));
        assert_eq!(opening("économie économie économie", 12), Some("économie"));
        assert_eq!(opening("onewordwithoutspaces", 5), None);
    }
}
