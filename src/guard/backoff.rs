//! Full-jitter exponential backoff from a seeded, counter-based generator.
//!
//! The generator is ChaCha8 (`rand_chacha`) seeded from the configuration's seed;
//! its state is only the seed and the word position, so it serializes as two
//! integers and replays identically on every runtime (no floating point is used).

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// The Guard's only source of randomness: seed plus position in the ChaCha8 stream.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", from = "JitterState", into = "JitterState")]
pub struct Jitter {
    seed: u64,
    draws: u64,
    rng: ChaCha8Rng,
}

/// What a [`Jitter`] serializes to: the seed and how many 64-bit draws were made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JitterState {
    /// Seed of the stream.
    pub seed: u64,
    /// 64-bit values drawn so far.
    pub draws: u64,
}

impl From<JitterState> for Jitter {
    fn from(s: JitterState) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(s.seed);
        // Each u64 draw consumes two 32-bit words.
        rng.set_word_pos(u128::from(s.draws).saturating_mul(2));
        Jitter {
            seed: s.seed,
            draws: s.draws,
            rng,
        }
    }
}

impl From<Jitter> for JitterState {
    fn from(j: Jitter) -> Self {
        JitterState {
            seed: j.seed,
            draws: j.draws,
        }
    }
}

impl PartialEq for Jitter {
    fn eq(&self, other: &Self) -> bool {
        self.seed == other.seed && self.draws == other.draws
    }
}

impl Jitter {
    /// A generator at the start of the seed's stream.
    pub fn new(seed: u64) -> Self {
        Jitter::from(JitterState { seed, draws: 0 })
    }

    /// A uniform integer in `0..=max` (multiply-shift: one draw, no rejection loop,
    /// bias below 2^-64 × max, deterministic everywhere).
    pub fn up_to(&mut self, max: u64) -> u64 {
        if max == 0 {
            return 0;
        }
        self.draws = self.draws.saturating_add(1);
        let x = u128::from(self.rng.next_u64());
        let span = u128::from(max).saturating_add(1);
        u64::try_from((x.saturating_mul(span)) >> 64).unwrap_or(max)
    }
}

/// The ceiling of the full-jitter window for an attempt: `min(cap, base × 2^(attempt-1))`
/// (AWS3 `StandardRetryStrategy`: `min(MAXIMUM_RETRY_DELAY, random × 2^attempts × base)`).
pub fn ceiling(base_ms: u64, attempt: u32, cap_ms: u64) -> u64 {
    let shift = attempt.saturating_sub(1).min(62);
    base_ms.saturating_mul(1u64 << shift).min(cap_ms)
}

/// Full jitter: uniform in `0..=ceiling` (Brooker, "Exponential Backoff and Jitter").
pub fn full_jitter(jitter: &mut Jitter, base_ms: u64, attempt: u32, cap_ms: u64) -> u64 {
    jitter.up_to(ceiling(base_ms, attempt, cap_ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_restore_resumes() {
        let mut a = Jitter::new(42);
        let mut b = Jitter::new(42);
        let xs: Vec<u64> = (0..10).map(|_| a.up_to(1_000)).collect();
        let ys: Vec<u64> = (0..10).map(|_| b.up_to(1_000)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().any(|&x| x != xs[0]), "not constant");
        let state: JitterState = a.clone().into();
        let mut c = Jitter::from(state);
        assert_eq!(a.up_to(1_000_000), c.up_to(1_000_000));
        assert_ne!(
            Jitter::new(1).up_to(u64::MAX),
            Jitter::new(2).up_to(u64::MAX)
        );
    }

    #[test]
    fn ceiling_doubles_and_caps() {
        assert_eq!(ceiling(100, 1, 20_000), 100);
        assert_eq!(ceiling(100, 2, 20_000), 200);
        assert_eq!(ceiling(100, 9, 20_000), 20_000);
        assert_eq!(ceiling(u64::MAX, 99, 5), 5);
    }
}
