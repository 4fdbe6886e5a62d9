//! Highlights: short snippets of the title, summary and body with the
//! matched words wrapped in `<mark>…</mark>` and everything else
//! HTML-escaped.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tantivy::postings::Postings;
use tantivy::query::Query;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, Term};

use super::{tokenizer, SearchIndex};

/// Longest body snippet, in characters.
pub const BODY_SNIPPET_CHARS: usize = 240;

/// A body's opening: a snippet of a first match there is chosen from the
/// body's start (the first snippet shows it); of a later one, from just
/// before the match. (The index tells where the first match is, so no more
/// of a body is tokenised than its snippet needs: tokenising whole bodies
/// was over half the time of a search; a common word's snippets, which
/// tokenised the text before a match twice, were still a fifth of it.)
pub const BODY_OPENING_BYTES: usize = BODY_SNIPPET_CHARS;

/// How far before a later first match its stretch starts (then at a whole
/// word), so that the snippet shows what leads up to it.
const LEAD_BYTES: usize = 60;

/// How far past the first match a snippet may be chosen from (three
/// snippets' length: a stretch with more matches may win).
const FOLLOW_BYTES: usize = 3 * BODY_SNIPPET_CHARS;

/// The most of a body read for its snippet, in characters: a match
/// further in gives no body snippet (bodies may be megabytes long, and a
/// page of them must not be read whole).
pub const HIGHLIGHT_SCAN_CHARS: i32 = 32_000;

pub struct Highlighter {
    title: SnippetGenerator,
    summary: SnippetGenerator,
    body: SnippetGenerator,
    body_field: Field,
    /// The query's terms in the body field that occur in the index.
    body_terms: Vec<Term>,
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
/// analyzer (see `stemmer::SelectiveStemmer`); and the query's terms in
/// `field` that occur in the index.
fn generator(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    max_chars: usize,
) -> tantivy::Result<(SnippetGenerator, Vec<Term>)> {
    let mut terms: BTreeSet<Term> = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term.clone());
        }
    });
    let mut weighted: BTreeMap<String, Score> = BTreeMap::new();
    let mut found = Vec::new();
    for term in terms {
        if let Some(text) = term.value().as_str() {
            let doc_freq = searcher.doc_freq(&term)?;
            if doc_freq > 0 {
                weighted.insert(text.to_owned(), 1.0 / (1.0 + doc_freq as Score));
                found.push(term);
            }
        }
    }
    let analyzer = tokenizer::highlighting(weighted.keys().map(String::as_str));
    Ok((SnippetGenerator::new(weighted, analyzer, field, max_chars), found))
}

impl Highlighter {
    pub fn new(index: &SearchIndex, searcher: &Searcher, query: &dyn Query) -> tantivy::Result<Highlighter> {
        let fields = &index.fields;
        let (body, body_terms) = generator(searcher, query, fields.body, BODY_SNIPPET_CHARS)?;
        Ok(Highlighter {
            title: generator(searcher, query, fields.title, 1_000)?.0,
            summary: generator(searcher, query, fields.summary, BODY_SNIPPET_CHARS)?.0,
            body,
            body_field: fields.body,
            body_terms,
        })
    }

    /// Where each document's body first matches: the position (word
    /// number, as indexed) of its first word that is one of the query's
    /// terms, read from the index. Documents whose bodies hold none are
    /// left out, so their bodies need not be read. `docs` are addresses in
    /// `searcher`.
    pub fn first_body_matches(
        &self,
        searcher: &Searcher,
        docs: &[(i64, DocAddress)],
    ) -> tantivy::Result<HashMap<i64, u32>> {
        let mut by_segment: BTreeMap<u32, Vec<(DocId, i64)>> = BTreeMap::new();
        for &(id, address) in docs {
            by_segment.entry(address.segment_ord).or_default().push((address.doc_id, id));
        }
        let mut first: HashMap<i64, u32> = HashMap::new();
        let mut positions = Vec::new();
        for (segment, mut docs) in by_segment {
            docs.sort_unstable();
            let inverted = searcher.segment_reader(segment).inverted_index(self.body_field)?;
            for term in &self.body_terms {
                let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)? else {
                    continue;
                };
                for &(doc, id) in &docs {
                    // Postings only move forward (`docs` are in order).
                    if postings.doc() > doc || postings.seek(doc) != doc {
                        continue;
                    }
                    postings.positions(&mut positions);
                    if let Some(&position) = positions.first() {
                        first.entry(id).and_modify(|p| *p = (*p).min(position)).or_insert(position);
                    }
                }
            }
        }
        Ok(first)
    }

    pub fn title(&self, text: &str) -> Option<String> {
        marked(&self.title, text)
    }

    pub fn summary(&self, text: &str) -> Option<String> {
        marked(&self.summary, text)
    }

    /// The snippet of a body whose first match is its word at `position`
    /// (see `first_body_matches`), chosen from the stretch that starts at
    /// the body's start (a match in its opening) or a few words before the
    /// match, and ends `FOLLOW_BYTES` or so after it; none when the match
    /// lies beyond the first `HIGHLIGHT_SCAN_CHARS` characters (whether
    /// `text` is the whole body or already only that much). `ReadMore`
    /// when `text` may stop before the body does (`cut`) and that stretch
    /// is not all there.
    pub fn body(&self, text: &str, position: u32, cut: bool) -> Result<Option<String>, ReadMore> {
        // No more characters than bytes: a short text needs no counting.
        let scanned = if text.len() <= HIGHLIGHT_SCAN_CHARS as usize {
            text
        } else {
            text.char_indices().nth(HIGHLIGHT_SCAN_CHARS as usize).map_or(text, |(end, _)| &text[..end])
        };
        let Some(at) = tokenizer::word_start(scanned, position) else {
            return if cut { Err(ReadMore) } else { Ok(None) };
        };
        if cut && at + FOLLOW_BYTES >= scanned.len() {
            return Err(ReadMore);
        }
        let from = if at < BODY_OPENING_BYTES { 0 } else { lead_in(scanned, at) };
        let rest = &scanned[from..];
        Ok(marked(&self.body, opening(rest, at - from + FOLLOW_BYTES).unwrap_or(rest)))
    }
}

