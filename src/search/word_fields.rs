//! One word searched in several fields (title, summary, body), ranked by
//! the sum of each field's boosted BM25: the scores of tantivy's union of
//! boosted term queries, summed in the clauses' order as its union scorer
//! sums them. Only the top hits are found differently.
//!
//! Tantivy's block-max WAND over such a union drags every list to each
//! candidate. For a word in nearly every article the body's list is dense
//! but worth almost nothing (its idf is near zero), while the best hits need
//! the word in the title *and* the summary: WAND still seeks the body to
//! every title or summary posting, decoding all of its blocks. MaxScore
//! (Turtle and Flood) with required terms instead: once no article can beat
//! the kept hits without a field's word, that field is required, and the
//! candidates are the required fields' intersection (leapfrogged); before
//! that, only the fields whose bounds can still beat the kept hits drive the
//! candidates. The others are read only for a candidate that could still
//! make it, largest bound first. Everything else (matching, counting,
//! scoring every match) is the union's own.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{
    Bm25Weight, BooleanQuery, BoostQuery, EnableScoring, Explanation, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentReader, Term, TERMINATED};

/// A word in several fields, each with its boost.
#[derive(Clone, Debug)]
pub struct WordInFields {
    clauses: Vec<(Term, Score)>,
    union: BooleanQuery,
}

impl WordInFields {
    pub fn new(clauses: Vec<(Term, Score)>) -> WordInFields {
        let union = BooleanQuery::union(
            clauses
                .iter()
                .map(|(term, boost)| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs));
                    if *boost == 1.0 {
                        q
                    } else {
                        Box::new(BoostQuery::new(q, *boost))
                    }
                })
                .collect(),
        );
        WordInFields { clauses, union }
    }
}

impl Query for WordInFields {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.union.weight(scoring)?;
        let ranked = match scoring {
            EnableScoring::Enabled { statistics_provider, .. } => Some(
                self.clauses
                    .iter()
                    .map(|(term, boost)| {
                        let weight = Bm25Weight::for_terms(statistics_provider, std::slice::from_ref(term))?;
                        Ok((term.clone(), weight.boost_by(*boost)))
                    })
                    .collect::<tantivy::Result<Vec<_>>>()?,
            ),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(WordInFieldsWeight { inner, ranked }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.union.query_terms(visitor);
    }
}

struct WordInFieldsWeight {
    inner: Box<dyn Weight>,
    /// Each clause's term and its boosted BM25 weight (none unscored).
    ranked: Option<Vec<(Term, Bm25Weight)>>,
}

impl Weight for WordInFieldsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.inner.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }

    fn for_each(&self, reader: &SegmentReader, callback: &mut dyn FnMut(DocId, Score)) -> tantivy::Result<()> {
        self.inner.for_each(reader, callback)
    }

    fn for_each_no_score(&self, reader: &SegmentReader, callback: &mut dyn FnMut(&[DocId])) -> tantivy::Result<()> {
        self.inner.for_each_no_score(reader, callback)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let Some(ranked) = &self.ranked else { return self.inner.for_each_pruning(threshold, reader, callback) };
        let mut cursors = Vec::with_capacity(ranked.len());
        for (clause, (term, weight)) in ranked.iter().enumerate() {
            let inverted = reader.inverted_index(term.field())?;
            let Some(postings) = inverted.read_block_postings(term, IndexRecordOption::WithFreqs)? else { continue };
            let cursor = Cursor {
                postings,
                at: 0,
                max: weight.max_score(),
                weight: weight.clone(),
                norms: reader.get_fieldnorms_reader(term.field())?,
                clause,
            };
            if cursor.doc() != TERMINATED {
                cursors.push(cursor);
            }
        }
        top_hits(cursors, threshold, callback);
        Ok(())
    }
}

/// One field's postings of the word, a block at a time: each block's
/// best score is known before its documents are read.
struct Cursor {
    postings: BlockSegmentPostings,
    /// The current document's place in the block.
    at: usize,
    weight: Bm25Weight,
    norms: FieldNormReader,
    /// No document scores more in this field.
    max: Score,
    /// The clause's place in the union (the order scores are summed in).
    clause: usize,
}

impl Cursor {
    fn doc(&self) -> DocId {
        self.postings.docs().get(self.at).copied().unwrap_or(TERMINATED)
    }

    /// The last document of the current block.
    fn block_end(&self) -> DocId {
        let docs = self.postings.docs();
        if self.at < docs.len() {
            docs[docs.len() - 1]
        } else {
            TERMINATED
        }
    }

    /// The best score in the current block.
    fn block_max(&mut self) -> Score {
        self.postings.block_max_score(&self.norms, &self.weight)
    }

    fn score(&self) -> Score {
        let doc = self.doc();
        self.weight.score(self.norms.fieldnorm_id(doc), self.postings.freqs()[self.at])
    }

