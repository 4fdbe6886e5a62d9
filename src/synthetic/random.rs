//! The generator's random choices: uniform picks, odds and weighted (Zipf)
//! picks. Everything is drawn as `u32` and weighed in integers, because a
//! seed must give the same bytes on every machine: `usize` ranges would
//! differ between 32- and 64-bit targets, and floating-point library calls
//! (`powf`, `ln`) are not guaranteed to round the same everywhere.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The one random stream a corpus is drawn from, in order.
pub struct Dice(ChaCha8Rng);

impl Dice {
    pub fn new(seed: u64) -> Dice {
        Dice(ChaCha8Rng::seed_from_u64(seed))
    }

    /// Uniform in `0..n`; `n` must be positive.
    pub fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0 && n <= u32::MAX as usize);
        self.0.random_range(0..n as u32) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: u32, hi: u32) -> u32 {
        self.0.random_range(lo..=hi)
    }

    /// True `per_mille` times in a thousand.
    pub fn odds(&mut self, per_mille: u32) -> bool {
        self.0.random_range(0..1000u32) < per_mille
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Picks indexes with fixed weights: from a table, or by Zipf's law (rank
/// `k` weighs `1 / (k + offset)`) so that the first items are common and
/// the last rare.
pub struct Weights {
    /// Running totals; an index is drawn by where a uniform number falls.
    cumulative: Vec<u32>,
    /// For each of `guide.len()` equal slices of the total, the first
    /// index a number in it can fall on, so a draw scans a step or two
    /// from there instead of binary-searching the totals (the generator
    /// makes hundreds of millions of draws).
    guide: Vec<u32>,
    /// A draw's top bits name its slice.
    slice_shift: u32,
}

impl Weights {
    pub fn new(weights: &[u32]) -> Weights {
        let mut total = 0u32;
        let cumulative: Vec<u32> = weights
            .iter()
            .map(|w| {
                total = total.checked_add(*w).expect("weights fit in u32");
                total
            })
            .collect();
        let slices = cumulative.len().next_power_of_two() as u64;
        let guide = (0..slices)
            .map(|j| {
                // No lower than the smallest number that falls in slice j.
                let lowest = j * u64::from(total) / slices;
                cumulative.partition_point(|&c| u64::from(c) <= lowest) as u32
            })
            .collect();
        Weights { cumulative, guide, slice_shift: 64 - slices.trailing_zeros() }
    }

    /// `n` ranks; a larger `offset` flattens the head of the distribution.
    pub fn zipf(n: usize, offset: u32) -> Weights {
        // 2^22 keeps the rarest of a few thousand ranks well above zero and
        // the total well inside u32.
        const SCALE: u32 = 1 << 22;
        let weights: Vec<u32> = (0..n as u32).map(|k| (SCALE / (k + offset.max(1))).max(1)).collect();
        Weights::new(&weights)
    }

    fn len(&self) -> usize {
        self.cumulative.len()
    }

    /// An index; the weights must not be empty or all zero.
    pub fn draw(&self, dice: &mut Dice) -> usize {
        let total = u128::from(*self.cumulative.last().expect("weights are not empty"));
        // One 64-bit draw scaled to the total (by multiplication: neither a
        // division nor a rejection loop, at a bias below 2^-32).
        let r = dice.0.random::<u64>();
        let x = ((u128::from(r) * total) >> 64) as u32;
        let slice = r.checked_shr(self.slice_shift).unwrap_or(0) as usize;
        let mut i = self.guide[slice] as usize;
        while self.cumulative[i] <= x {
            i += 1;
        }
        i
    }

    /// An item of `items`, which the weights were made for.
    pub fn pick<T: Copy>(&self, dice: &mut Dice, items: &[T]) -> T {
        debug_assert_eq!(items.len(), self.len());
        items[self.draw(dice)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zipf_favours_low_ranks_but_reaches_the_tail() {
        let w = Weights::zipf(3000, 2);
        let mut dice = Dice::new(7);
        let mut counts = vec![0u32; 3000];
        for _ in 0..200_000 {
            counts[w.draw(&mut dice)] += 1;
        }
        assert!(counts[0] > 10 * counts[100], "{} vs {}", counts[0], counts[100]);
        assert!(counts[2000..].iter().filter(|&&c| c > 0).count() > 500);
    }

    #[test]
    fn the_guide_finds_what_a_binary_search_finds() {
        for weights in [Weights::zipf(2100, 2), Weights::new(&[0, 5, 0, 5]), Weights::new(&[3]), Weights::zipf(7, 1)] {
            let total = u128::from(*weights.cumulative.last().unwrap());
            let mut dice = Dice::new(11);
            let edges = [0, 1, u64::MAX / 2, u64::MAX - 1, u64::MAX];
            for r in (0..20_000).map(|_| dice.0.random::<u64>()).chain(edges) {
                let x = ((u128::from(r) * total) >> 64) as u32;
                let mut i = weights.guide[r.checked_shr(weights.slice_shift).unwrap_or(0) as usize] as usize;
                while weights.cumulative[i] <= x {
                    i += 1;
                }
                assert_eq!(i, weights.cumulative.partition_point(|&c| c <= x), "r = {r}");
            }
        }
    }

    #[test]
    fn zero_weights_are_never_drawn() {
        let w = Weights::new(&[0, 5, 0, 5]);
        let mut dice = Dice::new(1);
        for _ in 0..1000 {
            assert!(matches!(w.draw(&mut dice), 1 | 3));
        }
    }
}
