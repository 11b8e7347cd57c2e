//! Retry budgets: one token bucket per failure class, AWS-style costs and refunds
//! (AWS3 `StandardRetryStrategy`: a retry costs 5 tokens, 10 after a timeout; a
//! success gives back what its retry cost, or 1 when no retry was needed).

use serde::{Deserialize, Serialize};

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

    /// Every class with its value.
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

/// Gives `n` tokens back, never above `capacity`.
pub fn refund(tokens: &mut u32, n: u32, capacity: u32) {
    *tokens = tokens.saturating_add(n).min(capacity);
}
