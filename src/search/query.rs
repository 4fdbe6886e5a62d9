//! Turning a parsed `q` and an `ArticleFilter` into tantivy queries. Words
//! go through the same analyzer as the indexed text; filters become
//! constant-score clauses so they select without changing the ranking.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
    TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use super::budgeted::Budgeted;
use super::documents::type_code;
use super::grammar::{Clause, GrammarError, Scope, Term as QueryTerm, TextQuery};
use super::schema::Fields;
use super::tokenizer::pair_term;
use super::word_fields::WordInFields;
use crate::models::article_filter::{ArticleFilter, IdSet, ValueSet};
use crate::work::Budget;

/// How much a match in each field counts: a word in the title says more
/// about an article than a passing mention in its body.
pub const TITLE_BOOST: f32 = 3.0;
pub const SUMMARY_BOOST: f32 = 1.5;

fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    stream.process(&mut |t| tokens.push((t.position, t.text.clone())));
    tokens
}

/// What a text query is built for: matching and ranking documents
/// (phrases looked up by their word pairs, and stopping when the budget
/// runs out), only selecting them (the same documents, but a word found
/// anywhere is one term of `any_text`, not three ranked fields), or naming
/// the words to highlight (plain phrases over the word fields).
#[derive(Clone, Copy)]
pub enum Purpose<'a> {
    Match(&'a Budget),
    Select(&'a Budget),
    Highlight,
}

impl<'a> Purpose<'a> {
    fn budget(self) -> Option<&'a Budget> {
        match self {
            Purpose::Match(budget) | Purpose::Select(budget) => Some(budget),
            Purpose::Highlight => None,
        }
    }
}

/// Neighbouring tokens (no gap between their positions) as pair terms.
fn pair_terms(field: Field, tokens: &[(usize, String)]) -> Vec<Term> {
    tokens
        .windows(2)
        .filter(|w| w[0].0 + 1 == w[1].0)
        .map(|w| Term::from_field_text(field, &pair_term(&w[0].1, &w[1].1)))
        .collect()
}

/// A word, or a phrase. To match, a phrase of two neighbouring words is
/// one term of the pair field (ranked like any word, block-max WAND
/// included); a longer one is the positional phrase restricted to the
/// documents holding all its pairs, so that positions are read only where
/// the phrase can be, and its scorer stops when the budget runs out (see
/// `budgeted`).
fn in_field(fields: &Fields, field: Field, tokens: &[(usize, String)], purpose: Purpose<'_>) -> Box<dyn Query> {
    if let [(_, only)] = tokens {
        return Box::new(TermQuery::new(Term::from_field_text(field, only), IndexRecordOption::WithFreqs));
    }
    let first = tokens.first().map_or(0, |t| t.0);
    let terms = tokens.iter().map(|(pos, text)| (pos - first, Term::from_field_text(field, text))).collect();
    let phrase: Box<dyn Query> = Box::new(PhraseQuery::new_with_offset(terms));
    let Some(budget) = purpose.budget() else { return phrase };
    let mut pairs = fields.pairs_of(field).map(|f| pair_terms(f, tokens)).unwrap_or_default();
    if tokens.len() == 2 && pairs.len() == 1 {
        return Box::new(TermQuery::new(pairs.remove(0), IndexRecordOption::WithFreqs));
    }
    let phrase = Budgeted::wrap(phrase, budget);
    if pairs.is_empty() {
        return phrase;
    }
    let mut clauses = vec![(Occur::Must, phrase)];
    clauses.extend(
        pairs.into_iter().map(|pair| (Occur::Must, selects(Box::new(TermQuery::new(pair, IndexRecordOption::Basic))))),
    );
    Box::new(BooleanQuery::new(clauses))
}

