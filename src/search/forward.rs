//! Each document's values of one counted field, held in memory and compact,
//! for counting facets by reading the values of each matching document.
//!
//! Values are stored as ordinals into the field's sorted distinct values,
//! in a fixed number of slots per document, as narrow as the number of
//! distinct values allows (a byte for up to 254 values: topics, regions,
//! years, types …; two for authors). At a million articles a matching set
//! is read across several megabytes of these arrays, so their width is what
//! the count costs: a quarter of the `u32` document-and-offset layout they
//! replace. The few documents with more values than slots keep them aside.

use std::collections::{HashMap, HashSet};

/// One field's values per document.
pub struct Forward {
    /// The field's distinct values, ascending: ordinal `i` stands for `values[i]`.
    values: Vec<u64>,
    /// Slots per document (at least one).
    slots: usize,
    cells: Cells,
    /// The ordinals of each document holding more values than `slots`
    /// (its first slot holds `MORE`).
    overflow: HashMap<u32, Vec<u32>>,
}

/// `slots` cells per document, each an ordinal, `NONE` (no more values) or
/// `MORE` (in the first slot: the values are in `overflow`).
enum Cells {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

trait Cell: Copy + Eq {
    const NONE: Self;
    const MORE: Self;
    /// Ordinals below this fit.
    const ORDINALS: u64;
    fn from_ordinal(ordinal: u32) -> Self;
    fn ordinal(self) -> usize;
}

macro_rules! cell {
    ($t:ty) => {
        impl Cell for $t {
            const NONE: Self = <$t>::MAX;
            const MORE: Self = <$t>::MAX - 1;
            const ORDINALS: u64 = <$t>::MAX as u64 - 1;
            fn from_ordinal(ordinal: u32) -> Self {
                ordinal as $t
            }
            fn ordinal(self) -> usize {
                self as usize
            }
        }
    };
}
cell!(u8);
cell!(u16);
cell!(u32);

/// At most this share of documents (1 in N) may hold more values than the
/// slots, which sets the number of slots.
const OVERFLOW_SHARE: usize = 64;

impl Forward {
    /// Read each of `max_doc` documents' values with `read` (a value held
    /// twice by a document counts once).
    pub fn build(max_doc: u32, mut read: impl FnMut(u32, &mut Vec<u64>)) -> Forward {
        let mut starts = Vec::with_capacity(max_doc as usize + 1);
        let mut all = Vec::with_capacity(max_doc as usize);
        let mut held = Vec::new();
        for doc in 0..max_doc {
            held.clear();
            read(doc, &mut held);
            held.sort_unstable();
            held.dedup();
            starts.push(all.len());
            all.extend_from_slice(&held);
        }
        starts.push(all.len());
        let mut values: Vec<u64> = all.iter().copied().collect::<HashSet<u64>>().into_iter().collect();
        values.sort_unstable();
        let ordinal: HashMap<u64, u32> = values.iter().enumerate().map(|(i, v)| (*v, i as u32)).collect();
        let held_by = |doc: usize| all[starts[doc]..starts[doc + 1]].iter().map(|v| ordinal[v]);
        let slots = slots_for(max_doc as usize, |doc| starts[doc + 1] - starts[doc]);
        let distinct = values.len() as u64;
        let mut overflow = HashMap::new();
        let cells = if distinct < u8::ORDINALS {
            Cells::U8(fill(max_doc, slots, held_by, &mut overflow))
        } else if distinct < u16::ORDINALS {
            Cells::U16(fill(max_doc, slots, held_by, &mut overflow))
        } else {
            Cells::U32(fill(max_doc, slots, held_by, &mut overflow))
        };
        Forward { values, slots, cells, overflow }
    }

    /// How many distinct values the field has (the length of the counts).
    pub fn width(&self) -> usize {
        self.values.len()
    }

    /// The value an ordinal stands for.
    pub fn value(&self, ordinal: usize) -> u64 {
        self.values[ordinal]
    }

