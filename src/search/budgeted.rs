//! A query wrapper whose scorer stops when the request's budget runs out.
//!
//! Collectors check the budget between documents, but one `advance` of a
//! phrase scorer may walk a whole segment looking for the next document
//! where the words stand together (and an intersection of several phrases
//! walks it once per candidate). Wrapping each phrase makes those inner
//! loops stop too: past the deadline, or once the client has gone, the
//! wrapped scorer reports that it has no more documents, the enclosing
//! intersection or union ends, and the caller sees the exhausted budget and
//! answers 503 instead of a partial result.
//!
//! Only phrases are wrapped: single terms are cheap per step, and unions
//! of bare term scorers keep tantivy's block-max WAND, which requires them
//! unwrapped.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, Term, TERMINATED};

use crate::work::Budget;

/// Steps between two looks at the clock.
const STEPS_PER_CHECK: u32 = 64;

#[derive(Debug)]
pub struct Budgeted {
    inner: Box<dyn Query>,
    budget: Budget,
}

impl Clone for Budgeted {
    fn clone(&self) -> Self {
        Budgeted { inner: self.inner.box_clone(), budget: self.budget.clone() }
    }
}

impl Budgeted {
    pub fn wrap(inner: Box<dyn Query>, budget: &Budget) -> Box<dyn Query> {
        Box::new(Budgeted { inner, budget: budget.clone() })
    }
}

impl Query for Budgeted {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(BudgetedWeight { inner: self.inner.weight(scoring)?, budget: self.budget.clone() }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor)
    }
}

struct BudgetedWeight {
    inner: Box<dyn Weight>,
    budget: Budget,
}

impl Weight for BudgetedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        Ok(Box::new(BudgetedScorer { inner, budget: self.budget.clone(), steps: 0, stopped: false }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

struct BudgetedScorer {
    inner: Box<dyn Scorer>,
    budget: Budget,
    steps: u32,
    stopped: bool,
}

impl BudgetedScorer {
    fn out_of_budget(&mut self) -> bool {
        if !self.stopped {
            self.steps += 1;
            if self.steps >= STEPS_PER_CHECK {
                self.steps = 0;
                self.stopped = self.budget.exhausted();
            }
        }
        self.stopped
    }
}

impl DocSet for BudgetedScorer {
    fn advance(&mut self) -> DocId {
        if self.out_of_budget() {
            return TERMINATED;
        }
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.out_of_budget() {
            return TERMINATED;
        }
        self.inner.seek(target)
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        if self.out_of_budget() {
            return SeekDangerResult::SeekLowerBound(TERMINATED);
        }
        self.inner.seek_danger(target)
    }

    fn doc(&self) -> DocId {
        if self.stopped {
            TERMINATED
        } else {
            self.inner.doc()
        }
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for BudgetedScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tantivy::collector::Count;
    use tantivy::query::{AllQuery, PhraseQuery, Query};
    use tantivy::{Index, TantivyDocument, Term};

    use super::Budgeted;
    use crate::search::collect::{HitOrder, TopHits};
    use crate::search::schema;
    use crate::work::Budget;

    const DOCS: u64 = 20_000;

    /// An index of `DOCS` documents whose bodies all hold "security policy".
    fn index() -> (Index, schema::Fields) {
        let (index, fields, mut writer) = schema::in_ram();
        for id in 0..DOCS {
            let mut doc = TantivyDocument::default();
            doc.add_u64(fields.id, id);
            doc.add_text(fields.body, "a security policy for the region");
            doc.add_i64(fields.published, id as i64);
            doc.add_u64(fields.year, 2000 + id % 20);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index, fields)
    }

    fn phrase(fields: &schema::Fields) -> Box<dyn Query> {
        let terms = ["secur", "polici"].iter().map(|t| Term::from_field_text(fields.body, t)).collect();
        Box::new(PhraseQuery::new(terms))
    }

    /// A budget that has run out (its client went away).
    fn spent() -> Budget {
        let (budget, guard) = Budget::new(Duration::from_secs(60));
        drop(guard);
        budget
    }

    #[test]
    fn a_phrase_stops_matching_when_the_budget_runs_out() {
        let (index, fields) = index();
        let searcher = index.reader().unwrap().searcher();
        let unlimited = Budgeted::wrap(phrase(&fields), &Budget::unlimited());
        assert_eq!(searcher.search(&*unlimited, &Count).unwrap(), DOCS as usize);
        let stopped = Budgeted::wrap(phrase(&fields), &spent());
        let counted = searcher.search(&*stopped, &Count).unwrap();
        assert!(counted < 100, "stopped after {counted} documents");
    }

    #[test]
    fn collectors_stop_when_the_budget_runs_out() {
        let (index, _) = index();
        let searcher = index.reader().unwrap().searcher();
        let top = |budget: Budget| TopHits::new(HitOrder::Published { descending: true }, None, DOCS as usize, budget);
        assert_eq!(searcher.search(&AllQuery, &top(Budget::unlimited())).unwrap().len(), DOCS as usize);
        let kept = searcher.search(&AllQuery, &top(spent())).unwrap().len();
        assert!(kept <= 1024, "kept {kept} hits");
    }
}
