//! Words for the search index: runs of letters and digits (with the
//! combining marks that decorate them), folded so that case and accents do
//! not matter and composed and decomposed forms (NFC, NFD) are the same.

use tantivy::tokenizer::{RemoveLongFilter, TextAnalyzer, Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

use super::stemmer::{MemoStemmer, SelectiveStemmer};
use crate::domain::fold;

/// Analyzer of the title, summary and body fields: folded words, stemmed.
pub const STEMMED: &str = "folded_en";
/// Analyzer of the type-ahead field: folded words, not stemmed (prefixes of
/// what people type must match prefixes of what was written).
pub const WORDS: &str = "folded";

/// Analyzer of the word-pair fields: every two neighbouring stemmed words
/// as one term (`"secur polici"`), so that a phrase is a term lookup rather
/// than a walk over the positions of each of its words.
pub const PAIRS: &str = "folded_en_pairs";

/// Words longer than this are dropped (they are noise, not words).
const MAX_WORD_BYTES: usize = 40;

pub fn stemmed() -> TextAnalyzer {
    TextAnalyzer::builder(FoldingTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(MemoStemmer)
        .build()
}

pub fn words() -> TextAnalyzer {
    TextAnalyzer::builder(FoldingTokenizer::default()).filter(RemoveLongFilter::limit(MAX_WORD_BYTES)).build()
}

pub fn pairs() -> TextAnalyzer {
    TextAnalyzer::from(PairTokenizer { words: stemmed(), pairs: Vec::new() })
}

/// The highlighting analyzer for a query whose terms (stems) are `terms`.
pub fn highlighting<'a>(terms: impl IntoIterator<Item = &'a str>) -> TextAnalyzer {
    TextAnalyzer::builder(FoldingTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(SelectiveStemmer::for_terms(terms))
        .build()
}

/// Two words as one pair term (the separator never occurs in a word).
pub fn pair_term(first: &str, second: &str) -> String {
    let mut term = String::with_capacity(first.len() + 1 + second.len());
    term.push_str(first);
    term.push(' ');
    term.push_str(second);
    term
}

/// The pairs of neighbouring words of what `words` makes of a text: only
/// words next to each other (a dropped over-long word leaves a gap, and no
/// pair spans it), each pair at its first word's position.
#[derive(Clone)]
pub struct PairTokenizer {
    words: TextAnalyzer,
    pairs: Vec<Token>,
}

pub struct PairTokenStream<'a> {
    pairs: &'a mut Vec<Token>,
    next: usize,
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = PairTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PairTokenStream<'a> {
        self.pairs.clear();
        let mut previous: Option<Token> = None;
        let pairs = &mut self.pairs;
        self.words.token_stream(text).process(&mut |word| {
            if let Some(first) = previous.as_ref().filter(|p| p.position + 1 == word.position) {
                pairs.push(Token {
                    offset_from: first.offset_from,
                    offset_to: word.offset_to,
                    position: first.position,
                    text: pair_term(&first.text, &word.text),
                    position_length: 1,
                });
            }
            previous = Some(word.clone());
        });
        PairTokenStream { pairs: &mut self.pairs, next: 0 }
    }
}

impl TokenStream for PairTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.pairs.len()
    }

    fn token(&self) -> &Token {
        &self.pairs[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.pairs[self.next - 1]
    }
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

fn starts_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

fn continues_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_combining_mark(c)
    }
}

impl FoldingTokenStream<'_> {
    /// The end of the word (`word`) or gap at `from`: ASCII a byte at a
    /// time, the rest a character at a time; and whether the run was all
    /// ASCII.
    fn run_end(&self, from: usize, word: bool) -> (usize, bool) {
        let bytes = self.text.as_bytes();
        let mut i = from;
        let mut ascii = true;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                // For ASCII, starting and continuing a word are the same.
                if b.is_ascii_alphanumeric() != word {
                    break;
                }
                i += 1;
            } else {
                let c = self.text[i..].chars().next().expect("a character starts here");
                let inside = if word { continues_word(c) } else { !starts_word(c) };
                if !inside {
                    break;
                }
                ascii = false;
                i += c.len_utf8();
            }
        }
        (i, ascii)
    }

    /// The next word's span, and whether it is all ASCII.
    fn next_word(&mut self) -> Option<(usize, usize, bool)> {
        let (start, _) = self.run_end(self.cursor, false);
        if start >= self.text.len() {
            self.cursor = self.text.len();
            return None;
        }
        let (end, ascii) = self.run_end(start, true);
        self.cursor = end;
        Some((start, end, ascii))
    }
}