/// The text given for a body snippet stops before the stretch it needs.
#[derive(Debug, PartialEq)]
pub struct ReadMore;

/// How many characters of a body to read for the snippet of its first
/// match at word `position`: a guess at where the match and the stretch
/// after it end (8 characters a word is generous for English), rounded up
/// to a power of two so that a page's bodies are read in a few queries;
/// at most `HIGHLIGHT_SCAN_CHARS`. `Highlighter::body` tells when a guess
/// fell short.
pub fn chars_to_read(position: u32) -> i32 {
    let guess = (u64::from(position) + 1) * 8 + FOLLOW_BYTES as u64 + 256;
    guess.next_power_of_two().min(HIGHLIGHT_SCAN_CHARS as u64) as i32
}

/// Where the stretch for a snippet of a later match at byte `at` starts: at
/// a whole word at most `LEAD_BYTES` before it (or at the match).
fn lead_in(text: &str, at: usize) -> usize {
    let mut from = at.saturating_sub(LEAD_BYTES);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    match text[from..at].find(char::is_whitespace) {
        Some(space) => at - text[from + space..at].trim_start().len(),
        None => at,
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
    use super::{lead_in, opening, LEAD_BYTES};

    #[test]
    fn a_later_match_is_shown_after_a_few_whole_words() {
        let text = format!("{} lead in words before the needle and after it", "word ".repeat(400));
        let at = text.find("needle").unwrap();
        let start = lead_in(&text, at);
        assert!(text[..start].ends_with(' ') && !text[start..].starts_with(' '), "starts at a whole word: {start}");
        assert!(at - start <= LEAD_BYTES, "starts {} bytes before", at - start);
        // Never with the blank line of a paragraph break.
        let paragraphs = format!("{}\n\nneedle", "x ".repeat(100));
        assert!(paragraphs[lead_in(&paragraphs, paragraphs.len() - 6)..].starts_with("x "));
        let paragraphs = format!("{}\n\nneedle", "x".repeat(100));
        assert_eq!(lead_in(&paragraphs, paragraphs.len() - 6), paragraphs.len() - 6);
        // A match at the very start, or with no space before it, starts the stretch.
        assert_eq!(lead_in("needle only", 0), 0);
        assert_eq!(lead_in(&format!("{}needle", "x".repeat(100)), 100), 100);
        // Characters of several bytes are never cut.
        let accented = format!("{} économie", "é".repeat(40));
        let at = accented.find("économie").unwrap();
        assert_eq!(lead_in(&accented, at), at);
    }

    #[test]
    fn bodies_are_read_in_a_few_lengths_up_to_the_scan() {
        use super::{chars_to_read, FOLLOW_BYTES, HIGHLIGHT_SCAN_CHARS};
        let lengths: std::collections::BTreeSet<i32> = (0..100_000).map(chars_to_read).collect();
        assert!(lengths.len() <= 6, "{lengths:?}");
        assert_eq!(lengths.last(), Some(&HIGHLIGHT_SCAN_CHARS));
        for position in [0, 10, 100, 1_000, 3_000] {
            let chars = chars_to_read(position) as usize;
            assert!(chars >= (position as usize + 1) * 8 + FOLLOW_BYTES, "{position}: {chars}");
            assert!(chars_to_read(position + 1) >= chars_to_read(position));
        }
    }

    #[test]
    fn the_opening_ends_at_a_whole_word() {
        assert_eq!(opening("short text", 100), None);
        assert_eq!(opening("policy makers policymakers", 20), Some("policy makers"));
        assert_eq!(opening("économie économie économie", 12), Some("économie"));
        assert_eq!(opening("onewordwithoutspaces", 5), None);
    }
}
