//! A segment's matching documents, as collected and as counted.

use std::cell::OnceCell;

use roaring::RoaringBitmap;

/// The documents a query matches in a segment, as they come (in ascending
/// order): a list while few, a bitset once more than one in 64 of the
/// segment's documents. A common word matches nearly every article, and
/// adding each to a roaring bitmap was half of its facets' time.
pub(super) struct Collected {
    max_doc: u32,
    list: Vec<u32>,
    /// A bit per document (least significant first), once dense.
    bits: Vec<u8>,
}

impl Collected {
    pub(super) fn new(max_doc: u32) -> Collected {
        Collected { max_doc, list: Vec::new(), bits: Vec::new() }
    }

    fn set(bits: &mut [u8], doc: u32) {
        bits[(doc / 8) as usize] |= 1 << (doc % 8);
    }

    pub(super) fn extend(&mut self, docs: &[u32]) {
        if self.bits.is_empty() {
            self.list.extend_from_slice(docs);
            if self.list.len() as u64 * 64 > u64::from(self.max_doc) {
                self.bits = vec![0; self.max_doc.div_ceil(8) as usize];
                for doc in self.list.drain(..) {
                    Collected::set(&mut self.bits, doc);
                }
            }
        } else {
            for doc in docs {
                Collected::set(&mut self.bits, *doc);
            }
        }
    }

    /// Whether the documents are held as bits.
    #[cfg(test)]
    pub(super) fn is_dense(&self) -> bool {
        !self.bits.is_empty()
    }

    pub(super) fn into_bitmap(self) -> RoaringBitmap {
        if self.bits.is_empty() {
            let mut bitmap = RoaringBitmap::new();
            // Ascending, so every document is taken.
            let _ = bitmap.append(self.list);
            bitmap
        } else {
            RoaringBitmap::from_lsb0_bytes(0, &self.bits)
        }
    }
}

/// A set of matching documents of a segment, and (when first needed) the
/// same as a list: several dimensions may read the values of each.
pub(super) struct Matching {
    pub(super) set: RoaringBitmap,
    list: OnceCell<Vec<u32>>,
}

impl Matching {
    pub(super) fn new(set: RoaringBitmap) -> Matching {
        Matching { set, list: OnceCell::new() }
    }

    pub(super) fn list(&self) -> &[u32] {
        self.list.get_or_init(|| self.set.iter().collect())
    }
}
