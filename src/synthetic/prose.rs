//! Generated English: sentences from a small phrase grammar over the
//! Zipf-weighted word lists in `words`, grouped into paragraphs, bodies,
//! summaries and titles. It reads like policy prose at a glance and has the
//! statistics a search index cares about (very common and rare words,
//! punctuation, capitals, quotes, accents, numbers, the article's own
//! regions and topics), not meaning.
//!
//! Text is appended to a caller's `String`, so a body costs no allocation
//! per word; each function returns how many words it wrote (runs of
//! non-blanks with a letter or digit in them, so a dash is not one).

use std::fmt::Write as _;

use super::random::{Dice, Weights};
use super::words::{
    split, ACCENTED_NOUNS, ACCENTED_PLACES, ADJECTIVES, ADVERBS, CATENATIVES, CONJUNCTIONS, COPULAS, MODALS, MONTHS,
    NOUNS, OPENERS, PAST_VERBS, PLURAL_DETERMINERS, PLURAL_NOUNS, PREPOSITIONS, SINGULAR_DETERMINERS, SPEAKERS, VERBS,
};

/// What an article is about, named now and then in its text.
#[derive(Debug, Default)]
pub struct Mentions {
    /// Region names as they read in a sentence ("the United States").
    pub places: Vec<&'static str>,
    /// Topic names ("Energy Security").
    pub topics: Vec<&'static str>,
}

/// A word list with Zipf weights by rank.
struct RankedWords {
    words: Vec<&'static str>,
    weights: Weights,
}

impl RankedWords {
    fn new(list: &'static str, offset: u32) -> RankedWords {
        let words = split(list);
        let weights = Weights::zipf(words.len(), offset);
        RankedWords { words, weights }
    }

    fn pick(&self, dice: &mut Dice) -> &'static str {
        self.weights.pick(dice, &self.words)
    }
}

/// The content words, each part of speech ranked on its own.
pub struct Prose {
    nouns: RankedWords,
    plurals: RankedWords,
    adjectives: RankedWords,
    verbs: RankedWords,
    past: RankedWords,
    adverbs: RankedWords,
}

/// Words a title leaves in lowercase.
const MINOR_WORDS: &[&str] = &["a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to"];

impl Default for Prose {
    fn default() -> Self {
        Self::new()
    }
}

impl Prose {
    pub fn new() -> Prose {
        Prose {
            nouns: RankedWords::new(NOUNS, 2),
            plurals: RankedWords::new(PLURAL_NOUNS, 2),
            adjectives: RankedWords::new(ADJECTIVES, 2),
            verbs: RankedWords::new(VERBS, 3),
            past: RankedWords::new(PAST_VERBS, 3),
            adverbs: RankedWords::new(ADVERBS, 3),
        }
    }

    /// A body of at least `target` words (overshooting by under a sentence):
    /// paragraphs of three to eight sentences, separated by a blank line.
    /// Returns (words, paragraphs).
    pub fn body(&self, dice: &mut Dice, m: &Mentions, target: u32, out: &mut String) -> (u32, u32) {
        let mut words = 0;
        let mut paragraphs = 0;
        while words < target {
            if paragraphs > 0 {
                out.push_str("\n\n");
            }
            paragraphs += 1;
            let sentences = dice.between(3, 8);
            for _ in 0..sentences {
                words += self.sentence(dice, m, out);
                if words >= target {
                    break;
                }
            }
        }
        (words, paragraphs)
    }

    /// `n` sentences in one paragraph.
    pub fn sentences(&self, dice: &mut Dice, m: &Mentions, n: u32, out: &mut String) -> u32 {
        (0..n).map(|_| self.sentence(dice, m, out)).sum()
    }

