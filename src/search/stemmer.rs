//! English stemming filters: one that remembers the stems of the words it
//! has seen (indexing stems every word of every field, in three analyzers;
//! most words recur, and stemming was a quarter of building the index), and
//! one for highlighting that stems only the words that could match.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

fn english() -> frostem::Stemmer {
    frostem::Stemmer::new(frostem::Algorithm::English)
}

/// Most words an analyzer remembers the stems of (once full, it remembers
/// no more, and forgets them all before its next text): a megabyte or two.
const MEMO_WORDS: usize = 20_000;

/// English stems, as tantivy's `Stemmer` gives them, remembered per
/// analyzer (each indexing thread has its own).
#[derive(Clone, Copy, Default)]
pub struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter { inner: tokenizer, stems: HashMap::new() }
    }
}

#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    inner: T,
    /// Word to stem.
    stems: HashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.stems.len() >= MEMO_WORDS {
            self.stems.clear();
        }
        MemoStemmerStream { tail: self.inner.token_stream(text), stems: &mut self.stems, stemmer: english() }
    }
}

pub struct MemoStemmerStream<'a, T> {
    tail: T,
    stems: &'a mut HashMap<String, String>,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for MemoStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.stems.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
        } else {
            let stem = self.stemmer.stem(&token.text).into_owned();
            let word = std::mem::replace(&mut token.text, stem);
            // Never more than the cap, even within one long text of new words.
            if self.stems.len() < MEMO_WORDS {
                self.stems.insert(word, token.text.clone());
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// For highlighting: stems only the words that could stem to one of the
/// query's terms (those sharing its first two letters), since stemming every
/// word of every body on every search is the bulk of the work. English
/// stemming rewrites word endings, so a word and its stem share their
/// beginning (a handful of irregular words aside, which then go unmarked).
#[derive(Clone)]
pub struct SelectiveStemmer {
    prefixes: Arc<Vec<String>>,
}

impl SelectiveStemmer {
    pub fn for_terms<'a>(terms: impl IntoIterator<Item = &'a str>) -> SelectiveStemmer {
        let prefixes = terms.into_iter().map(|t| t.chars().take(2).collect::<String>()).collect();
        SelectiveStemmer { prefixes: Arc::new(prefixes) }
    }
}

impl TokenFilter for SelectiveStemmer {
    type Tokenizer<T: Tokenizer> = SelectiveStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> SelectiveStemmerFilter<T> {
        SelectiveStemmerFilter { prefixes: self.prefixes, inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct SelectiveStemmerFilter<T> {
    prefixes: Arc<Vec<String>>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for SelectiveStemmerFilter<T> {
    type TokenStream<'a> = SelectiveStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        SelectiveStemmerStream { tail: self.inner.token_stream(text), prefixes: &self.prefixes, stemmer: english() }
    }
}

pub struct SelectiveStemmerStream<'a, T> {
    tail: T,
    prefixes: &'a [String],
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for SelectiveStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if self.prefixes.iter().any(|p| token.text.starts_with(p.as_str()) || p.starts_with(token.text.as_str())) {
            let stemmed = self.stemmer.stem(&token.text).into_owned();
            token.text = stemmed;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use tantivy::tokenizer::{Language, Stemmer, TextAnalyzer};

    use super::*;
    use crate::search::tokenizer::FoldingTokenizer;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        analyzer.token_stream(text).process(&mut |t| out.push(t.clone()));
        out
    }

    /// Remembered stems are tantivy's stems, token for token (text,
    /// offsets, positions), over many texts through one analyzer, past the
    /// point where it forgets what it remembered.
    #[test]
    fn remembered_stems_equal_tantivys() {
        let words = [
            "policies",
            "policy",
            "running",
            "Runs",
            "généralement",
            "national",
            "nationalism",
            "é",
            "ß",
            "a",
            "relational",
            "conditionally",
            "skies",
            "dying",
            "Überfluß",
            "9th",
            "x",
        ];
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let mut memo = TextAnalyzer::builder(FoldingTokenizer::default()).filter(MemoStemmer).build();
        let mut plain =
            TextAnalyzer::builder(FoldingTokenizer::default()).filter(Stemmer::new(Language::English)).build();
        for round in 0..300 {
            let mut text: String = (0..rng.random_range(0..40))
                .map(|_| words[rng.random_range(0..words.len())].to_owned() + " ")
                .collect();
            // New words each round, so that the memory fills and is cleared.
            for i in 0..300 {
                text.push_str(&format!("w{round}x{i}ing "));
            }
            assert_eq!(tokens(&mut memo, &text), tokens(&mut plain, &text), "{text}");
        }
        // One text of more new words than the cap: right, and the memory stays capped.
        let long: String = (0..MEMO_WORDS + 500).map(|i| format!("long{i}ing ")).collect();
        let mut filter = MemoStemmer.transform(FoldingTokenizer::default());
        let mut stems = Vec::new();
        filter.token_stream(&long).process(&mut |t| stems.push(t.clone()));
        assert_eq!(stems, tokens(&mut plain, &long));
        assert_eq!(filter.stems.len(), MEMO_WORDS);
    }
}
