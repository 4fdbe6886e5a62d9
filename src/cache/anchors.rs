//! Deep pages without deep scans. `OFFSET n` makes SQLite step over n index
//! entries on every request; instead the sort keys of every `every`-th row
//! of a list are remembered (per filter, order and data version), and a
//! deep page seeks to the nearest one before it (a keyset condition, one
//! index seek) and skips fewer than `every` rows from there.

use std::collections::HashMap;
use std::sync::Arc;

use quick_cache::sync::Cache;
use quick_cache::Weighter;

use crate::db::DbConn;
use crate::models::article_filter::ArticleFilter;
use crate::models::article_list::{sort_keys, ArticleOrder, ArticleQuery, Keyset, SortValue, Window};

type Key = (ArticleFilter, ArticleOrder, i64);

/// Bytes an anchor list holds: its filter, and each key with its title
/// (title-sorted lists keep whole titles).
#[derive(Clone)]
struct AnchorWeight;

impl Weighter<Key, Arc<Vec<Keyset>>> for AnchorWeight {
    fn weight(&self, key: &Key, anchors: &Arc<Vec<Keyset>>) -> u64 {
        let keys: usize = anchors
            .iter()
            .map(|k| {
                std::mem::size_of::<Keyset>()
                    + match &k.value {
                        SortValue::Text(t) => t.len(),
                        SortValue::Time(_) => 0,
                    }
            })
            .sum();
        (key.0.heap_bytes() + std::mem::size_of::<Key>() + keys + 64) as u64
    }
}

pub struct PageAnchors {
    every: i64,
    /// `anchors[k]` is the key of row `(k + 1) * every - 1`.
    sets: Cache<Key, Arc<Vec<Keyset>>, AnchorWeight>,
}

impl PageAnchors {
    /// Anchors every `every` rows, at most `bytes` of them in all.
    pub fn new(every: i64, bytes: u64) -> Self {
        let bytes = bytes.max(4096);
        PageAnchors {
            every: every.max(1),
            sets: Cache::with_weighter((bytes / 4096).max(16) as usize, bytes, AnchorWeight),
        }
    }

    pub fn clear(&self) {
        self.sets.clear();
    }

    /// Bytes held now (by the weights above).
    pub fn weight(&self) -> u64 {
        self.sets.weight()
    }

    /// The window that returns rows `offset .. offset + limit` of `query`.
    pub fn window(
        &self,
        conn: &mut DbConn,
        query: &ArticleQuery<'_>,
        version: i64,
        offset: i64,
        limit: i64,
    ) -> diesel::QueryResult<Window> {
        let wanted = (offset / self.every) as usize;
        if wanted == 0 || version < 0 {
            return Ok(Window::offset(offset, limit));
        }
        let key = (query.filter.clone(), query.order, version);
        let mut anchors = self.sets.get(&key).unwrap_or_default();
        if anchors.len() < wanted {
            anchors = Arc::new(self.extend(conn, query, &anchors, wanted)?);
            self.sets.insert(key, anchors.clone());
        }
        // A list shorter than `offset` has fewer anchors: start from its last.
        let usable = anchors.len().min(wanted);
        if usable == 0 {
            return Ok(Window::offset(offset, limit));
        }
        Ok(Window { after: Some(anchors[usable - 1].clone()), offset: offset - usable as i64 * self.every, limit })
    }

    /// Walk the list from the last known anchor far enough to know `wanted`.
    fn extend(
        &self,
        conn: &mut DbConn,
        query: &ArticleQuery<'_>,
        known: &[Keyset],
        wanted: usize,
    ) -> diesel::QueryResult<Vec<Keyset>> {
        let rows = (wanted - known.len()) as i64 * self.every;
        let ids = query.ids(conn, &Window { after: known.last().cloned(), offset: 0, limit: rows })?;
        let picks: Vec<i64> = ids.iter().skip(self.every as usize - 1).step_by(self.every as usize).copied().collect();
        let mut keys: HashMap<i64, Keyset> =
            sort_keys(conn, query.order.field, &picks)?.into_iter().map(|k| (k.id, k)).collect();
        let mut anchors = known.to_vec();
        anchors.extend(picks.iter().filter_map(|id| keys.remove(id)));
        Ok(anchors)
    }
}
