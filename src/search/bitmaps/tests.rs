//! The bitmaps' counts against tantivy's own queries, and their parts.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rand::{Rng, SeedableRng};
use tantivy::collector::Count;
use tantivy::query::{Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, TantivyDocument, Term};

use super::dates::MonthRange;
use super::*;
use crate::domain::ArticleType;
use crate::models::article_filter::ValueSet;
use crate::search::documents::month_index;
use crate::search::query::{combine, filter_clauses};
use crate::search::schema::{self, Fields};

const DIMS: [Dimension; 8] = FACET_DIMENSIONS;

/// Mostly 2018–2023; some in years -1 and 0, which share year 0's
/// months in the index.
fn time(rng: &mut impl Rng) -> NaiveDateTime {
    let first =
        if rng.random_bool(0.05) { NaiveDate::from_ymd_opt(-1, 1, 1) } else { NaiveDate::from_ymd_opt(2018, 1, 1) };
    let day = first.unwrap()
        + chrono::Duration::days(rng.random_range(0..2200).min(if first.unwrap().year() < 0 { 700 } else { 2200 }));
    if rng.random_bool(0.1) {
        // The first instant of a month: on the edge of month ranges.
        return day.with_day(1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    }
    day.and_hms_opt(rng.random_range(0..24), 0, 0).unwrap()
}

/// An index in three segments, some documents deleted.
fn index(rng: &mut impl Rng) -> (Index, Fields) {
    let (index, fields, mut writer) = schema::in_ram();
    for id in 0..1_500u64 {
        let mut doc = TantivyDocument::default();
        doc.add_u64(fields.id, id);
        for _ in 0..rng.random_range(0..4) {
            doc.add_u64(fields.topic, rng.random_range(1..8));
        }
        let topic_stated: u64 = rng.random_range(1..8);
        doc.add_u64(fields.topic_source, topic_stated);
        for _ in 0..rng.random_range(0..3) {
            doc.add_u64(fields.region, rng.random_range(1..6));
        }
        // Now and then an id far above the rest (ids are not small
        // numbers by promise).
        let author = if rng.random_bool(0.02) { 3_000_000 } else { rng.random_range(1..20) };
        doc.add_u64(fields.author, author);
        doc.add_u64(fields.publisher, rng.random_range(1..4));
        if rng.random_bool(0.5) {
            doc.add_u64(fields.series, rng.random_range(1..4));
        }
        let t = ArticleType::ALL[rng.random_range(0..ArticleType::ALL.len())];
        doc.add_u64(fields.article_type, type_code(t));
        if rng.random_bool(0.5) {
            doc.add_u64(fields.type_source, type_code(t));
        }
        doc.add_text(fields.language, ["en", "zh", "ja"][rng.random_range(0..3)]);
        let published = time(rng);
        doc.add_i64(fields.published, published.and_utc().timestamp());
        doc.add_i64(fields.updated, time(rng).and_utc().timestamp());
        doc.add_u64(fields.year, published.year().max(0) as u64);
        doc.add_u64(fields.month, month_index(published));
        doc.add_text(fields.body, if rng.random_bool(0.3) { "security policy" } else { "trade" });
        // Titles from the id (the other fields' draws stay as they were):
        // repeated, one empty, some missing.
        if id % 11 != 0 {
            doc.add_text(fields.title_sort, ["", "Alpha", "beta", "Gamma", "alpha", "Zeta"][(id as usize * 7) % 6]);
        }
        writer.add_document(doc).unwrap();
        if id % 500 == 499 {
            writer.commit().unwrap();
        }
    }
    for id in (0..1_500u64).step_by(7) {
        writer.delete_term(Term::from_field_u64(fields.id, id));
    }
    writer.commit().unwrap();
    (index, fields)
}

fn some<T: Clone>(rng: &mut impl Rng, pool: &[T], most: usize) -> Vec<T> {
    (0..rng.random_range(0..=most)).map(|_| pool[rng.random_range(0..pool.len())].clone()).collect()
}

fn ids(rng: &mut impl Rng, upto: i64) -> IdSet {
    let pool: Vec<i64> = (1..upto).collect();
    ValueSet {
        include: some(rng, &pool, 2),
        require: if rng.random_bool(0.2) { some(rng, &pool, 1) } else { vec![] },
        exclude: if rng.random_bool(0.3) { some(rng, &pool, 1) } else { vec![] },
    }
}

fn filter(rng: &mut impl Rng) -> ArticleFilter {
    let mut f = ArticleFilter::default();
    let pick = |rng: &mut dyn rand::RngCore| rng.random_bool(0.35);
    if pick(rng) {
        f.topics = ids(rng, 8);
    }
    if pick(rng) {
        f.regions = ids(rng, 6);
    }
    if pick(rng) {
        f.authors = ids(rng, 20);
    }
    if pick(rng) {
        f.publishers = ids(rng, 4);
    }
    if pick(rng) {
        f.series = ids(rng, 4);
    }
    if pick(rng) {
        f.types.include = some(rng, ArticleType::ALL, 2);
    }
    if pick(rng) {
        let tags = ["en".to_owned(), "zh".to_owned(), "ja".to_owned()];
        f.languages.include = some(rng, &tags, 2);
        f.languages.exclude = some(rng, &tags, 1);
    }
    if pick(rng) {
        f.published_from = Some(time(rng));
    }
    if pick(rng) {
        f.published_until = Some(time(rng));
    }
    if rng.random_bool(0.15) {
        f.updated_from = Some(time(rng));
    }
    f.source_only = rng.random_bool(0.2);
    f
}

/// One value asked for (the filter of a topic's page and the like),
/// now and then with a little more: an exclusion, or a word.
fn lone(rng: &mut impl Rng) -> ArticleFilter {
    let mut f = ArticleFilter { source_only: rng.random_bool(0.3), ..Default::default() };
    let one = |rng: &mut dyn rand::RngCore, upto: i64| ValueSet {
        include: vec![rng.random_range(1..upto)],
        ..Default::default()
    };
    match rng.random_range(0..6) {
        0 => f.topics = one(rng, 8),
        1 => f.regions = one(rng, 6),
        2 => f.publishers = one(rng, 4),
        3 => f.types.require = vec![ArticleType::ALL[rng.random_range(0..ArticleType::ALL.len())]],
        4 => f.languages.include = vec![["en", "zh", "ja"][rng.random_range(0..3)].to_owned()],
        _ => f.authors.require = vec![rng.random_range(1..20)],
    }
    if rng.random_bool(0.3) {
        f.series.exclude = vec![rng.random_range(1..4)];
    }
    f
}

/// The key the word sets of the test's word are kept under.
fn key_of(word: &str) -> crate::search::TextQuery {
    use crate::search::grammar::{Clause, Scope, Term};
    let term = Term { scope: Scope::Body, text: word.into(), phrase: false };
    crate::search::TextQuery { clauses: vec![Clause::AnyOf(vec![term])] }
}

fn secur() -> crate::search::TextQuery {
    key_of("secur")
}

fn count(searcher: &Searcher, query: Box<dyn Query>) -> u64 {
    searcher.search(&*query, &Count).unwrap() as u64
}

/// Documents collected as a list or, once dense, as bits give the
/// same bitmap.
#[test]
fn collected_documents_are_the_documents() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    for (max_doc, density) in
        [(10u32, 0.5), (1_000, 0.001), (1_000, 0.9), (200_000, 0.01), (200_000, 0.97), (70_000, 0.02)]
    {
        let docs: Vec<u32> = (0..max_doc).filter(|_| rng.random_bool(density)).collect();
        let mut collected = Collected::new(max_doc);
        for chunk in docs.chunks(rng.random_range(1..200)) {
            collected.extend(chunk);
        }
        let dense = collected.is_dense();
        assert_eq!(dense, docs.len() as u64 * 64 > u64::from(max_doc), "{max_doc} {density}");
        assert_eq!(collected.into_bitmap(), docs.iter().copied().collect::<RoaringBitmap>(), "{max_doc} {density}");
    }
}

