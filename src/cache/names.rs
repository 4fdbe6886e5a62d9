//! Slugs and names of counted facet values (topics, regions, authors,
//! publishers, series) per data version. Every facet request names its top
//! values, and the same few hundred values come back request after
//! request: one small query per dimension was a tenth of a facet
//! request's work. Bounded in bytes.

use std::collections::HashMap;

use quick_cache::sync::Cache;
use quick_cache::Weighter;

use crate::models::article::TermRef;

/// The table, the value's id and the data version.
type Key = (&'static str, i64, i64);

#[derive(Clone)]
struct RefWeight;

impl Weighter<Key, TermRef> for RefWeight {
    fn weight(&self, _: &Key, named: &TermRef) -> u64 {
        (named.slug.len() + named.name.len() + std::mem::size_of::<(Key, TermRef)>() + 32) as u64
    }
}

pub struct NameCache {
    refs: Cache<Key, TermRef, RefWeight>,
}

impl NameCache {
    /// A cache of at most `bytes`.
    pub fn new(bytes: u64) -> Self {
        let bytes = bytes.max(4096);
        NameCache { refs: Cache::with_weighter((bytes / 128).max(16) as usize, bytes, RefWeight) }
    }

    /// The slugs and names of `ids` of `table` at `version`: the cached
    /// ones, and those `load` finds of the rest, remembered. A negative
    /// (unknown) version is never cached.
    pub fn get_or_load<E>(
        &self,
        table: &'static str,
        ids: &[i64],
        version: i64,
        load: impl FnOnce(&[i64]) -> Result<HashMap<i64, TermRef>, E>,
    ) -> Result<HashMap<i64, TermRef>, E> {
        if version < 0 {
            return load(ids);
        }
        let mut named = HashMap::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in ids {
            match self.refs.get(&(table, *id, version)) {
                Some(r) => {
                    named.insert(*id, r);
                }
                None => missing.push(*id),
            }
        }
        if !missing.is_empty() {
            for (id, r) in load(&missing)? {
                self.refs.insert((table, id, version), r.clone());
                named.insert(id, r);
            }
        }
        Ok(named)
    }

    pub fn clear(&self) {
        self.refs.clear();
    }

    /// Bytes held now (by the weights above).
    pub fn weight(&self) -> u64 {
        self.refs.weight()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(id: i64) -> TermRef {
        TermRef { id, slug: format!("s{id}"), name: format!("Name {id}") }
    }

    /// Only what the cache lacks is loaded; another version or table loads
    /// again; an unknown version is never kept.
    #[test]
    fn loads_only_what_it_lacks() {
        let cache = NameCache::new(1 << 20);
        let asked = std::cell::RefCell::new(Vec::new());
        let get = |table: &'static str, ids: &[i64], version: i64| {
            cache
                .get_or_load(table, ids, version, |ids| -> Result<HashMap<i64, TermRef>, ()> {
                    asked.borrow_mut().push(ids.to_vec());
                    // Id 4 is gone from the store.
                    Ok(ids.iter().filter(|id| **id != 4).map(|id| (*id, named(*id))).collect())
                })
                .unwrap()
        };
        let first = get("topics", &[1, 2, 4], 7);
        assert_eq!(first.len(), 2);
        assert_eq!(first[&2].slug, "s2");
        let again = get("topics", &[2, 3, 4], 7);
        assert_eq!(again.keys().copied().collect::<std::collections::BTreeSet<_>>(), [2, 3].into());
        get("topics", &[1], 8);
        get("authors", &[1], 7);
        get("topics", &[1], -1);
        get("topics", &[1], -1);
        assert_eq!(asked.into_inner(), [vec![1, 2, 4], vec![3, 4], vec![1], vec![1], vec![1], vec![1]]);
        assert!(cache.weight() > 0);
        cache.clear();
        assert_eq!(cache.weight(), 0);
    }
}
