//! A bounded table of fixed windows, one per client: when each client's
//! current window started and how many units it has used in it. Sharded so
//! that workers seldom wait for one another; it never holds more than its
//! capacity, forgetting ended windows first.
//!
//! Time is milliseconds on a clock the caller keeps (`now`), so that the
//! arithmetic can be tested without waiting.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};
use std::sync::Mutex;

/// Above this capacity the table is split in `SHARDS` (each a sixteenth).
const SHARDED_FROM: usize = 1_024;
const SHARDS: usize = 16;

/// One client's current window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    start: u64,
    used: u32,
}

/// What a client has left, as of one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// Units left in the current window.
    pub remaining: u32,
    /// Milliseconds until the window ends and the whole quota is back
    /// (at least 1: a window that has ended is no longer current).
    pub resets_in_ms: u64,
}

/// A request that was let in: the window it was let in during, which the
/// rest of its cost is charged to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admitted<K> {
    key: K,
    start: u64,
}

impl<K> Admitted<K> {
    pub fn key(&self) -> &K {
        &self.key
    }
}

struct Shard<K> {
    map: HashMap<K, Window>,
    capacity: usize,
}

pub struct Windows<K> {
    shards: Box<[Mutex<Shard<K>>]>,
    hasher: RandomState,
    window_ms: u64,
}

impl<K: Hash + Eq + Copy> Windows<K> {
    /// Windows `window_ms` long, for at most `capacity` clients at a time
    /// (at least 1).
    pub fn new(window_ms: u64, capacity: usize) -> Self {
        let capacity = capacity.max(1);
        let shards = if capacity >= SHARDED_FROM { SHARDS } else { 1 };
        let shards =
            (0..shards).map(|_| Mutex::new(Shard { map: HashMap::new(), capacity: capacity / shards })).collect();
        Windows { shards, hasher: RandomState::new(), window_ms: window_ms.max(1) }
    }

    fn shard(&self, key: &K) -> &Mutex<Shard<K>> {
        let i = self.hasher.hash_one(key) as usize % self.shards.len();
        &self.shards[i]
    }

    fn standing(&self, window: Window, quota: u32, now: u64) -> Standing {
        Standing {
            remaining: quota.saturating_sub(window.used),
            resets_in_ms: (window.start + self.window_ms).saturating_sub(now).max(1),
        }
    }

    /// Take `units` of `key`'s `quota` at `now` if that many are left in its
    /// window (starting one when it has none); otherwise what it has left.
    pub fn take(&self, key: K, quota: u32, units: u32, now: u64) -> Result<(Admitted<K>, Standing), Standing> {
        let mut shard = self.shard(&key).lock().expect("not poisoned");
        let running = shard.map.get(&key).is_some_and(|w| now < w.start + self.window_ms);
        if !running && !shard.map.contains_key(&key) {
            shard.make_room(now, self.window_ms);
        }
        let window = shard.map.entry(key).or_insert(Window { start: now, used: 0 });
        if !running {
            *window = Window { start: now, used: 0 };
        }
        if quota.saturating_sub(window.used) < units {
            return Err(self.standing(*window, quota, now));
        }
        window.used += units;
        Ok((Admitted { key, start: window.start }, self.standing(*window, quota, now)))
    }

    /// Charge `units` more to the window `admitted` was let in during, as far
    /// as they are left (nothing once that window has ended), and say what
    /// the client has left.
    pub fn charge(&self, admitted: Admitted<K>, quota: u32, units: u32, now: u64) -> Standing {
        let mut shard = self.shard(&admitted.key).lock().expect("not poisoned");
        match shard.map.get_mut(&admitted.key) {
            Some(window) if now < window.start + self.window_ms => {
                if window.start == admitted.start {
                    window.used = window.used.saturating_add(units).min(quota);
                }
                self.standing(*window, quota, now)
            }
            // Its window has ended (or was forgotten): the next request
            // starts a new one with the whole quota.
            _ => Standing { remaining: quota, resets_in_ms: self.window_ms },
        }
    }

    /// Clients whose windows are held.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.shards.iter().map(|s| s.lock().expect("not poisoned").map.len()).sum()
    }
}