    /// One sentence, capitalised and punctuated, after a space if `out`
    /// already has text on the line.
    pub fn sentence(&self, dice: &mut Dice, m: &Mentions, out: &mut String) -> u32 {
        let start = out.len();
        let mut n = 0;
        let roll = dice.below(100);
        match roll {
            0..=29 => {
                n += self.clause(dice, m, out);
                out.push('.');
            }
            30..=44 => {
                n += word(out, dice.pick(OPENERS));
                out.push(',');
                n += self.clause(dice, m, out);
                out.push('.');
            }
            45..=52 => {
                n += word(out, if dice.odds(700) { "in" } else { "for" });
                n += self.place(dice, m, out);
                out.push(',');
                n += self.clause(dice, m, out);
                out.push('.');
            }
            53..=66 => {
                n += self.clause(dice, m, out);
                out.push(',');
                n += word(out, dice.pick(CONJUNCTIONS));
                n += self.clause(dice, m, out);
                out.push('.');
            }
            67..=71 => n += self.topic_sentence(dice, m, out),
            72..=74 => {
                n += word(out, "as");
                n += word(out, dice.pick(SPEAKERS));
                n += word(out, "put it,");
                let curly = dice.odds(500);
                out.push_str(if curly { " “" } else { " \"" });
                let quote = out.len();
                n += self.clause(dice, m, out);
                capitalise_at(out, quote);
                out.push_str(if curly { ".”" } else { ".\"" });
            }
            75..=77 => n += self.question(dice, m, out),
            78..=82 => {
                n += self.clause(dice, m, out);
                n += self.figure_phrase(dice, out);
                out.push('.');
            }
            83..=86 => {
                let (k, plural) = self.noun_phrase(dice, m, out);
                n += k;
                out.push_str(" —");
                n += self.prepositional(dice, m, out);
                out.push_str(" —");
                n += self.verb_phrase(dice, m, plural, out);
                out.push('.');
            }
            87..=90 => {
                n += self.clause(dice, m, out);
                out.push(';');
                n += self.clause(dice, m, out);
                out.push('.');
            }
            91..=93 => {
                n += self.clause(dice, m, out);
                out.push_str(" (");
                n += word(out, "notably");
                n += word(out, "in");
                n += word(out, dice.pick(ACCENTED_PLACES));
                out.push_str(").");
            }
            _ => {
                n += word(out, "in");
                n += word(out, dice.pick(MONTHS));
                n += self.year(dice, out);
                out.push(',');
                n += self.clause(dice, m, out);
                out.push('.');
            }
        }
        capitalise_at(out, start);
        n
    }

    /// Subject and predicate, sometimes with a trailing prepositional phrase.
    fn clause(&self, dice: &mut Dice, m: &Mentions, out: &mut String) -> u32 {
        let (mut n, plural) = self.noun_phrase(dice, m, out);
        n += self.verb_phrase(dice, m, plural, out);
        if dice.odds(450) {
            n += self.prepositional(dice, m, out);
        }
        if dice.odds(80) {
            n += self.prepositional(dice, m, out);
        }
        n
    }

    /// A noun phrase; returns (words, whether it is plural).
    fn noun_phrase(&self, dice: &mut Dice, m: &Mentions, out: &mut String) -> (u32, bool) {
        let roll = dice.below(1000);
        if roll < 40 && !m.places.is_empty() {
            return (self.place(dice, m, out), false);
        }
        if roll < 70 && !m.places.is_empty() {
            let n = self.place(dice, m, out);
            out.push_str("'s");
            let (k, plural) = self.bare_noun(dice, out);
            return (n + k, plural);
        }
        if roll < 80 {
            return (word(out, "the") + word(out, dice.pick(ACCENTED_NOUNS)), false);
        }
        if roll < 560 {
            let adjective = dice.odds(350).then(|| self.adjectives.pick(dice));
            let noun = self.nouns.pick(dice);
            let mut det = dice.pick(SINGULAR_DETERMINERS);
            if det == "a" && starts_with_vowel(adjective.unwrap_or(noun)) {
                det = "an";
            }
            let mut n = word(out, det);
            if let Some(a) = adjective {
                n += single_word(out, a);
            }
            n += single_word(out, noun);
            if dice.odds(200) {
                n += word(out, "of");
                n += word(out, "the");
                n += self.bare_noun(dice, out).0;
            }
            return (n, false);
        }
        let mut n = 0;
        if dice.odds(700) {
            n += word(out, dice.pick(PLURAL_DETERMINERS));
        }
        if dice.odds(400) {
            n += single_word(out, self.adjectives.pick(dice));
        }
        n += single_word(out, self.plurals.pick(dice));
        (n, true)
    }

    /// One noun, singular or plural, no determiner; returns (words, whether plural).
    fn bare_noun(&self, dice: &mut Dice, out: &mut String) -> (u32, bool) {
        if dice.odds(650) {
            (single_word(out, self.nouns.pick(dice)), false)
        } else {
            (single_word(out, self.plurals.pick(dice)), true)
        }
    }

    /// A predicate agreeing with a singular or plural subject.
    fn verb_phrase(&self, dice: &mut Dice, m: &Mentions, plural: bool, out: &mut String) -> u32 {
        let form = |pair: (&'static str, &'static str)| if plural { pair.1 } else { pair.0 };
        let mut n = 0;
        match dice.below(100) {
            0..=29 => {
                n += word(out, dice.pick(MODALS));
                if dice.odds(150) {
                    n += single_word(out, self.adverbs.pick(dice));
                }
                n += single_word(out, self.verbs.pick(dice));
                n += self.noun_phrase(dice, m, out).0;
            }
            30..=54 => {
                n += single_word(out, self.past.pick(dice));
                n += self.noun_phrase(dice, m, out).0;
            }
            55..=64 => {
                let past = self.past.pick(dice);
                // Only regular verbs: their past tense is also the participle.
                if past.ends_with("ed") {
                    n += word(out, if plural { "have" } else { "has" });
                    if dice.odds(250) {
                        n += single_word(out, self.adverbs.pick(dice));
                    }
                }
                n += single_word(out, past);
                n += self.noun_phrase(dice, m, out).0;
            }
            65..=79 => {
                n += word(out, form(dice.pick(COPULAS)));
                if dice.odds(300) {
                    n += single_word(out, self.adverbs.pick(dice));
                }
                n += single_word(out, self.adjectives.pick(dice));
            }
            _ => {
                n += word(out, form(dice.pick(CATENATIVES)));
                n += single_word(out, self.verbs.pick(dice));
                n += self.noun_phrase(dice, m, out).0;
            }
        }
        n
    }

