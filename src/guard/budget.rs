//! Retry budgets: one token bucket per failure class, AWS-style costs and refunds
//! (AWS3 `StandardRetryStrategy`: a retry costs 5 tokens, 10 after a timeout; a
//! success gives back what its retry cost, or 1 when no retry was needed), refilled
//! over time (`refillPerSecond`). A patient call that finds its bucket short borrows
//! from the refill to come: it waits until the tokens it needs have accrued, and the
//! bucket's refill starts after that instant, so patient retries queue at the refill
//! rate instead of storming.

use serde::{Deserialize, Serialize};

use crate::MAX_WAIT_MS;

/// Classes of failure, each with its own budget (and, for server and network, breaker).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryClass {
    /// 429 TOO_MANY_REQUESTS.
    Throttle,
    /// 5xx from Zoho.
    Server,
    /// No response.
    Network,
    /// Per-record failures of a partial result.
    Records,
}

/// One value per retry class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PerClass<T> {
    /// Throttling.
    pub throttle: T,
    /// Server failures.
    pub server: T,
    /// Network failures.
    pub network: T,
    /// Per-record failures.
    pub records: T,
}

impl<T: Copy> PerClass<T> {
    /// The same value for every class.
    pub fn all(v: T) -> Self {
        PerClass {
            throttle: v,
            server: v,
            network: v,
            records: v,
        }
    }
}

impl<T> PerClass<T> {
    /// The value of a class.
    pub fn get(&self, c: RetryClass) -> &T {
        match c {
            RetryClass::Throttle => &self.throttle,
            RetryClass::Server => &self.server,
            RetryClass::Network => &self.network,
            RetryClass::Records => &self.records,
        }
    }

    /// The value of a class, mutably.
    pub fn get_mut(&mut self, c: RetryClass) -> &mut T {
        match c {
            RetryClass::Throttle => &mut self.throttle,
            RetryClass::Server => &mut self.server,
            RetryClass::Network => &mut self.network,
            RetryClass::Records => &mut self.records,
        }
    }

    /// Every class's value, mutably.
    pub fn iter_mut(&mut self) -> [&mut T; 4] {
        [
            &mut self.throttle,
            &mut self.server,
            &mut self.network,
            &mut self.records,
        ]
    }
}

/// Takes `cost` tokens from a bucket if it holds them.
pub fn try_charge(tokens: &mut u32, cost: u32) -> bool {
    if *tokens >= cost {
        *tokens -= cost;
        true
    } else {
        false
    }
}

/// One bucket and the instant its refill counts from (later than now while a patient
/// retry's borrowed tokens accrue).
pub struct Bucket<'a> {
    /// Its tokens.
    pub tokens: &'a mut u32,
    /// Refill counts from here.
    pub since: &'a mut u64,
}

impl Bucket<'_> {
    /// Adds the tokens accrued since `since` at `rate` per second, never above
    /// `capacity`; a full bucket accrues nothing. Integers only: the fraction of a token
    /// left over keeps counting from the advanced `since`.
    pub fn refill(&mut self, now: u64, rate: u32, capacity: u32) {
        if rate == 0 || now <= *self.since {
            return;
        }
        let rate = u64::from(rate);
        let added = (now - *self.since).saturating_mul(rate) / 1_000;
        let missing = u64::from(capacity.saturating_sub(*self.tokens));
        if added >= missing {
            *self.tokens = capacity;
            *self.since = now;
        } else {
            // added < missing <= u32::MAX.
            *self.tokens = self.tokens.saturating_add(added as u32);
            *self.since = self
                .since
                .saturating_add(added.saturating_mul(1_000).div_ceil(rate));
        }
    }

    /// A patient retry of `cost` tokens from a short bucket: takes what is there and
    /// books the rest from the refill; the ms until it has accrued, or `None` when the
    /// bucket never refills (`rate` 0) or the wait would exceed [`MAX_WAIT_MS`].
    pub fn borrow(&mut self, now: u64, rate: u32, cost: u32) -> Option<u64> {
        if rate == 0 {
            return None;
        }
        let need = u64::from(cost.saturating_sub(*self.tokens));
        let until = (*self.since)
            .max(now.saturating_sub(1_000 / u64::from(rate)))
            .saturating_add(need.saturating_mul(1_000).div_ceil(u64::from(rate)));
        let wait = until.saturating_sub(now);
        if wait > MAX_WAIT_MS {
            return None;
        }
        *self.tokens = 0;
        *self.since = until;
        Some(wait)
    }
}

/// The bucket of `class`.
pub fn bucket<'a>(
    tokens: &'a mut PerClass<u32>,
    since: &'a mut PerClass<u64>,
    class: RetryClass,
) -> Bucket<'a> {
    Bucket {
        tokens: tokens.get_mut(class),
        since: since.get_mut(class),
    }
}

/// Refills every class's bucket up to `now`.
pub fn refill_all(
    tokens: &mut PerClass<u32>,
    since: &mut PerClass<u64>,
    now: u64,
    rate: u32,
    capacity: u32,
) {
    for (tokens, since) in tokens.iter_mut().into_iter().zip(since.iter_mut()) {
        Bucket { tokens, since }.refill(now, rate, capacity);
    }
}

/// Gives `n` tokens back, never above `capacity`.
pub fn refund(tokens: &mut u32, n: u32, capacity: u32) {
    *tokens = tokens.saturating_add(n).min(capacity);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refills_at_the_rate_and_queues_borrowers() {
        let (mut tokens, mut since) = (0u32, 1_000u64);
        let mut b = Bucket {
            tokens: &mut tokens,
            since: &mut since,
        };
        // 3 tokens a second: 1,000 ms give 3, the remainder keeps counting.
        b.refill(2_000, 3, 500);
        assert_eq!((*b.tokens, *b.since), (3, 2_000));
        b.refill(2_500, 3, 500);
        assert_eq!((*b.tokens, *b.since), (4, 2_334));
        // A full bucket accrues nothing.
        b.refill(1_000_000, 3, 10);
        assert_eq!((*b.tokens, *b.since), (10, 1_000_000));
        // Two borrowers of 15 tokens at 10/s: the first waits 0.5 s, the second 1.5 s more.
        *b.tokens = 10;
        assert_eq!(b.borrow(1_000_000, 10, 15), Some(500));
        assert_eq!(b.borrow(1_000_000, 10, 15), Some(2_000));
        assert_eq!(*b.tokens, 0);
        // Nothing accrues before the booked instant.
        b.refill(1_001_999, 10, 500);
        assert_eq!(*b.tokens, 0);
        b.refill(1_003_000, 10, 500);
        assert_eq!(*b.tokens, 10);
        assert_eq!(b.borrow(0, 0, 5), None, "rate 0 never refills");
    }
}