impl<K: Hash + Eq> Shard<K> {
    /// Make room for one more window when the shard is full: forget the
    /// windows that have ended; if that frees less than an eighth, forget
    /// the running windows that started first (they are the nearest to
    /// their end) until an eighth is free, so that a flood of new clients
    /// costs a sweep per eighth of the shard, not per request.
    fn make_room(&mut self, now: u64, window_ms: u64) {
        if self.map.len() < self.capacity {
            return;
        }
        self.map.retain(|_, w| now < w.start + window_ms);
        let keep = self.capacity - (self.capacity / 8).max(1);
        if self.map.len() <= keep {
            return;
        }
        let excess = self.map.len() - keep;
        let mut starts: Vec<u64> = self.map.values().map(|w| w.start).collect();
        let (_, &mut cutoff, _) = starts.select_nth_unstable(excess - 1);
        let earlier = starts.iter().filter(|&&s| s < cutoff).count();
        let mut at_cutoff = excess - earlier;
        self.map.retain(|_, w| {
            if w.start < cutoff {
                return false;
            }
            if w.start == cutoff && at_cutoff > 0 {
                at_cutoff -= 1;
                return false;
            }
            true
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_counts_units_and_resets_when_it_ends() {
        let windows = Windows::new(60_000, 100);
        let (admitted, standing) = windows.take(1u32, 5, 1, 1_000).unwrap();
        assert_eq!(standing, Standing { remaining: 4, resets_in_ms: 60_000 });
        assert_eq!(windows.charge(admitted, 5, 1, 1_500), Standing { remaining: 3, resets_in_ms: 59_500 });
        let (admitted, _) = windows.take(1, 5, 1, 2_000).unwrap();
        assert_eq!(windows.charge(admitted, 5, 1, 2_000).remaining, 1);
        let (_, standing) = windows.take(1, 5, 1, 30_000).unwrap();
        assert_eq!(standing, Standing { remaining: 0, resets_in_ms: 31_000 });
        // Spent: refused, and told when the quota is back.
        assert_eq!(windows.take(1, 5, 1, 30_001), Err(Standing { remaining: 0, resets_in_ms: 30_999 }));
        assert_eq!(windows.take(1, 5, 1, 60_999), Err(Standing { remaining: 0, resets_in_ms: 1 }));
        // The window started at 1,000 ends at 61,000.
        let (_, standing) = windows.take(1, 5, 1, 61_000).unwrap();
        assert_eq!(standing, Standing { remaining: 4, resets_in_ms: 60_000 });
        // Another client has its own window.
        assert_eq!(windows.take(2, 5, 1, 61_000).unwrap().1.remaining, 4);
    }

    #[test]
    fn the_rest_of_a_cost_is_charged_only_as_far_as_units_are_left() {
        let windows = Windows::new(1_000, 10);
        let (_, standing) = windows.take(7u32, 3, 1, 0).unwrap();
        assert_eq!(standing.remaining, 2);
        let (_, _) = windows.take(7, 3, 1, 1).unwrap();
        let (last, _) = windows.take(7, 3, 1, 2).unwrap();
        assert_eq!(windows.charge(last, 3, 1, 3).remaining, 0, "no unit is left for the second half");
        assert!(windows.take(7, 3, 1, 4).is_err());
    }

    #[test]
    fn a_charge_after_the_window_ended_goes_nowhere() {
        let windows = Windows::new(1_000, 10);
        let (old, _) = windows.take(7u32, 10, 1, 0).unwrap();
        let (_, standing) = windows.take(7, 10, 1, 1_200).unwrap();
        assert_eq!(standing.remaining, 9);
        // The request let in at 0 is answered at 1,300: the new window
        // does not pay for it.
        assert_eq!(windows.charge(old, 10, 1, 1_300), Standing { remaining: 9, resets_in_ms: 900 });
        // Nothing held any more (ended): a fresh window's standing.
        assert_eq!(windows.charge(old, 10, 1, 5_000), Standing { remaining: 10, resets_in_ms: 1_000 });
    }

    #[test]
    fn ended_windows_are_forgotten_first() {
        let windows = Windows::new(1_000, 16);
        for client in 0..8u32 {
            windows.take(client, 10, 1, 0).unwrap();
        }
        for client in 8..16u32 {
            windows.take(client, 10, 1, 500).unwrap();
        }
        assert_eq!(windows.len(), 16);
        // At 1,200 the first eight have ended: they make the room.
        windows.take(100, 10, 1, 1_200).unwrap();
        assert_eq!(windows.len(), 9);
        for client in 8..16u32 {
            assert_eq!(windows.take(client, 10, 1, 1_201).unwrap().1.remaining, 8, "client {client} kept its count");
        }
    }

    #[test]
    fn a_flood_of_clients_never_grows_the_table_past_its_capacity() {
        let capacity = 2_000;
        let windows = Windows::new(60_000, capacity);
        for client in 0..50_000u32 {
            windows.take(client, 10, 1, u64::from(client)).unwrap();
            assert!(windows.shards.iter().all(|s| s.lock().unwrap().map.len() <= capacity / SHARDS));
        }
        assert!(windows.len() <= capacity);
        // Every window is running: those that started first were forgotten,
        // the latest ones are kept.
        assert_eq!(windows.take(49_999, 10, 1, 50_000).unwrap().1.remaining, 8);
        assert_eq!(windows.take(0, 10, 1, 50_000).unwrap().1.remaining, 9, "forgotten: a fresh window");
    }

    #[test]
    fn forgetting_running_windows_takes_the_earliest_even_when_starts_tie() {
        let windows = Windows::new(60_000, 8);
        for client in 0..8u32 {
            windows.take(client, 10, 1, if client < 4 { 5 } else { 9 }).unwrap();
        }
        windows.take(8, 10, 1, 10).unwrap();
        // One of the four that started at 5 is forgotten (an eighth of 8).
        assert_eq!(windows.len(), 8);
        let kept_late = (4..8u32).all(|c| windows.take(c, 10, 1, 11).unwrap().1.remaining == 8);
        assert!(kept_late);
    }
}
