//! Counts per value, added up segment by segment.

use crate::search::collect::{CountKey, ValueCounts};

/// Matching articles per value, while counting segment by segment:
/// numbers within a window of `DENSE` values (ids, type codes, years,
/// months) by value in a vector, others in a map. Every segment adds up to
/// thousands of authors; a vector takes each as an addition where a map
/// took a hash and a lookup (a tenth of a facet request, with its growth).
#[derive(Default)]
pub(super) struct Tally {
    /// The value `dense[0]` counts.
    low: u64,
    dense: Vec<u64>,
    sparse: ValueCounts,
}

/// The widest window of numbers counted by value in a vector.
const DENSE: u64 = 1 << 15;

impl Tally {
    pub(super) fn add(&mut self, value: u64, n: u64) {
        if n == 0 {
            return;
        }
        if self.dense.is_empty() {
            self.low = value;
        }
        if value < self.low && self.low - value + self.dense.len() as u64 <= DENSE {
            // Widened downwards (a later segment's smaller values): once.
            let mut wider = vec![0; (self.low - value) as usize];
            wider.extend_from_slice(&self.dense);
            self.dense = wider;
            self.low = value;
        }
        match value.checked_sub(self.low).filter(|at| *at < DENSE) {
            Some(at) => {
                let at = at as usize;
                if self.dense.len() <= at {
                    self.dense.resize(at + 1, 0);
                }
                self.dense[at] += n;
            }
            None => *self.sparse.entry(CountKey::Number(value)).or_default() += n,
        }
    }

    /// What has been counted for `value`.
    pub(super) fn get(&self, value: Value<'_>) -> u64 {
        match value {
            Value::Number(v) => match v.checked_sub(self.low).filter(|at| *at < DENSE) {
                Some(at) if !self.dense.is_empty() => self.dense.get(at as usize).copied().unwrap_or(0),
                _ => self.sparse.get(&CountKey::Number(v)).copied().unwrap_or(0),
            },
            Value::Text(tag) => self.sparse.get(&CountKey::Text(tag.to_owned())).copied().unwrap_or(0),
        }
    }

    pub(super) fn add_text(&mut self, tag: &str, n: u64) {
        if n > 0 {
            *self.sparse.entry(CountKey::Text(tag.to_owned())).or_default() += n;
        }
    }

    /// Each counted value once, with its count, in no particular order (a
    /// value is counted either in the window or in the map, never both).
    pub(super) fn into_counts(self) -> Vec<(CountKey, u64)> {
        let low = self.low;
        let dense = self.dense.into_iter().enumerate().filter(|(_, n)| *n > 0);
        let mut counts: Vec<(CountKey, u64)> = dense.map(|(at, n)| (CountKey::Number(low + at as u64), n)).collect();
        counts.extend(self.sparse);
        counts
    }
}

/// A counted value: a number, or a language tag.
#[derive(Debug, Clone, Copy)]
pub(super) enum Value<'a> {
    Number(u64),
    Text(&'a str),
}
