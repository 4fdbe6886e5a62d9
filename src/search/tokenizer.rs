//! Words for the search index: runs of letters and digits (with the
//! combining marks that decorate them), folded so that case and accents do
//! not matter and composed and decomposed forms (NFC, NFD) are the same.

use tantivy::tokenizer::{Language, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

use crate::domain::fold;

/// Analyzer of the title, summary and body fields: folded words, stemmed.
pub const STEMMED: &str = "folded_en";
/// Analyzer of the type-ahead field: folded words, not stemmed (prefixes of
/// what people type must match prefixes of what was written).
pub const WORDS: &str = "folded";

/// Words longer than this are dropped (they are noise, not words).
const MAX_WORD_BYTES: usize = 40;

pub fn stemmed() -> TextAnalyzer {
    TextAnalyzer::builder(FoldingTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(Stemmer::new(Language::English))
        .build()
}

pub fn words() -> TextAnalyzer {
    TextAnalyzer::builder(FoldingTokenizer::default()).filter(RemoveLongFilter::limit(MAX_WORD_BYTES)).build()
}

#[derive(Clone, Default)]
pub struct FoldingTokenizer {
    token: Token,
}

pub struct FoldingTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    token: &'a mut Token,
}

impl Tokenizer for FoldingTokenizer {
    type TokenStream<'a> = FoldingTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FoldingTokenStream<'a> {
        self.token.reset();
        FoldingTokenStream { text, cursor: 0, token: &mut self.token }
    }
}

fn continues_word(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

impl TokenStream for FoldingTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let rest = &self.text[self.cursor..];
        let Some((start_rel, _)) = rest.char_indices().find(|(_, c)| c.is_alphanumeric()) else {
            self.cursor = self.text.len();
            return false;
        };
        let start = self.cursor + start_rel;
        let end = self.text[start..]
            .char_indices()
            .find(|(_, c)| !continues_word(*c))
            .map_or(self.text.len(), |(i, _)| start + i);
        self.cursor = end;
        let word = &self.text[start..end];
        self.token.text.clear();
        if word.is_ascii() {
            self.token.text.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            self.token.text.push_str(&fold(word));
        }
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.token.position.wrapping_add(1);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        stream.process(&mut |t| out.push(t.text.clone()));
        out
    }

    #[test]
    fn folds_case_accents_and_normal_forms() {
        assert_eq!(tokens(words(), "L'Économie, ZÜRICH!"), ["l", "economie", "zurich"]);
        assert_eq!(tokens(words(), "E\u{301}conomie"), ["economie"], "NFD folds like NFC");
        assert_eq!(tokens(stemmed(), "Negotiations negotiated"), ["negoti", "negoti"]);
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "Une économie";
        let mut analyzer = words();
        let mut stream = analyzer.token_stream(text);
        let mut spans = Vec::new();
        stream.process(&mut |t| spans.push(text[t.offset_from..t.offset_to].to_owned()));
        assert_eq!(spans, ["Une", "économie"]);
    }
}