fn term_query(
    fields: &Fields,
    analyzer: &mut TextAnalyzer,
    term: &QueryTerm,
    purpose: Purpose<'_>,
) -> Option<Box<dyn Query>> {
    let tokens = analyze(analyzer, &term.text);
    if tokens.is_empty() {
        return None;
    }
    if let (Purpose::Select(_), Scope::Any, [(_, only)]) = (purpose, term.scope, tokens.as_slice()) {
        let word = Term::from_field_text(fields.any_text, only);
        return Some(Box::new(TermQuery::new(word, IndexRecordOption::Basic)));
    }
    let anywhere = [(fields.title, TITLE_BOOST), (fields.summary, SUMMARY_BOOST), (fields.body, 1.0)];
    if let (Purpose::Match(_), Scope::Any, [(_, only)]) = (purpose, term.scope, tokens.as_slice()) {
        let clauses = anywhere.into_iter().map(|(field, boost)| (Term::from_field_text(field, only), boost)).collect();
        return Some(Box::new(WordInFields::new(clauses)));
    }
    let scoped: Vec<(Field, f32)> = match term.scope {
        Scope::Any => anywhere.to_vec(),
        Scope::Title => vec![(fields.title, 1.0)],
        Scope::Summary => vec![(fields.summary, 1.0)],
        Scope::Body => vec![(fields.body, 1.0)],
    };
    let mut per_field: Vec<Box<dyn Query>> = scoped
        .into_iter()
        .map(|(field, boost)| {
            let q = in_field(fields, field, &tokens, purpose);
            if boost == 1.0 {
                q
            } else {
                Box::new(BoostQuery::new(q, boost)) as Box<dyn Query>
            }
        })
        .collect();
    Some(if per_field.len() == 1 { per_field.remove(0) } else { Box::new(BooleanQuery::union(per_field)) })
}

