//! Merging the segments a full build of the index leaves small.
//!
//! tantivy's merge policy (its log policy) merges segments of about one
//! size eight at a time, so a build ends with up to seven of each size it
//! went through: at 20k articles four of ~4.6k documents and one of ~1.5k,
//! at 100k two of ~37k and six of ~4.6k, at 1M three of ~295k and twelve
//! between 0.5k and 37k. Every segment costs a facet, histogram or sorted
//! request a pass of its own (the segment's sets, its ordinals mapped to
//! values, its kept counts), so many small ones cost more than their
//! documents. After a full build, those under a quarter of the largest or
//! under `FLOOR` documents are merged into one, once (~18 s for all of
//! 100k articles, ~29 s for the 114k small ones of 1M). Segments written
//! later, as the store changes, are left to the merge policy.

use tantivy::index::SegmentId;
use tantivy::{Index, IndexWriter};

/// Segments under 1/`SMALL` of the largest are merged.
const SMALL: u32 = 4;
/// And so are those under this many documents: a corpus of up to about
/// this size ends in one segment.
const FLOOR: u32 = 65_536;

/// Merge the segments under a quarter of the largest or under `FLOOR`
/// documents into one, waiting for the merge; returns how many were
/// merged (none unless two or more). The commit's payload (the change
/// applied) stays as it is; the merged segments' files are deleted once no
/// searcher holds them.
pub(super) fn merge_small_segments(index: &Index, writer: &mut IndexWriter) -> tantivy::Result<usize> {
    merge_under(index, writer, FLOOR)
}

fn merge_under(index: &Index, writer: &mut IndexWriter, floor: u32) -> tantivy::Result<usize> {
    // A merge the policy started meanwhile may take some of the same
    // segments and finish first, and ours is then refused: look again.
    let mut attempts = 0;
    loop {
        attempts += 1;
        match merge_once(index, writer, floor) {
            Err(e) if attempts < 3 => tracing::debug!(error = %e, "merging the small segments again"),
            done => return done,
        }
    }
}

fn merge_once(index: &Index, writer: &mut IndexWriter, floor: u32) -> tantivy::Result<usize> {
    let small: Vec<SegmentId> = {
        // The metas go before the merge: tantivy deletes a merged segment's
        // files once nothing holds its meta.
        let metas = index.searchable_segment_metas()?;
        let largest = metas.iter().map(|m| m.num_docs()).max().unwrap_or(0);
        let small = |docs: u32| docs * SMALL < largest || docs < floor;
        metas.iter().filter(|m| small(m.num_docs())).map(|m| m.id()).collect()
    };
    if small.len() < 2 {
        return Ok(0);
    }
    writer.merge(&small).wait()?;
    Ok(small.len())
}

#[cfg(test)]
mod tests {
    use tantivy::indexer::NoMergePolicy;
    use tantivy::query::AllQuery;
    use tantivy::{collector::Count, TantivyDocument};

    use super::*;
    use crate::search::schema;

    fn sizes(index: &Index) -> Vec<u32> {
        let mut sizes: Vec<u32> = index.searchable_segment_metas().unwrap().iter().map(|m| m.num_docs()).collect();
        sizes.sort_unstable();
        sizes
    }

    #[test]
    fn the_segments_under_a_quarter_of_the_largest_become_one_and_the_payload_stays() {
        let (index, fields, mut writer) = schema::in_ram();
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let mut id = 0u64;
        let mut add = |writer: &mut IndexWriter, n: u64| {
            for _ in 0..n {
                let mut doc = TantivyDocument::default();
                doc.add_u64(fields.id, id);
                doc.add_text(fields.body, "alpha");
                writer.add_document(doc).unwrap();
                id += 1;
            }
            let mut commit = writer.prepare_commit().unwrap();
            commit.set_payload("42");
            commit.commit().unwrap();
        };
        for n in [400, 150, 99, 30, 20, 10] {
            add(&mut writer, n);
        }
        assert_eq!(sizes(&index), [10, 20, 30, 99, 150, 400]);
        assert_eq!(merge_under(&index, &mut writer, 0).unwrap(), 4);
        assert_eq!(sizes(&index), [150, 159, 400], "10 + 20 + 30 + 99 merged; 150 is not under 400 / 4");
        assert_eq!(index.load_metas().unwrap().payload.as_deref(), Some("42"));
        let files = index.directory().list_managed_files();
        let stores = files.iter().filter(|f| f.extension().is_some_and(|e| e == "store")).count();
        assert_eq!(stores, 3, "only the live segments' files are left: {files:?}");
        let reader = index.reader().unwrap();
        reader.reload().unwrap();
        assert_eq!(reader.searcher().search(&AllQuery, &Count).unwrap(), 709);
        // Nothing left to merge: one segment under a quarter at most.
        assert_eq!(merge_under(&index, &mut writer, 0).unwrap(), 0);
        assert_eq!(sizes(&index), [150, 159, 400]);
        // Under the floor, whatever the largest.
        assert_eq!(merge_under(&index, &mut writer, 200).unwrap(), 2);
        assert_eq!(sizes(&index), [309, 400]);
        // A corpus under the floor ends in one segment.
        assert_eq!(merge_small_segments(&index, &mut writer).unwrap(), 2);
        assert_eq!(sizes(&index), [709]);
        reader.reload().unwrap();
        assert_eq!(reader.searcher().search(&AllQuery, &Count).unwrap(), 709);
    }
}