    /// Add one to `counts[ordinal]` for each value of each of `docs`
    /// (`counts` is `width()` long).
    pub fn count(&self, docs: &[u32], counts: &mut [u32]) {
        match &self.cells {
            Cells::U8(cells) => count_cells(cells, self.slots, &self.overflow, docs, counts),
            Cells::U16(cells) => count_cells(cells, self.slots, &self.overflow, docs, counts),
            Cells::U32(cells) => count_cells(cells, self.slots, &self.overflow, docs, counts),
        }
    }
}

/// The fewest slots that leave at most one document in `OVERFLOW_SHARE`
/// with more values than slots.
fn slots_for(max_doc: usize, held: impl Fn(usize) -> usize) -> usize {
    let mut documents_holding: Vec<usize> = Vec::new();
    for doc in 0..max_doc {
        let n = held(doc);
        if documents_holding.len() <= n {
            documents_holding.resize(n + 1, 0);
        }
        documents_holding[n] += 1;
    }
    let mut more = max_doc;
    for (slots, n) in documents_holding.iter().enumerate() {
        more -= n;
        if slots >= 1 && more * OVERFLOW_SHARE <= max_doc {
            return slots;
        }
    }
    1
}

fn fill<T: Cell, I: Iterator<Item = u32>>(
    max_doc: u32,
    slots: usize,
    held_by: impl Fn(usize) -> I,
    overflow: &mut HashMap<u32, Vec<u32>>,
) -> Vec<T> {
    let mut cells = vec![T::NONE; max_doc as usize * slots];
    for doc in 0..max_doc as usize {
        let ordinals: Vec<u32> = held_by(doc).collect();
        let row = &mut cells[doc * slots..(doc + 1) * slots];
        if ordinals.len() > slots {
            row[0] = T::MORE;
            overflow.insert(doc as u32, ordinals);
        } else {
            for (cell, ordinal) in row.iter_mut().zip(ordinals) {
                *cell = T::from_ordinal(ordinal);
            }
        }
    }
    cells
}

fn count_cells<T: Cell>(
    cells: &[T],
    slots: usize,
    overflow: &HashMap<u32, Vec<u32>>,
    docs: &[u32],
    counts: &mut [u32],
) {
    let spilled = |doc: u32, counts: &mut [u32]| {
        for ordinal in overflow.get(&doc).into_iter().flatten() {
            counts[*ordinal as usize] += 1;
        }
    };
    if slots == 1 {
        // Most fields: one value a document, a tight loop.
        for &doc in docs {
            match cells.get(doc as usize) {
                Some(&c) if c == T::NONE => {}
                Some(&c) if c == T::MORE => spilled(doc, counts),
                Some(&c) => counts[c.ordinal()] += 1,
                None => {}
            }
        }
        return;
    }
    for &doc in docs {
        let at = doc as usize * slots;
        let Some(row) = cells.get(at..at + slots) else { continue };
        if row[0] == T::MORE {
            spilled(doc, counts);
            continue;
        }
        for &c in row {
            if c == T::NONE {
                break;
            }
            counts[c.ordinal()] += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};

    use super::*;

    /// Counts by reading the compact arrays equal counts made from the
    /// values themselves, for each cell width, one or many slots, and
    /// documents with more values than slots.
    #[test]
    fn counts_equal_the_values_counted_directly() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        // (distinct values, most values a document, share with many)
        for (distinct, most) in [(3u64, 1usize), (200, 1), (254, 3), (300, 2), (70_000, 1), (40, 9)] {
            let max_doc = 5_000u32;
            let pool: Vec<u64> = (0..distinct).map(|i| i * 7_919 + 3).collect();
            let held: Vec<Vec<u64>> = (0..max_doc)
                .map(|_| {
                    let n = if rng.random_bool(0.01) { most + 5 } else { rng.random_range(0..=most) };
                    (0..n).map(|_| pool[rng.random_range(0..pool.len())]).collect()
                })
                .collect();
            let forward = Forward::build(max_doc, |doc, into| into.extend(&held[doc as usize]));
            let docs: Vec<u32> = (0..max_doc).filter(|_| rng.random_bool(0.3)).collect();
            let mut counts = vec![0u32; forward.width()];
            forward.count(&docs, &mut counts);
            let got: HashMap<u64, u32> =
                counts.iter().enumerate().filter(|(_, n)| **n > 0).map(|(o, n)| (forward.value(o), *n)).collect();
            let mut expected: HashMap<u64, u32> = HashMap::new();
            for doc in &docs {
                let mut values = held[*doc as usize].clone();
                values.sort_unstable();
                values.dedup();
                for v in values {
                    *expected.entry(v).or_default() += 1;
                }
            }
            assert_eq!(got, expected, "{distinct} values, up to {most} a document");
        }
    }

    #[test]
    fn cells_are_as_narrow_as_the_values_allow() {
        let narrow = Forward::build(10, |doc, into| into.push(u64::from(doc) * 1_000_000));
        assert!(matches!(narrow.cells, Cells::U8(_)));
        let wide = Forward::build(300, |doc, into| into.push(u64::from(doc)));
        assert!(matches!(wide.cells, Cells::U16(_)));
    }

    #[test]
    fn slots_leave_few_documents_aside() {
        // 90% hold 1 value, 9% hold 2, 1% hold 5: two slots.
        let held = |doc: usize| match doc % 100 {
            0 => 5,
            1..=9 => 2,
            _ => 1,
        };
        assert_eq!(slots_for(10_000, held), 2);
        assert_eq!(slots_for(10_000, |_| 0), 1);
        assert_eq!(slots_for(10_000, |_| 3), 3);
    }
}