    fn prepositional(&self, dice: &mut Dice, m: &Mentions, out: &mut String) -> u32 {
        word(out, dice.pick(PREPOSITIONS)) + self.noun_phrase(dice, m, out).0
    }

    /// One of the article's places, or any accented one.
    fn place(&self, dice: &mut Dice, m: &Mentions, out: &mut String) -> u32 {
        if m.places.is_empty() || dice.odds(60) {
            word(out, dice.pick(ACCENTED_PLACES))
        } else {
            word(out, dice.pick(&m.places))
        }
    }

    fn topic_sentence(&self, dice: &mut Dice, m: &Mentions, out: &mut String) -> u32 {
        let Some(topic) = (!m.topics.is_empty()).then(|| dice.pick(&m.topics)) else {
            let n = self.clause(dice, m, out);
            out.push('.');
            return n;
        };
        let mut n = word(out, topic);
        n += word(out, dice.pick(&["remains", "has become", "is now", "is still"]));
        let adjective = self.adjectives.pick(dice);
        n += word(out, if starts_with_vowel(adjective) { "an" } else { "a" });
        n += single_word(out, adjective);
        n += single_word(out, self.nouns.pick(dice));
        n += word(out, "for");
        n += self.noun_phrase(dice, m, out).0;
        out.push('.');
        n
    }

    fn question(&self, dice: &mut Dice, m: &Mentions, out: &mut String) -> u32 {
        let mut n = word(out, dice.pick(&["will", "can", "should", "could", "must"]));
        n += self.noun_phrase(dice, m, out).0;
        n += single_word(out, self.verbs.pick(dice));
        n += self.noun_phrase(dice, m, out).0;
        out.push('?');
        n
    }

    /// A number with a unit, as news prose has them.
    fn figure_phrase(&self, dice: &mut Dice, out: &mut String) -> u32 {
        match dice.below(4) {
            0 => {
                out.push_str(" by");
                let _ = write!(out, " {}.{} percent", dice.between(0, 24), dice.below(10));
                word(out, "in");
                4 + self.year(dice, out)
            }
            1 => {
                let _ = write!(out, ", some {} billion dollars", dice.between(2, 900));
                4
            }
            2 => {
                word(out, "since");
                1 + self.year(dice, out)
            }
            _ => {
                let _ = write!(out, ", up from {}% a year earlier", dice.between(1, 60));
                6
            }
        }
    }

    fn year(&self, dice: &mut Dice, out: &mut String) -> u32 {
        let _ = write!(out, " {}", dice.between(1990, 2026));
        1
    }

    /// A headline of 5 to 14 words in title case, replacing what `out` held.
    pub fn title(&self, dice: &mut Dice, m: &Mentions, out: &mut String) {
        loop {
            out.clear();
            self.title_once(dice, m, out);
            if (5..=14).contains(&out.split_whitespace().count()) {
                return;
            }
        }
    }

