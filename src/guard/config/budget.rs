//! `config.budget` and `config.breaker`: the retry budget of each failure class
//! (AWS-style costs and refunds, refilled over time) and the circuit breakers.

use serde::{Deserialize, Serialize};

use super::{whole, whole32, MAX_CONFIG_MS};
use crate::error::Result;

/// Tokens of each class's retry bucket (AWS3 `INITIAL_RETRY_TOKENS` = 500).
pub const DEFAULT_BUDGET_CAPACITY: u32 = 500;
/// Tokens a scheduled retry costs (AWS3 `RETRY_COST` = 5).
pub const DEFAULT_RETRY_COST: u32 = 5;
/// Tokens a retry after a timeout costs (AWS3 `TIMEOUT_RETRY_COST` = 10).
pub const DEFAULT_TIMEOUT_COST: u32 = 10;
/// Tokens a success that needed no retry gives back (AWS3 `NO_RETRY_INCREMENT` = 1).
pub const DEFAULT_SUCCESS_REFUND: u32 = 1;
/// Tokens each bucket regains per second, so that a spent budget is waited out
/// rather than lost for good. Design value: two retries a second per class at the
/// default cost once the 500 tokens are spent (AWS SDK v3 refills only on success).
pub const DEFAULT_REFILL_PER_SECOND: u32 = 10;

/// Consecutive server or network failures that open a class's breaker
/// (COCK: `new ConsecutiveBreaker(5)` in cockatiel's README).
pub const DEFAULT_BREAKER_THRESHOLD: u32 = 5;
/// How long an open breaker stays open before one probe is let through
/// (COCK: `halfOpenAfter: 10 * 1000` in cockatiel's README).
pub const DEFAULT_BREAKER_HALF_OPEN_AFTER_MS: u64 = 10_000;

/// Largest token figure of the budget.
const MAX_TOKENS: u32 = 1_000_000;

/// `config.budget` as JavaScript passes it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct RawBudget {
    /// Tokens per class. Default 500 (AWS SDK v3).
    pub capacity: Option<f64>,
    /// Cost of a retry. Default 5 (AWS SDK v3).
    pub retry_cost: Option<f64>,
    /// Cost of a retry after a timeout. Default 10 (AWS SDK v3).
    pub timeout_cost: Option<f64>,
    /// Refund of a success that needed no retry. Default 1 (AWS SDK v3).
    pub success_refund: Option<f64>,
    /// Tokens each class regains per second (0: none, as in AWS SDK v3). A patient call
    /// that finds its budget spent waits for the refill (delay basis `budget`). Default 10.
    pub refill_per_second: Option<f64>,
}

/// `config.breaker` as JavaScript passes it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct RawBreaker {
    /// Consecutive server (or network) failures that open it. Default 5 (cockatiel).
    /// A patient call retries once it half-opens (delay basis `breaker`).
    pub threshold: Option<f64>,
    /// Open time before one probe, ms. Default 10000 (cockatiel).
    pub half_open_after_ms: Option<f64>,
}

/// The checked budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetConfig {
    /// Tokens per class.
    pub capacity: u32,
    /// Cost of a retry.
    pub retry_cost: u32,
    /// Cost of a retry after a timeout.
    pub timeout_cost: u32,
    /// Refund of a first-attempt success.
    pub success_refund: u32,
    /// Tokens regained per second (a state saved before it existed gets the default).
    #[serde(default = "default_refill_per_second")]
    pub refill_per_second: u32,
}

fn default_refill_per_second() -> u32 {
    DEFAULT_REFILL_PER_SECOND
}

/// The checked breaker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BreakerConfig {
    /// Consecutive failures that open it.
    pub threshold: u32,
    /// Open time before a probe, ms.
    pub half_open_after_ms: u64,
}

impl BudgetConfig {
    /// Checks `config.budget`.
    pub(super) fn from_raw(b: RawBudget) -> Result<Self> {
        let tokens = |v, f: &str, d| whole32(v, f, d, 0, MAX_TOKENS);
        Ok(BudgetConfig {
            capacity: tokens(
                b.capacity,
                "config.budget.capacity",
                DEFAULT_BUDGET_CAPACITY,
            )?,
            retry_cost: tokens(b.retry_cost, "config.budget.retryCost", DEFAULT_RETRY_COST)?,
            timeout_cost: tokens(
                b.timeout_cost,
                "config.budget.timeoutCost",
                DEFAULT_TIMEOUT_COST,
            )?,
            success_refund: tokens(
                b.success_refund,
                "config.budget.successRefund",
                DEFAULT_SUCCESS_REFUND,
            )?,
            refill_per_second: tokens(
                b.refill_per_second,
                "config.budget.refillPerSecond",
                DEFAULT_REFILL_PER_SECOND,
            )?,
        })
    }
}

impl BreakerConfig {
    /// Checks `config.breaker`.
    pub(super) fn from_raw(k: RawBreaker) -> Result<Self> {
        Ok(BreakerConfig {
            threshold: whole32(
                k.threshold,
                "config.breaker.threshold",
                DEFAULT_BREAKER_THRESHOLD,
                1,
                1_000_000,
            )?,
            half_open_after_ms: whole(
                k.half_open_after_ms,
                "config.breaker.halfOpenAfterMs",
                DEFAULT_BREAKER_HALF_OPEN_AFTER_MS,
                0,
                MAX_CONFIG_MS,
            )?,
        })
    }
}