/// A tally counts (and reads back) what a map would, for values near
/// and far apart, rising and falling.
#[test]
fn tallies_equal_a_maps_counts() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    for spread in [10u64, 3_000, 40_000, 1 << 40] {
        let mut tally = Tally::default();
        let mut expected = ValueCounts::default();
        for _ in 0..5_000 {
            let value = rng.random_range(0..spread) + if rng.random_bool(0.1) { 1 << 20 } else { 5_000 };
            let n = rng.random_range(0..3);
            tally.add(value, n);
            if n > 0 {
                *expected.entry(CountKey::Number(value)).or_default() += n;
            }
        }
        tally.add_text("en", 2);
        tally.add_text("en", 1);
        expected.insert(CountKey::Text("en".into()), 3);
        // What it holds for a value, counted or not.
        for probe in (0..2_000).map(|_| rng.random_range(0..spread) + [0, 5_000, 1 << 20][rng.random_range(0..3)]) {
            let want = expected.get(&CountKey::Number(probe)).copied().unwrap_or(0);
            assert_eq!(tally.get(Value::Number(probe)), want, "{probe}, spread {spread}");
        }
        assert_eq!((tally.get(Value::Text("en")), tally.get(Value::Text("ja"))), (3, 0));
        let counts = tally.into_counts();
        let got: ValueCounts = counts.iter().cloned().collect();
        assert_eq!(got.len(), counts.len(), "each value once, spread {spread}");
        assert_eq!(got, expected, "spread {spread}");
    }
}