    fn advance(&mut self) {
        self.at += 1;
        if self.at >= self.postings.docs().len() {
            self.postings.advance();
            self.at = 0;
        }
    }

    /// To the first document at or after `target` (never back).
    fn seek(&mut self, target: DocId) {
        if target <= self.doc() {
            return;
        }
        if target <= self.block_end() {
            self.at += self.postings.docs()[self.at..].partition_point(|&d| d < target);
        } else {
            // Past the last document, `at` is past the block: `TERMINATED`.
            self.at = self.postings.seek(target);
        }
    }
}

/// A bound that cannot beat `threshold`, allowing for the rounding of sums
/// taken in another order than the score's.
fn cannot_beat(bound: Score, threshold: Score) -> bool {
    bound + bound.abs() * 1e-5 <= threshold
}

/// Calls `callback` with every document whose score beats the threshold it
/// last returned (first `threshold`), as `Weight::for_each_pruning` does.
fn top_hits(mut cursors: Vec<Cursor>, mut threshold: Score, callback: &mut dyn FnMut(DocId, Score) -> Score) {
    cursors.sort_by(|a, b| a.max.total_cmp(&b.max));
    let n = cursors.len();
    // below[i]: the most the first i fields (smallest bounds) can add.
    let mut below = vec![0.0; n + 1];
    for i in 0..n {
        below[i + 1] = below[i] + cursors[i].max;
    }
    let total = below[n];
    // without[k]: the most the other fields can add (summed, not
    // subtracted, so that no rounding hides a candidate).
    let without: Vec<Score> =
        (0..n).map(|k| cursors.iter().enumerate().filter(|(j, _)| *j != k).map(|(_, c)| c.max).sum()).collect();
    loop {
        if n == 0 || cannot_beat(total, threshold) {
            return;
        }
        // Required: without that field's word nothing can beat the
        // threshold. Bounds ascend, so the required fields are a suffix.
        let mut required = n;
        while required > 0 && cannot_beat(without[required - 1], threshold) {
            required -= 1;
        }
        let (driving, doc) = if required < n {
            (required, intersect(&mut cursors[required..], below[required], threshold))
        } else {
            // Essential: the fields after the longest prefix whose bounds
            // together cannot beat the threshold.
            let mut essential = 0;
            while essential < n && cannot_beat(below[essential + 1], threshold) {
                essential += 1;
            }
            let doc = cursors[essential..].iter().map(Cursor::doc).min().unwrap_or(TERMINATED);
            (essential, doc)
        };
        if doc == TERMINATED {
            return;
        }
        let mut bound: Score = cursors[driving..].iter().filter(|c| c.doc() == doc).map(Cursor::score).sum();
        let mut candidate = true;
        for i in (0..driving).rev() {
            if cannot_beat(bound + below[i + 1], threshold) {
                candidate = false;
                break;
            }
            let cursor = &mut cursors[i];
            cursor.seek(doc);
            if cursor.doc() == doc {
                bound += cursor.score();
            }
        }
        if candidate {
            let score = score_in_clause_order(&cursors, doc);
            if score > threshold {
                // The bar never comes down: fields left behind (a probed
                // body still on this document) would offer it again.
                threshold = callback(doc, score).max(threshold);
            }
        }
        for cursor in &mut cursors[driving..] {
            if cursor.doc() == doc {
                cursor.advance();
            }
        }
    }
}

/// The first document all of `cursors` hold, from where they are, that
/// could score more than `threshold` with at most `rest` from the other
/// fields: blocks whose best scores together cannot are skipped whole.
fn intersect(cursors: &mut [Cursor], rest: Score, threshold: Score) -> DocId {
    let mut target = cursors.iter().map(Cursor::doc).max().unwrap_or(TERMINATED);
    loop {
        if target == TERMINATED {
            return TERMINATED;
        }
        for cursor in cursors.iter_mut() {
            cursor.seek(target);
            if cursor.doc() == TERMINATED {
                return TERMINATED;
            }
        }
        let bound = cursors.iter_mut().map(Cursor::block_max).sum::<Score>() + rest;
        if cannot_beat(bound, threshold) {
            // Nothing up to the end of the first block to end can.
            let end = cursors.iter().map(Cursor::block_end).min().unwrap_or(TERMINATED);
            target = end.saturating_add(1).min(TERMINATED);
            continue;
        }
        let furthest = cursors.iter().map(Cursor::doc).max().unwrap_or(TERMINATED);
        if furthest == target {
            return target;
        }
        target = furthest;
    }
}