/// Where the word at `position` (counted from 0, as the index counts the
/// words of a field) starts in `text`, found without folding a word;
/// `None` when the text has fewer words.
pub fn word_start(text: &str, position: u32) -> Option<usize> {
    let mut token = Token::default();
    let mut stream = FoldingTokenStream { text, cursor: 0, token: &mut token };
    for _ in 0..position {
        stream.next_word()?;
    }
    stream.next_word().map(|(start, _, _)| start)
}

impl TokenStream for FoldingTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((start, end, ascii)) = self.next_word() else { return false };
        let word = &self.text[start..end];
        self.token.text.clear();
        if ascii {
            self.token.text.push_str(word);
            self.token.text.make_ascii_lowercase();
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
    fn pairs_are_neighbouring_stems_and_never_span_a_gap() {
        assert_eq!(tokens(pairs(), "Security policies of Japan"), ["secur polici", "polici of", "of japan"]);
        assert_eq!(tokens(pairs(), "one"), Vec::<String>::new());
        let long = "x".repeat(MAX_WORD_BYTES + 1);
        assert_eq!(tokens(pairs(), &format!("trade {long} policy")), Vec::<String>::new());
        // The same analyzer is reused for the next text.
        let mut analyzer = pairs();
        let _ = tokens(analyzer.clone(), "first text here");
        assert_eq!(tokens(analyzer.clone(), "new words"), ["new word"]);
        let mut stream = analyzer.token_stream("a b c");
        let mut positions = Vec::new();
        stream.process(&mut |t| positions.push(t.position));
        assert_eq!(positions, [0, 1]);
    }

    /// The words of `text` the simple way (a character at a time): what
    /// the byte-wise tokenizer must produce.
    fn reference(text: &str) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        let mut cursor = 0;
        while let Some((rel, _)) = text[cursor..].char_indices().find(|(_, c)| starts_word(*c)) {
            let start = cursor + rel;
            let end =
                text[start..].char_indices().find(|(_, c)| !continues_word(*c)).map_or(text.len(), |(i, _)| start + i);
            out.push((start, end, fold(&text[start..end])));
            cursor = end;
        }
        out
    }

    #[test]
    fn byte_wise_words_equal_character_wise_ones() {
        use rand::{Rng, SeedableRng};
        let pieces = ["a", "Z", "9", " ", ",", "-", "é", "E\u{301}", "\u{301}", "中", "ß", "İ", "\t", "ǅ", "١"];
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        for _ in 0..2_000 {
            let text: String =
                (0..rng.random_range(0..20)).map(|_| pieces[rng.random_range(0..pieces.len())]).collect();
            let mut analyzer = TextAnalyzer::from(FoldingTokenizer::default());
            let mut stream = analyzer.token_stream(&text);
            let mut got = Vec::new();
            stream.process(&mut |t| got.push((t.offset_from, t.offset_to, t.text.clone())));
            assert_eq!(got, reference(&text), "{text:?}");
        }
    }

    #[test]
    fn word_starts_are_where_the_indexed_words_start() {
        use rand::{Rng, SeedableRng};
        let pieces = ["a", "Z", "9", " ", ",", "-", "é", "E\u{301}", "\u{301}", "中", "ß", "\t", "١", "toolongword"];
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        for _ in 0..2_000 {
            let mut text: String =
                (0..rng.random_range(0..30)).map(|_| pieces[rng.random_range(0..pieces.len())]).collect();
            if rng.random_bool(0.2) {
                text.push_str(&"x".repeat(MAX_WORD_BYTES + 1));
                text.push_str(" tail");
            }
            // Positions as the index numbers them (over-long words dropped, their positions kept).
            let mut analyzer = stemmed();
            let mut stream = analyzer.token_stream(&text);
            let mut starts = Vec::new();
            stream.process(&mut |t| starts.push((t.position as u32, t.offset_from)));
            for (position, start) in &starts {
                assert_eq!(word_start(&text, *position), Some(*start), "{text:?} {position}");
            }
            let words = reference(&text).len() as u32;
            assert_eq!(word_start(&text, words), None, "{text:?}");
        }
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