#[test]
fn months_are_inside_outside_or_cut() {
    let at = |y, m, d, h| NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap();
    let month = |y: u64, m: u64| y * 12 + m - 1;
    let year_2019 = MonthRange { from: Some(at(2019, 1, 1, 0)), until: Some(at(2020, 1, 1, 0)) };
    assert_eq!(year_2019.holds(month(2019, 1)), Some(true));
    assert_eq!(year_2019.holds(month(2019, 12)), Some(true));
    assert_eq!(year_2019.holds(month(2018, 12)), Some(false));
    assert_eq!(year_2019.holds(month(2020, 1)), Some(false));
    let cut = MonthRange { from: Some(at(2019, 1, 1, 1)), until: Some(at(2019, 12, 31, 0)) };
    assert_eq!(cut.holds(month(2019, 1)), None);
    assert_eq!(cut.holds(month(2019, 2)), Some(true));
    assert_eq!(cut.holds(month(2019, 12)), None);
    assert_eq!(cut.holds(month(2020, 1)), Some(false));
    let open = MonthRange { from: None, until: None };
    assert_eq!(open.holds(month(1, 1)), Some(true));
}

/// The bitmaps' totals and facet counts equal what the same filter as
/// a query counts, for random filters over segments with deletions.
#[test]
fn counts_equal_the_filter_queries_counts() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let (index, fields) = index(&mut rng);
    let bitmaps = Bitmaps::default();
    let searcher = index.reader().unwrap().searcher();
    assert_eq!(bitmaps.total(&searcher, &ArticleFilter::default()).unwrap(), None, "totals never build");
    check_counts(&bitmaps, &index, &fields, &mut rng);
}

/// The same, where every value of 20 documents or more keeps its
/// counts, so that sets inside one value are counted by subtraction
/// (the second request for a value uses what the first kept), and
/// again once more documents of the same segments are deleted.
#[test]
fn counts_from_a_values_kept_counts_equal_the_filter_queries_counts() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let (index, fields) = index(&mut rng);
    let bitmaps = Bitmaps { superset_min: 20, words: WordSets::new(1 << 20, 20), ..Default::default() };
    check_counts(&bitmaps, &index, &fields, &mut rng);
    let words = bitmaps.words.len();
    assert!(words >= 3, "the word's set kept in each segment: {words}");
    let (word_tables, weight) = bitmaps.words.tables();
    assert!(word_tables >= 3, "the words' facets counted by subtraction: {word_tables} counts kept");
    assert!(weight > 3 * 1_000, "the counts weigh on the cache: {weight} bytes");
    let kept = || -> (Vec<SegmentId>, usize) {
        let segments = bitmaps.segments.lock().unwrap();
        let mut ids: Vec<SegmentId> = segments.keys().copied().collect();
        ids.sort();
        (ids, segments.values().map(|seg| seg.tables.len()).sum())
    };
    let (segments, tables) = kept();
    assert!(tables >= 20, "counted by subtraction: {tables} values' counts kept");
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 50_000_000).unwrap();
    for id in (0..1_500u64).step_by(5) {
        writer.delete_term(Term::from_field_u64(fields.id, id));
    }
    writer.commit().unwrap();
    check_counts(&bitmaps, &index, &fields, &mut rng);
    let (after, more) = kept();
    assert_eq!(after, segments, "deletions keep the segments (and their kept counts)");
    assert!(more > tables, "kept counts used and added to after deletions: {tables} then {more}");
    assert_eq!(bitmaps.words.len(), words, "the word's sets kept through deletions, and used");
}