/// The document's score as the union scorer sums it: from zero, each field
/// holding the word in the clauses' order (all fields are positioned at or
/// past `doc`).
fn score_in_clause_order(cursors: &[Cursor], doc: DocId) -> Score {
    let mut parts: Vec<(usize, Score)> =
        cursors.iter().filter(|c| c.doc() == doc).map(|c| (c.clause, c.score())).collect();
    parts.sort_by_key(|(clause, _)| *clause);
    parts.into_iter().fold(0.0, |sum, (_, score)| sum + score)
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use tantivy::indexer::NoMergePolicy;
    use tantivy::{DocAddress, DocSet, TantivyDocument};

    use super::*;
    use crate::search::collect::{HitKey, HitOrder, KeyValue, TopHits};
    use crate::search::schema;
    use crate::work::Budget;

    /// Top hits through MaxScore equal every match scored by the union's
    /// own scorer and ordered (same scores to the bit, ties by id), from
    /// the start and after a keyset, over many segments with deletions,
    /// for words from everywhere to nearly nowhere.
    #[test]
    fn top_hits_equal_scoring_every_match_with_the_union() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let (index, fields, mut writer) = schema::in_ram();
        writer.set_merge_policy(Box::new(NoMergePolicy));
        // Segments of a thousand documents (full blocks of 128 postings,
        // skipped whole) and a dozen small ones (only a last, short block).
        let docs = 4200u64;
        let filler = ["trade", "minister", "japan", "talks", "economy", "forum", "region"];
        for id in 0..docs {
            let mut doc = TantivyDocument::default();
            doc.add_u64(fields.id, id);
            let mut text = |p_word: f64, words: usize| {
                let mut out: Vec<&str> = Vec::new();
                for _ in 0..rng.random_range(1..words) {
                    out.push(if rng.random_bool(p_word) { "alpha" } else { filler[rng.random_range(0..filler.len())] });
                }
                out.join(" ")
            };
            let (title, summary, body) = (text(0.15, 8), text(0.1, 30), text(0.05, 300));
            doc.add_text(fields.title, title);
            doc.add_text(fields.summary, summary);
            doc.add_text(fields.body, body);
            writer.add_document(doc).unwrap();
            if id % 1000 == 999 || (id > 3000 && id % 97 == 96) {
                writer.commit().unwrap();
            }
        }
        for id in (0..docs).step_by(13) {
            writer.delete_term(Term::from_field_u64(fields.id, id));
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() >= 10, "many segments");
        for word in ["alpha", "trade", "forum", "nowhere"] {
            let clauses: Vec<(Term, Score)> = [(fields.title, 3.0), (fields.summary, 1.5), (fields.body, 1.0)]
                .into_iter()
                .map(|(f, boost)| (Term::from_field_text(f, word), boost))
                .collect();
            let query = WordInFields::new(clauses);
            let weight = query.weight(EnableScoring::enabled_from_searcher(&searcher)).unwrap();
            let mut expected: Vec<HitKey> = Vec::new();
            for (ord, reader) in searcher.segment_readers().iter().enumerate() {
                let ids = reader.fast_fields().u64("id").unwrap();
                let mut scorer = weight.scorer(reader, 1.0).unwrap();
                while scorer.doc() != TERMINATED {
                    let doc = scorer.doc();
                    if reader.alive_bitset().is_none_or(|a| a.is_alive(doc)) {
                        expected.push(HitKey {
                            value: KeyValue::Score(scorer.score()),
                            id: ids.first(doc).unwrap(),
                            doc: Some(DocAddress::new(ord as u32, doc)),
                        });
                    }
                    scorer.advance();
                }
            }
            expected.sort_by(|a, b| HitOrder::Relevance.cmp(a, b));
            let strip =
                |hits: &[HitKey]| -> Vec<(KeyValue, u64)> { hits.iter().map(|h| (h.value.clone(), h.id)).collect() };
            let sorted = |hits: Vec<HitKey>| {
                let mut hits = hits;
                hits.sort_by(|a, b| HitOrder::Relevance.cmp(a, b));
                strip(&hits)
            };
            if word == "nowhere" {
                assert!(expected.is_empty());
            } else {
                assert!(expected.len() > 300, "{word}: many matches");
            }
            for keep in [1, 5, 20, 400] {
                let keep_n = keep.min(expected.len());
                let top = TopHits::new(HitOrder::Relevance, None, keep, Budget::unlimited());
                assert_eq!(
                    sorted(searcher.search(&query, &top).unwrap()),
                    strip(&expected[..keep_n]),
                    "{word} top {keep}"
                );
                if expected.len() > keep {
                    let after = expected[keep - 1].clone();
                    let next = TopHits::new(HitOrder::Relevance, Some(after), keep, Budget::unlimited());
                    let want = &expected[keep..(2 * keep).min(expected.len())];
                    assert_eq!(
                        sorted(searcher.search(&query, &next).unwrap()),
                        strip(want),
                        "{word}: {keep} after {keep}"
                    );
                }
            }
        }
    }
}
