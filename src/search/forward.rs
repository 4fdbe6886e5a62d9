//! Each document's values of the counted fields, held in memory and
//! compact, for counting facets by reading the values of each matching
//! document.
//!
//! Values are stored as ordinals into each field's sorted distinct values,
//! in a fixed number of slots per document, as narrow as the number of
//! distinct values allows (a byte for up to 254 values: topics, regions,
//! years, types …; two for authors). The fields counted together sit side
//! by side in one row per document, so that counting several of them over
//! a set spread across a large segment loads each matching document's row
//! once, not once per field: at a million articles the eight facets of a
//! topic's articles read a few megabytes of rows where eight separate
//! arrays cost a cache miss per document and field. The few documents with
//! more values than slots keep them aside.

use std::collections::{HashMap, HashSet};

use roaring::RoaringBitmap;

/// The values of a few fields per document, one row each.
pub struct Forward {
    /// Bytes per document: every column's cells side by side.
    stride: usize,
    rows: Vec<u8>,
    columns: Vec<Column>,
}

/// One field's place in the rows: `slots` cells at `offset`, each an
/// ordinal, or one of the two marks after the last ordinal: `width` (no
/// more values) or, in the first slot, `width + 1` (the values are in
/// `overflow`). Counting then adds one to every cell's counter without a
/// test, and drops the marks' counters.
struct Column {
    /// The field's distinct values, ascending: ordinal `i` stands for `values[i]`.
    values: Vec<u64>,
    offset: usize,
    /// Slots per document (at least one).
    slots: usize,
    cell: CellWidth,
    /// The ordinals of each document holding more values than `slots`.
    overflow: HashMap<u32, Vec<u32>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CellWidth {
    U8,
    U16,
    U32,
}

impl CellWidth {
    /// The narrowest cell for `ordinals` ordinals (marks included).
    fn holding(ordinals: u64) -> CellWidth {
        if ordinals <= 1 << 8 {
            CellWidth::U8
        } else if ordinals <= 1 << 16 {
            CellWidth::U16
        } else {
            CellWidth::U32
        }
    }

    fn bytes(self) -> usize {
        match self {
            CellWidth::U8 => 1,
            CellWidth::U16 => 2,
            CellWidth::U32 => 4,
        }
    }

    fn write(self, at: &mut [u8], ordinal: u32) {
        let bytes = ordinal.to_le_bytes();
        at[..self.bytes()].copy_from_slice(&bytes[..self.bytes()]);
    }
}

/// Cells of a width known at compile time.
trait Cell {
    const BYTES: usize;
    /// Add one to the tally of each cell of `cells`.
    fn tally(cells: &[u8], tallies: &mut [u32]);
}

struct U8Cell;
struct U16Cell;
struct U32Cell;

impl Cell for U8Cell {
    const BYTES: usize = 1;
    fn tally(cells: &[u8], tallies: &mut [u32]) {
        for cell in cells {
            tallies[usize::from(*cell)] += 1;
        }
    }
}

impl Cell for U16Cell {
    const BYTES: usize = 2;
    fn tally(cells: &[u8], tallies: &mut [u32]) {
        for cell in cells.chunks_exact(2) {
            tallies[usize::from(u16::from_le_bytes([cell[0], cell[1]]))] += 1;
        }
    }
}

impl Cell for U32Cell {
    const BYTES: usize = 4;
    fn tally(cells: &[u8], tallies: &mut [u32]) {
        for cell in cells.chunks_exact(4) {
            tallies[u32::from_le_bytes([cell[0], cell[1], cell[2], cell[3]]) as usize] += 1;
        }
    }
}

/// At most this share of documents (1 in N) may hold more values than the
/// slots, which sets the number of slots.
const OVERFLOW_SHARE: usize = 64;

/// Documents counted together, all columns asked for, before the next
/// ones: their rows stay in the first-level cache from the first column's
/// pass to the last one's.
const BLOCK: usize = 128;

impl Forward {
    /// Read each of `max_doc` documents' values of each of `fields` columns
    /// with `read(column, doc, into)` (a value held twice by a document
    /// counts once). Each column is read twice, to size it, then to fill
    /// it, so that no copy of every value is held beside the rows.
    pub fn build(max_doc: u32, fields: usize, mut read: impl FnMut(usize, u32, &mut Vec<u64>)) -> Forward {
        let mut held = Vec::new();
        let mut columns = Vec::with_capacity(fields);
        let mut offset = 0;
        for field in 0..fields {
            let mut distinct = HashSet::new();
            let mut documents_holding: Vec<usize> = Vec::new();
            for doc in 0..max_doc {
                each_value(&mut read, field, doc, &mut held);
                distinct.extend(held.iter().copied());
                if documents_holding.len() <= held.len() {
                    documents_holding.resize(held.len() + 1, 0);
                }
                documents_holding[held.len()] += 1;
            }
            let mut values: Vec<u64> = distinct.into_iter().collect();
            values.sort_unstable();
            let slots = slots_for(max_doc as usize, &documents_holding);
            let cell = CellWidth::holding(values.len() as u64 + 2);
            columns.push(Column { values, offset, slots, cell, overflow: HashMap::new() });
            offset += slots * cell.bytes();
        }
        let stride = offset;
        let mut rows = vec![0u8; max_doc as usize * stride];
        for (field, column) in columns.iter_mut().enumerate() {
            let ordinal: HashMap<u64, u32> = column.values.iter().enumerate().map(|(i, v)| (*v, i as u32)).collect();
            let (width, bytes) = (column.values.len() as u32, column.cell.bytes());
            for doc in 0..max_doc {
                each_value(&mut read, field, doc, &mut held);
                let start = doc as usize * stride + column.offset;
                let cells = &mut rows[start..start + column.slots * bytes];
                for slot in cells.chunks_exact_mut(bytes) {
                    column.cell.write(slot, width);
                }
                if held.len() > column.slots {
                    column.cell.write(cells, width + 1);
                    column.overflow.insert(doc, held.iter().map(|v| ordinal[v]).collect());
                } else {
                    for (slot, value) in cells.chunks_exact_mut(bytes).zip(&held) {
                        column.cell.write(slot, ordinal[value]);
                    }
                }
            }
        }
        Forward { stride, rows, columns }
    }

