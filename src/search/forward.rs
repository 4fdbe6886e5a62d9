//! Each document's values of one counted field, held in memory and compact,
//! for counting facets by reading the values of each matching document.
//!
//! Values are stored as ordinals into the field's sorted distinct values,
//! in a fixed number of slots per document, as narrow as the number of
//! distinct values allows (a byte for up to 254 values: topics, regions,
//! years, types …; two for authors). At a million articles a matching set
//! is read across several megabytes of these arrays: a byte or two per
//! value, where the layout they replace took four, and four more for each
//! document's offset. The few documents with more values than slots keep
//! them aside.

use std::collections::{HashMap, HashSet};

use roaring::RoaringBitmap;

/// One field's values per document.
pub struct Forward {
    /// The field's distinct values, ascending: ordinal `i` stands for `values[i]`.
    values: Vec<u64>,
    /// Slots per document (at least one).
    slots: usize,
    cells: Cells,
    /// The ordinals of each document holding more values than `slots`
    /// (its first slot holds the mark for more).
    overflow: HashMap<u32, Vec<u32>>,
}

/// `slots` cells per document, each an ordinal, or one of the two marks
/// after the last ordinal: `width` (no more values) or, in the first slot,
/// `width + 1` (the values are in `overflow`). Counting then adds one to
/// every cell's counter without a test, and drops the marks' counters.
enum Cells {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

trait Cell: Copy {
    /// How many ordinals (marks included) a cell can hold.
    const ORDINALS: u64;
    fn from_ordinal(ordinal: u32) -> Self;
    fn ordinal(self) -> usize;
}

macro_rules! cell {
    ($t:ty) => {
        impl Cell for $t {
            const ORDINALS: u64 = <$t>::MAX as u64 + 1;
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
        let width = values.len() as u32;
        let mut overflow = HashMap::new();
        let with_marks = u64::from(width) + 2;
        let cells = if with_marks <= u8::ORDINALS {
            Cells::U8(fill(max_doc, slots, width, held_by, &mut overflow))
        } else if with_marks <= u16::ORDINALS {
            Cells::U16(fill(max_doc, slots, width, held_by, &mut overflow))
        } else {
            Cells::U32(fill(max_doc, slots, width, held_by, &mut overflow))
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

    /// Add one to `counts[ordinal]` for each value of each document of
    /// `set`, listed in `list` (`counts` is `width()` long).
    pub fn count(&self, list: &[u32], set: &RoaringBitmap, counts: &mut [u32]) {
        let (none, more) = (self.width(), self.width() + 1);
        let mut tallies = vec![0u32; self.width() + 2];
        match &self.cells {
            Cells::U8(cells) => tally(cells, self.slots, list, &mut tallies),
            Cells::U16(cells) => tally(cells, self.slots, list, &mut tallies),
            Cells::U32(cells) => tally(cells, self.slots, list, &mut tallies),
        }
        // The documents whose values are aside: as many as were counted
        // under the mark, looked for among the few aside.
        let mut aside = tallies[more];
        for (doc, ordinals) in &self.overflow {
            if aside == 0 {
                break;
            }
            if set.contains(*doc) {
                aside -= 1;
                for ordinal in ordinals {
                    counts[*ordinal as usize] += 1;
                }
            }
        }
        for (count, tally) in counts.iter_mut().zip(&tallies[..none]) {
            *count += tally;
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

/// The cells of every document: its ordinals, then `width` (none) in the
/// slots left; or `width + 1` (more) and all its ordinals in `overflow`.
fn fill<T: Cell, I: Iterator<Item = u32>>(
    max_doc: u32,
    slots: usize,
    width: u32,
    held_by: impl Fn(usize) -> I,
    overflow: &mut HashMap<u32, Vec<u32>>,
) -> Vec<T> {
    let mut cells = vec![T::from_ordinal(width); max_doc as usize * slots];
    for doc in 0..max_doc as usize {
        let ordinals: Vec<u32> = held_by(doc).collect();
        let row = &mut cells[doc * slots..(doc + 1) * slots];
        if ordinals.len() > slots {
            row[0] = T::from_ordinal(width + 1);
            overflow.insert(doc as u32, ordinals);
        } else {
            for (cell, ordinal) in row.iter_mut().zip(ordinals) {
                *cell = T::from_ordinal(ordinal);
            }
        }
    }
    cells
}

/// Add one to the tally of every cell of each of `docs` (no test per
/// cell: a branch on how many values a document holds is mispredicted
/// about once a document).
fn tally<T: Cell>(cells: &[T], slots: usize, docs: &[u32], tallies: &mut [u32]) {
    for (i, &doc) in docs.iter().enumerate() {
        if let Some(&ahead) = docs.get(i + PREFETCH_AHEAD) {
            prefetch(cells, ahead as usize * slots);
        }
        let at = doc as usize * slots;
        for c in cells.get(at..at + slots).into_iter().flatten() {
            tallies[c.ordinal()] += 1;
        }
    }
}

/// How many documents ahead `tally` asks for the cells: in a set spread
/// over a large segment nearly every document's cells are in another cache
/// line, and reading them one after another waits on memory each time.
const PREFETCH_AHEAD: usize = 16;

/// Ask the processor to load `cells[at]` into the cache (a hint: no fault,
/// no effect on results).
#[cfg(target_arch = "x86_64")]
fn prefetch<T>(cells: &[T], at: usize) {
    use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
    if at < cells.len() {
        // SAFETY: a prefetch reads nothing the program sees and cannot
        // fault; the address is inside `cells` anyway, and SSE is part of
        // every x86_64 processor.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(cells.as_ptr().wrapping_add(at).cast()) };
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn prefetch<T>(_: &[T], _: usize) {}

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
        for (distinct, most) in [(3u64, 1usize), (200, 1), (254, 3), (255, 2), (300, 2), (70_000, 1), (40, 9)] {
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
            let set = RoaringBitmap::from_sorted_iter(docs.iter().copied()).unwrap();
            let mut counts = vec![0u32; forward.width()];
            forward.count(&docs, &set, &mut counts);
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
        // 254 values and the two marks fill a byte.
        let full = Forward::build(254, |doc, into| into.push(u64::from(doc)));
        assert!(matches!(full.cells, Cells::U8(_)));
        let wide = Forward::build(255, |doc, into| into.push(u64::from(doc)));
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