/// The scored part of a search. Words that analyse to nothing (`!!!`) are
/// dropped; a query whose words to find all analyse to nothing matches
/// nothing, and a query of exclusions only matches every article without
/// them.
pub fn text_query(
    fields: &Fields,
    analyzer: &mut TextAnalyzer,
    q: &TextQuery,
    purpose: Purpose<'_>,
) -> Result<Box<dyn Query>, GrammarError> {
    let finds_words = q.clauses.iter().any(|c| matches!(c, Clause::AnyOf(_)));
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for clause in &q.clauses {
        match clause {
            Clause::AnyOf(terms) => {
                let mut alternatives: Vec<Box<dyn Query>> =
                    terms.iter().filter_map(|t| term_query(fields, analyzer, t, purpose)).collect();
                match alternatives.len() {
                    0 => {}
                    1 => clauses.push((Occur::Must, alternatives.remove(0))),
                    _ => clauses.push((Occur::Must, Box::new(BooleanQuery::union(alternatives)))),
                }
            }
            Clause::Not(term) => {
                if let Some(query) = term_query(fields, analyzer, term, purpose) {
                    clauses.push((Occur::MustNot, query));
                }
            }
        }
    }
    if !clauses.iter().any(|(occur, _)| *occur == Occur::Must) {
        if finds_words {
            // The words to find were only punctuation (`!!!`): nothing matches.
            return Ok(Box::new(EmptyQuery));
        }
        clauses.insert(0, (Occur::Must, Box::new(AllQuery)));
    }
    if clauses.len() == 1 {
        return Ok(clauses.remove(0).1);
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

fn selects(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

fn u64_terms(field: Field, values: &[u64]) -> Vec<Term> {
    values.iter().map(|v| Term::from_field_u64(field, *v)).collect()
}

fn set_clauses(
    out: &mut Vec<(Occur, Box<dyn Query>)>,
    field: Field,
    include: &[u64],
    require: &[u64],
    exclude: &[u64],
) {
    if !include.is_empty() {
        out.push((Occur::Must, selects(Box::new(TermSetQuery::new(u64_terms(field, include))))));
    }
    for value in require {
        out.push((
            Occur::Must,
            selects(Box::new(TermQuery::new(Term::from_field_u64(field, *value), IndexRecordOption::Basic))),
        ));
    }
    if !exclude.is_empty() {
        out.push((Occur::MustNot, Box::new(TermSetQuery::new(u64_terms(field, exclude)))));
    }
}

fn ids(set: &IdSet) -> (Vec<u64>, Vec<u64>, Vec<u64>) {
    let conv = |v: &[i64]| v.iter().map(|x| *x as u64).collect::<Vec<_>>();
    (conv(&set.include), conv(&set.require), conv(&set.exclude))
}

/// Which filter dimensions to leave out (for disjunctive facet counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Topic,
    Region,
    Author,
    Publisher,
    Series,
    Type,
    Language,
    Year,
}

/// The filter as query clauses, leaving out `except`.
pub fn filter_clauses(fields: &Fields, f: &ArticleFilter, except: Option<Dimension>) -> Vec<(Occur, Box<dyn Query>)> {
    let mut out = Vec::new();
    let stated = f.source_only;
    let dims = [
        (Dimension::Topic, if stated { fields.topic_source } else { fields.topic }, &f.topics),
        (Dimension::Region, if stated { fields.region_source } else { fields.region }, &f.regions),
        (Dimension::Author, if stated { fields.author_source } else { fields.author }, &f.authors),
        (Dimension::Publisher, fields.publisher, &f.publishers),
        (Dimension::Series, fields.series, &f.series),
    ];
    for (dim, field, set) in dims {
        let (include, require, exclude) = ids(set);
        if except == Some(dim) {
            // Only the query parameters' choice is left out; the resource
            // in the path (`/v1/topics/{topic}/articles`) stays applied.
            set_clauses(&mut out, field, &[], &require, &[]);
        } else {
            set_clauses(&mut out, field, &include, &require, &exclude);
        }
    }
    if except != Some(Dimension::Type) {
        let codes = |v: &[crate::domain::ArticleType]| v.iter().map(|t| type_code(*t)).collect::<Vec<_>>();
        let ValueSet { include, require, exclude } = &f.types;
        let field = if stated { fields.type_source } else { fields.article_type };
        set_clauses(&mut out, field, &codes(include), &codes(require), &codes(exclude));
    }
    if except != Some(Dimension::Language) {
        let terms = |v: &[String]| v.iter().map(|l| Term::from_field_text(fields.language, l)).collect::<Vec<_>>();
        if !f.languages.include.is_empty() {
            out.push((Occur::Must, selects(Box::new(TermSetQuery::new(terms(&f.languages.include))))));
        }
        if !f.languages.exclude.is_empty() {
            out.push((Occur::MustNot, Box::new(TermSetQuery::new(terms(&f.languages.exclude)))));
        }
    }
    out.extend(time_range(fields.updated, f.updated_from, f.updated_until));
    if except != Some(Dimension::Year) {
        out.extend(time_range(fields.published, f.published_from, f.published_until));
    }
    out
}

/// `from <= field < until` (either bound may be open), or nothing when
/// both are.
fn time_range(
    field: Field,
    from: Option<chrono::NaiveDateTime>,
    until: Option<chrono::NaiveDateTime>,
) -> Option<(Occur, Box<dyn Query>)> {
    if from.is_none() && until.is_none() {
        return None;
    }
    let seconds = |t: chrono::NaiveDateTime| Term::from_field_i64(field, t.and_utc().timestamp());
    let lower = from.map_or(Bound::Unbounded, |t| Bound::Included(seconds(t)));
    let upper = until.map_or(Bound::Unbounded, |t| Bound::Excluded(seconds(t)));
    Some((Occur::Must, selects(Box::new(RangeQuery::new(lower, upper)))))
}

/// `text` (if any) restricted by `filters`.
pub fn combine(text: Option<Box<dyn Query>>, mut filters: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    let scored = text.unwrap_or_else(|| Box::new(AllQuery));
    if filters.is_empty() {
        return scored;
    }
    filters.insert(0, (Occur::Must, scored));
    Box::new(BooleanQuery::new(filters))
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use tantivy::collector::DocSetCollector;
    use tantivy::TantivyDocument;

    use super::*;
    use crate::search::{schema, tokenizer};

    const WORDS: [&str; 8] = ["security", "policy", "of", "the", "trade", "Japan", "alliance", "policies"];

    fn sentence(rng: &mut impl Rng, words: usize) -> String {
        (0..words).map(|_| WORDS[rng.random_range(0..WORDS.len())]).collect::<Vec<_>>().join(" ")
    }

    /// A searcher over 400 documents of random words (some without a
    /// summary or a body), and the schema's fields.
    fn random_index(rng: &mut impl Rng) -> (tantivy::Searcher, Fields) {
        let (index, fields, mut writer) = schema::in_ram();
        let long_word = "x".repeat(60);
        for id in 0..400u64 {
            let mut doc = TantivyDocument::default();
            doc.add_u64(fields.id, id);
            let title = sentence(rng, 4);
            let summary = rng.random_bool(0.7).then(|| sentence(rng, 8));
            let body = rng.random_bool(0.9).then(|| format!("{} {long_word} {}", sentence(rng, 30), sentence(rng, 10)));
            crate::search::documents::add_text(&mut doc, &fields, &title, summary.as_deref(), body.as_deref());
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index.reader().unwrap().searcher(), fields)
    }

    fn docs(searcher: &tantivy::Searcher, query: &dyn Query) -> std::collections::HashSet<tantivy::DocAddress> {
        searcher.search(query, &DocSetCollector).unwrap()
    }

    /// Phrases looked up by their word pairs match exactly the documents
    /// the positional phrase matches, in every field and at every length.
    #[test]
    fn pair_lookups_match_what_positional_phrases_match() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let (searcher, fields) = random_index(&mut rng);
        let (mut analyzer, budget) = (tokenizer::stemmed(), Budget::unlimited());
        let mut nonempty = 0;
        for _ in 0..200 {
            let n = rng.random_range(2..=4);
            let text = format!("\"{}\"", sentence(&mut rng, n));
            let q = crate::search::grammar::parse(&text).unwrap();
            let by_pairs = text_query(&fields, &mut analyzer, &q, Purpose::Match(&budget)).unwrap();
            let by_positions = text_query(&fields, &mut analyzer, &q, Purpose::Highlight).unwrap();
            let a = docs(&searcher, &*by_pairs);
            assert_eq!(a, docs(&searcher, &*by_positions), "{text}");
            nonempty += usize::from(!a.is_empty());
        }
        assert!(nonempty > 50, "only {nonempty} phrases matched anything");
    }

    /// One part of a random `q`: a word or phrase, maybe scoped, maybe
    /// excluded, maybe with alternatives.
    fn random_part<R: Rng>(rng: &mut R) -> String {
        let one = |rng: &mut R| {
            let scope = ["", "", "", "title:", "summary:", "body:"][rng.random_range(0..6)];
            let n = rng.random_range(1..=3);
            let words = sentence(rng, n);
            if n == 1 {
                format!("{scope}{words}")
            } else {
                format!("{scope}\"{words}\"")
            }
        };
        if rng.random_bool(0.2) {
            return format!("-{}", one(rng));
        }
        let alternatives = rng.random_range(1..=3);
        (0..alternatives).map(|_| one(rng)).collect::<Vec<_>>().join(" OR ")
    }

    /// The selecting form of a query (a word anywhere is one `any_text`
    /// term) matches exactly the documents the ranking form matches, for
    /// words, phrases, scopes, alternatives and exclusions.
    #[test]
    fn selecting_form_matches_what_the_ranking_form_matches() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let (searcher, fields) = random_index(&mut rng);
        let (mut analyzer, budget) = (tokenizer::stemmed(), Budget::unlimited());
        let (mut nonempty, mut partial) = (0, 0);
        for _ in 0..300 {
            let parts = rng.random_range(1..=3);
            let text = (0..parts).map(|_| random_part(&mut rng)).collect::<Vec<_>>().join(" ");
            let q = crate::search::grammar::parse(&text).unwrap();
            let ranking = text_query(&fields, &mut analyzer, &q, Purpose::Match(&budget)).unwrap();
            let selecting = text_query(&fields, &mut analyzer, &q, Purpose::Select(&budget)).unwrap();
            let found = docs(&searcher, &*ranking);
            assert_eq!(found, docs(&searcher, &*selecting), "{text}");
            assert_eq!(found.len(), selecting.count(&searcher).unwrap(), "{text}");
            nonempty += usize::from(!found.is_empty());
            partial += usize::from(!found.is_empty() && found.len() < 400);
        }
        assert!(nonempty > 100 && partial > 50, "{nonempty} queries matched, {partial} of them not everything");
    }
}