    /// How many distinct values column `column` has (the length of its counts).
    pub fn width(&self, column: usize) -> usize {
        self.columns[column].values.len()
    }

    /// The value an ordinal of column `column` stands for.
    pub fn value(&self, column: usize, ordinal: usize) -> u64 {
        self.columns[column].values[ordinal]
    }

    /// For each of `columns`, how many of the documents of `set` (listed
    /// in `list`) hold each of the column's values: counts by ordinal,
    /// `width(column)` long.
    pub fn count(&self, list: &[u32], set: &RoaringBitmap, columns: &[usize]) -> Vec<Vec<u32>> {
        // Two more counters per column, for the marks.
        let mut tallies: Vec<Vec<u32>> = columns.iter().map(|c| vec![0u32; self.width(*c) + 2]).collect();
        for start in (0..list.len()).step_by(BLOCK) {
            let block = start..(start + BLOCK).min(list.len());
            for (i, (column, tallies)) in columns.iter().zip(&mut tallies).enumerate() {
                // The first column's pass asks for the rows ahead.
                let ahead = i == 0;
                let c = &self.columns[*column];
                let (rows, stride) = (&self.rows[..], self.stride);
                match c.cell {
                    CellWidth::U8 => tally::<U8Cell>(rows, stride, c, list, block.clone(), ahead, tallies),
                    CellWidth::U16 => tally::<U16Cell>(rows, stride, c, list, block.clone(), ahead, tallies),
                    CellWidth::U32 => tally::<U32Cell>(rows, stride, c, list, block.clone(), ahead, tallies),
                }
            }
        }
        for (column, counts) in columns.iter().zip(&mut tallies) {
            let c = &self.columns[*column];
            let (none, more) = (c.values.len(), c.values.len() + 1);
            // The documents whose values are aside: as many as were counted
            // under the mark, looked for among the few aside.
            let mut aside = counts[more];
            for (doc, ordinals) in &c.overflow {
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
            counts.truncate(none);
        }
        tallies
    }
}

/// `doc`'s values of column `field`, sorted, each once.
fn each_value(read: &mut impl FnMut(usize, u32, &mut Vec<u64>), field: usize, doc: u32, held: &mut Vec<u64>) {
    held.clear();
    read(field, doc, held);
    held.sort_unstable();
    held.dedup();
}

/// The fewest slots that leave at most one document in `OVERFLOW_SHARE`
/// with more values than slots (`documents_holding[n]` documents hold `n`
/// values).
fn slots_for(max_doc: usize, documents_holding: &[usize]) -> usize {
    let mut more = max_doc;
    for (slots, n) in documents_holding.iter().enumerate() {
        more -= n;
        if slots >= 1 && more * OVERFLOW_SHARE <= max_doc {
            return slots;
        }
    }
    1
}

/// Add one to the tally of every cell of `column` of each document of
/// `list[block]` (no test per cell: a branch on how many values a document
/// holds is mispredicted about once a document).
fn tally<C: Cell>(
    rows: &[u8],
    stride: usize,
    column: &Column,
    list: &[u32],
    block: std::ops::Range<usize>,
    ahead: bool,
    tallies: &mut [u32],
) {
    let len = column.slots * C::BYTES;
    for i in block {
        if ahead {
            if let Some(&next) = list.get(i + PREFETCH_AHEAD) {
                prefetch(rows, next as usize * stride + column.offset);
            }
        }
        let at = list[i] as usize * stride + column.offset;
        if let Some(cells) = rows.get(at..at + len) {
            C::tally(cells, tallies);
        }
    }
}

/// How many documents ahead `tally` asks for the rows: in a set spread
/// over a large segment nearly every document's row is in another cache
/// line, and reading them one after another waits on memory each time.
const PREFETCH_AHEAD: usize = 16;

/// Ask the processor to load `rows[at]` into the cache (a hint: no fault,
/// no effect on results).
#[cfg(target_arch = "x86_64")]
fn prefetch(rows: &[u8], at: usize) {
    use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
    if at < rows.len() {
        // SAFETY: a prefetch reads nothing the program sees and cannot
        // fault; the address is inside `rows` anyway, and SSE is part of
        // every x86_64 processor.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(rows.as_ptr().wrapping_add(at).cast()) };
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn prefetch(_: &[u8], _: usize) {}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};

    use super::*;

    /// Counts by reading the rows equal counts made from the values
    /// themselves, for each cell width, one or many slots, documents with
    /// more values than slots, and any choice of columns counted together.
    #[test]
    fn counts_equal_the_values_counted_directly() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        // (distinct values, most values a document): one column each.
        let shapes = [(3u64, 1usize), (200, 1), (254, 3), (255, 2), (300, 2), (70_000, 1), (40, 9)];
        let max_doc = 5_000u32;
        let held: Vec<Vec<Vec<u64>>> = shapes
            .iter()
            .map(|&(distinct, most)| {
                let pool: Vec<u64> = (0..distinct).map(|i| i * 7_919 + 3).collect();
                (0..max_doc)
                    .map(|_| {
                        let n = if rng.random_bool(0.01) { most + 5 } else { rng.random_range(0..=most) };
                        (0..n).map(|_| pool[rng.random_range(0..pool.len())]).collect()
                    })
                    .collect()
            })
            .collect();
        let forward =
            Forward::build(max_doc, shapes.len(), |column, doc, into| into.extend(&held[column][doc as usize]));
        for share in [0.001, 0.05, 0.3, 1.0] {
            let docs: Vec<u32> = (0..max_doc).filter(|_| rng.random_bool(share)).collect();
            let set = RoaringBitmap::from_sorted_iter(docs.iter().copied()).unwrap();
            let chosen: Vec<usize> = (0..shapes.len()).filter(|_| rng.random_bool(0.6)).collect();
            let counted = forward.count(&docs, &set, &chosen);
            for (column, counts) in chosen.iter().zip(&counted) {
                assert_eq!(counts.len(), forward.width(*column));
                let got: HashMap<u64, u32> = counts
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| **n > 0)
                    .map(|(o, n)| (forward.value(*column, o), *n))
                    .collect();
                let mut expected: HashMap<u64, u32> = HashMap::new();
                for doc in &docs {
                    let mut values = held[*column][*doc as usize].clone();
                    values.sort_unstable();
                    values.dedup();
                    for v in values {
                        *expected.entry(v).or_default() += 1;
                    }
                }
                let (distinct, most) = shapes[*column];
                assert_eq!(got, expected, "{distinct} values, up to {most} a document, {share} of the documents");
            }
        }
    }

    #[test]
    fn cells_are_as_narrow_as_the_values_allow() {
        let forward = Forward::build(255, 3, |column, doc, into| match column {
            0 => into.push(u64::from(doc % 10) * 1_000_000),
            // 254 values and the two marks fill a byte.
            1 => into.push(u64::from(doc.min(253))),
            _ => into.push(u64::from(doc)),
        });
        let cells: Vec<CellWidth> = forward.columns.iter().map(|c| c.cell).collect();
        assert_eq!(cells, [CellWidth::U8, CellWidth::U8, CellWidth::U16]);
        assert_eq!(forward.stride, 4);
        assert_eq!(CellWidth::holding(70_000), CellWidth::U32);
    }

    #[test]
    fn slots_leave_few_documents_aside() {
        // 90% hold 1 value, 9% hold 2, 1% hold 5: two slots.
        assert_eq!(slots_for(10_000, &[0, 9_000, 900, 0, 0, 100]), 2);
        assert_eq!(slots_for(10_000, &[10_000]), 1);
        assert_eq!(slots_for(10_000, &[0, 0, 0, 10_000]), 3);
    }
}