fn check_counts(bitmaps: &Bitmaps, index: &Index, fields: &Fields, rng: &mut rand_chacha::ChaCha8Rng) {
    let searcher = index.reader().unwrap().searcher();
    assert!(searcher.segment_readers().len() > 1);
    bitmaps.warm(&searcher, &[]).unwrap();
    // Bounds in years -1 and 0, whose months the index shares.
    type Month = Option<(i32, u32)>;
    let bounds: [(Month, Month); 4] =
        [(Some((-1, 6)), None), (None, Some((-1, 9))), (Some((0, 3)), Some((0, 8))), (Some((-1, 11)), Some((0, 2)))];
    for (from, until) in bounds {
        let at = |(y, m): (i32, u32)| NaiveDate::from_ymd_opt(y, m, 15).unwrap().and_hms_opt(0, 0, 0).unwrap();
        let f = ArticleFilter { published_from: from.map(at), published_until: until.map(at), ..Default::default() };
        let expected = count(&searcher, combine(None, filter_clauses(fields, &f, None)));
        assert!(expected > 0 || until.is_some(), "{f:?} matches something");
        assert_eq!(bitmaps.total(&searcher, &f).unwrap(), Some(expected), "{f:?}");
    }
    // Bounds on the first instant of a month: whole months and whole
    // years inside, a month just outside.
    type Day = Option<(i32, u32, u32)>;
    let month_bounds: [(Day, Day); 7] = [
        (Some((2019, 1, 1)), Some((2020, 1, 1))),
        (Some((2018, 3, 1)), Some((2021, 1, 1))),
        (Some((2019, 1, 1)), Some((2019, 2, 1))),
        (Some((2019, 6, 1)), None),
        (None, Some((2020, 1, 1))),
        (Some((2019, 1, 1)), Some((2019, 12, 31))),
        (Some((2018, 12, 31)), Some((2020, 1, 2))),
    ];
    for (from, until) in month_bounds {
        let at = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(0, 0, 0).unwrap();
        let f = ArticleFilter { published_from: from.map(at), published_until: until.map(at), ..Default::default() };
        let expected = count(&searcher, combine(None, filter_clauses(fields, &f, None)));
        assert!(expected > 0, "{f:?} matches something");
        assert_eq!(bitmaps.total(&searcher, &f).unwrap(), Some(expected), "{f:?}");
    }
    let budget = Budget::unlimited();
    // A word in ~30% of the documents, and one in ~70% (a set covering
    // most of a segment: its kept counts are made by complement).
    let words: Vec<(TermQuery, Box<dyn tantivy::query::Weight>, crate::search::TextQuery)> = ["secur", "trade"]
        .into_iter()
        .map(|word| {
            let query = TermQuery::new(Term::from_field_text(fields.body, word), IndexRecordOption::Basic);
            let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(&searcher)).unwrap();
            (query, weight, key_of(word))
        })
        .collect();
    for round in 0..200 {
        let f = if round % 4 == 1 { lone(rng) } else { filter(rng) };
        let with_words = round % 3 == 0;
        let (words, weight, key) = &words[round % 2];
        let text = with_words.then_some(Words { weight: &**weight, query: key });
        let scored = || -> Option<Box<dyn Query>> { with_words.then(|| Box::new(words.clone()) as Box<dyn Query>) };
        if !with_words {
            let expected = count(&searcher, combine(None, filter_clauses(fields, &f, None)));
            assert_eq!(bitmaps.total(&searcher, &f).unwrap(), Some(expected), "{f:?}");
        }
        let counts = bitmaps.facet_counts(&searcher, text, &f, &DIMS, &budget).unwrap();
        for dim in DIMS {
            let except = dim.filtered_in(&f).then_some(dim);
            for (key, n) in &counts[&dim] {
                let value: Box<dyn Query> = match (dim.counted(f.source_only), key) {
                    (Counted::Numeric(name), CountKey::Number(v)) => {
                        let field = index.schema().get_field(name).unwrap();
                        Box::new(TermQuery::new(Term::from_field_u64(field, *v), IndexRecordOption::Basic))
                    }
                    (Counted::Language, CountKey::Text(tag)) => {
                        Box::new(TermQuery::new(Term::from_field_text(fields.language, tag), IndexRecordOption::Basic))
                    }
                    other => panic!("{other:?}"),
                };
                let mut clauses = filter_clauses(fields, &f, except);
                clauses.push((Occur::Must, value));
                let expected = count(&searcher, combine(scored(), clauses));
                assert_eq!(*n, expected, "{dim:?} {key:?} in {f:?} (words: {with_words})");
            }
            // And no value is left out: where every article has exactly
            // one value, the counts add up to the matches.
            let all = count(&searcher, combine(scored(), filter_clauses(fields, &f, except)));
            let one_each = matches!(dim, Dimension::Publisher | Dimension::Language | Dimension::Year)
                || (dim == Dimension::Type && !f.source_only);
            if one_each {
                assert_eq!(counts[&dim].iter().map(|(_, n)| n).sum::<u64>(), all, "{dim:?} in {f:?}");
            }
        }
    }
}

