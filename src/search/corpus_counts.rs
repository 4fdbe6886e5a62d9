//! Facet counts over the whole corpus, kept per index generation.
//!
//! Disjunctive faceting counts a filtered dimension without its own filter,
//! so `topic=x&facets=topic` counts topics over every article: the same
//! answer for every request until the index changes. It is computed once
//! per searcher generation (one pass per dimension not yet counted) and
//! reused; requests with words or other filters count their own matches.

use std::collections::HashMap;
use std::sync::Mutex;

use tantivy::query::AllQuery;
use tantivy::Searcher;

use super::collect::{CountKey, Counted, ValueCounts};
use crate::work::Budget;

type Counts = HashMap<CountKey, u64>;

#[derive(Default)]
pub struct CorpusCounts {
    state: Mutex<(u64, HashMap<Counted, Counts>)>,
}

impl CorpusCounts {
    /// The counts of `dims` over every document `searcher` sees. Counts cut
    /// short by the budget are returned (the caller checks the budget) but
    /// never kept.
    pub fn get(&self, searcher: &Searcher, dims: &[Counted], budget: &Budget) -> tantivy::Result<Vec<Counts>> {
        let generation = searcher.generation().generation_id();
        let mut state = self.state.lock().expect("not poisoned");
        if generation < state.0 {
            // An older state (a cursor's): count it without evicting the
            // current one.
            return count(searcher, dims, budget);
        }
        if generation > state.0 {
            *state = (generation, HashMap::new());
        }
        let missing: Vec<Counted> = dims.iter().copied().filter(|d| !state.1.contains_key(d)).collect();
        if !missing.is_empty() {
            let counted = count(searcher, &missing, budget)?;
            if budget.exhausted() {
                return Ok(counted);
            }
            state.1.extend(missing.into_iter().zip(counted));
        }
        Ok(dims.iter().map(|d| state.1.get(d).cloned().unwrap_or_default()).collect())
    }
}

fn count(searcher: &Searcher, dims: &[Counted], budget: &Budget) -> tantivy::Result<Vec<Counts>> {
    searcher.search(&AllQuery, &ValueCounts { dims: dims.to_vec(), budget: budget.clone() })
}