    fn title_once(&self, dice: &mut Dice, m: &Mentions, out: &mut String) {
        let place = if m.places.is_empty() { "the World" } else { dice.pick(&m.places) };
        let topic = if m.topics.is_empty() { "Foreign Policy" } else { dice.pick(&m.topics) };
        let adjective = |dice: &mut Dice| self.adjectives.pick(dice);
        let noun = |dice: &mut Dice| self.nouns.pick(dice);
        let plural = |dice: &mut Dice| self.plurals.pick(dice);
        match dice.below(9) {
            0 => {
                title_words(out, &format!("{place}'s {} {}:", adjective(dice), noun(dice)));
                title_words(
                    out,
                    &format!("the {} {} {} {}", adjective(dice), noun(dice), dice.pick(PREPOSITIONS), plural(dice)),
                );
            }
            1 => {
                let modal = dice.pick(MODALS);
                title_words(
                    out,
                    &format!("why {place} {modal} {} the {} {}", self.verbs.pick(dice), adjective(dice), noun(dice)),
                );
            }
            2 => title_words(out, &format!("the {} {} of {topic}", adjective(dice), noun(dice))),
            3 => {
                title_words(out, &format!("{topic} after {}:", dice.between(2000, 2026)));
                title_words(out, &format!("{} and {}", plural(dice), plural(dice)));
            }
            4 => title_words(
                out,
                &format!("how {place} {} the {} {}", self.past.pick(dice), adjective(dice), noun(dice)),
            ),
            5 => title_words(out, &format!("{}, {}, and {} in {place}", noun(dice), noun(dice), noun(dice))),
            6 => title_words(out, &format!("rethinking {topic} in an age of {} {}", adjective(dice), noun(dice))),
            7 => {
                let other = if m.places.len() > 1 { m.places[1] } else { dice.pick(ACCENTED_PLACES) };
                title_words(
                    out,
                    &format!("{place} and {other}: {} {} {}", adjective(dice), plural(dice), dice.pick(PREPOSITIONS)),
                );
                let last = adjective(dice);
                let article = if starts_with_vowel(last) { "an" } else { "a" };
                title_words(out, &format!("{article} {last} {}", noun(dice)));
            }
            _ => {
                title_words(out, &format!("{} {} and the future of {topic}", adjective(dice), plural(dice)));
            }
        }
    }
}

/// Append the phrase `w` after a space, unless at the start of a line or
/// just after an opening quote or bracket.
fn word(out: &mut String, w: &str) -> u32 {
    single_word(out, w);
    // Phrases from the lists ("at the same time") count word by word.
    1 + w.bytes().filter(|&b| b == b' ').count() as u32
}

/// `word` for a word known to have no space in it, as every ranked word has.
fn single_word(out: &mut String, w: &str) -> u32 {
    let bytes = out.as_bytes();
    let glued = match bytes.last() {
        None | Some(b'\n' | b'(' | b' ') => true,
        // A straight quote opens when it follows a space, and closes otherwise.
        Some(b'"') => bytes.len() == 1 || bytes[bytes.len() - 2] == b' ',
        // The last byte of an opening curly quote (and of other characters).
        Some(0x9c) => out.ends_with('“'),
        _ => false,
    };
    if !glued {
        out.push(' ');
    }
    out.push_str(w);
    1
}

/// Append words in title case: every word capitalised but minor ones
/// (`of`, `the`, …) after the first.
fn title_words(out: &mut String, text: &str) {
    for w in text.split(' ') {
        let first = out.is_empty();
        if !first {
            out.push(' ');
        }
        let start = out.len();
        out.push_str(w);
        // Words with a capital already ("d'Ivoire", "Japan–China") are names.
        let named = w.chars().any(char::is_uppercase);
        if !named && (first || !MINOR_WORDS.contains(&w)) {
            capitalise_at(out, start);
        }
    }
}

/// Upper-case the first letter at or after byte `from`.
fn capitalise_at(out: &mut String, from: usize) {
    let Some((offset, c)) = out[from..].char_indices().find(|(_, c)| c.is_alphabetic()) else {
        return;
    };
    let at = from + offset;
    if c.is_ascii_lowercase() {
        out[at..at + 1].make_ascii_uppercase();
    } else if c.is_lowercase() {
        let upper: String = c.to_uppercase().collect();
        out.replace_range(at..at + c.len_utf8(), &upper);
    }
}

fn starts_with_vowel(w: &str) -> bool {
    matches!(w.as_bytes().first(), Some(b'a' | b'e' | b'i' | b'o' | b'u'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mentions() -> Mentions {
        Mentions { places: vec!["Japan", "the United States"], topics: vec!["Energy Security"] }
    }

    #[test]
    fn bodies_have_paragraphs_and_the_asked_length() {
        let prose = Prose::new();
        let mut dice = Dice::new(3);
        let mut out = String::new();
        let (words, paragraphs) = prose.body(&mut dice, &mentions(), 1_000, &mut out);
        assert!((1_000..1_100).contains(&words), "{words}");
        assert_eq!(out.split("\n\n").count() as u32, paragraphs);
        let counted = out.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count() as u32;
        assert_eq!(counted, words);
        for p in out.split("\n\n") {
            assert!(p.starts_with(|c: char| c.is_uppercase() || c == '"' || c == '“'), "{p}");
            assert!(p.ends_with(['.', '?', '"', '”', ')']), "{p}");
            assert!(!p.contains("  "), "{p}");
        }
    }

    #[test]
    fn titles_are_title_case_and_five_to_fourteen_words() {
        let prose = Prose::new();
        let mut dice = Dice::new(5);
        for _ in 0..500 {
            let mut out = String::new();
            prose.title(&mut dice, &mentions(), &mut out);
            let words: Vec<&str> = out.split_whitespace().collect();
            assert!((5..=14).contains(&words.len()), "{out}");
            assert!(words[0].starts_with(char::is_uppercase), "{out}");
        }
    }
}