/// Sorted searches from the bitmaps list what tantivy's collector lists
/// over the same query, in every order, from the start and after a key
/// (a cursor), for any window, and count the same total.
#[test]
fn sorted_hits_equal_the_collectors() {
    use crate::search::collect::{HitOrder, TopHits};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let (index, fields) = index(&mut rng);
    let bitmaps = Bitmaps { words: WordSets::new(1 << 20, 20), ..Default::default() };
    let searcher = index.reader().unwrap().searcher();
    let budget = Budget::unlimited();
    let words = TermQuery::new(Term::from_field_text(fields.body, "secur"), IndexRecordOption::Basic);
    let weight = words.weight(tantivy::query::EnableScoring::disabled_from_searcher(&searcher)).unwrap();
    let secur = secur();
    // Built on first use, as for facets.
    let order = HitOrder::Published { descending: true };
    let first = bitmaps.sorted_hits(&searcher, None, &ArticleFilter::default(), order, None, 5, &budget).unwrap();
    assert_eq!(first.unwrap().0.len(), 5);
    let relevance =
        bitmaps.sorted_hits(&searcher, None, &ArticleFilter::default(), HitOrder::Relevance, None, 5, &budget);
    assert!(relevance.unwrap().is_none(), "relevance is the collector's");
    let mut walked = 0;
    for round in 0..300 {
        let f = if round % 5 == 0 { ArticleFilter::default() } else { filter(&mut rng) };
        let with_words = round % 3 == 0;
        let descending = rng.random_bool(0.5);
        let order = match round % 3 {
            0 => HitOrder::Published { descending },
            1 => HitOrder::Updated { descending },
            _ => HitOrder::Title { descending },
        };
        let keep = [1, 3, 20, 100, 2_000][rng.random_range(0..5)];
        let query = || {
            let scored = with_words.then(|| Box::new(words.clone()) as Box<dyn Query>);
            combine(scored, filter_clauses(&fields, &f, None))
        };
        let every = searcher.search(&*query(), &TopHits::new(order, None, 2_000, budget.clone())).unwrap();
        let after = (!every.is_empty() && rng.random_bool(0.5)).then(|| {
            let mut key = every[rng.random_range(0..every.len())].clone();
            key.doc = None;
            key
        });
        let expected = searcher.search(&*query(), &TopHits::new(order, after.clone(), keep, budget.clone())).unwrap();
        let text = with_words.then_some(Words { weight: &*weight, query: &secur });
        let (hits, total) =
            bitmaps.sorted_hits(&searcher, text, &f, order, after.as_ref(), keep, &budget).unwrap().unwrap();
        assert_eq!(hits, expected, "{order:?} after {after:?}, {keep} of {f:?} (words: {with_words})");
        assert_eq!(total, count(&searcher, query()), "{f:?}");
        walked += usize::from(total > 200 && keep <= 20);
    }
    assert!(walked > 20, "large sets walked in order: {walked}");
    assert!(bitmaps.words.len() >= 3, "the word's sets kept and used");
}
