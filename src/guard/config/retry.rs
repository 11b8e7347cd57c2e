//! `config.retry`: attempts, backoff bases and ceiling, the server's Retry-After
//! (its policy and the ceiling above which it is not waited for), and what an
//! ambiguous insert becomes.

use serde::{Deserialize, Serialize};

use super::{whole, whole32, MAX_CONFIG_MS};
use crate::error::Result;
use crate::MAX_WAIT_MS;

/// Attempts per logical request, the first included (AWS3 `DEFAULT_MAX_ATTEMPTS` = 3).
/// A patient call has no cap unless it sets its own `maxAttempts`.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Backoff base for transient failures: 5xx and network (AWS3 `DEFAULT_RETRY_DELAY_BASE` = 100 ms).
pub const DEFAULT_BASE_DELAY_MS: u64 = 100;
/// Backoff base for throttling, 429 (AWS3 `THROTTLING_RETRY_DELAY_BASE` = 1000 ms).
pub const DEFAULT_THROTTLE_BASE_DELAY_MS: u64 = 1_000;
/// Backoff base for per-record retries (RECORD_LOCKED, per-record INTERNAL_ERROR).
/// Design: RECORD_LOCKED lasts "minutes" (sources §5 retry column B), so the
/// throttling base rather than 100 ms.
pub const DEFAULT_RECORD_BASE_DELAY_MS: u64 = 1_000;
/// Ceiling of any computed backoff (AWS3 `MAXIMUM_RETRY_DELAY` = 20 s).
pub const DEFAULT_MAX_DELAY_MS: u64 = 20_000;
/// Largest positive jitter added after a server-given instant (Retry-After), so
/// that every caller told the same instant does not come back in the same
/// millisecond. Design value (one second), not from a library.
pub const DEFAULT_RETRY_AFTER_JITTER_MS: u64 = 1_000;
/// Longest Retry-After waited for (10 minutes): a server asking for more is given up
/// on (`retry_after_too_long`), and the shared cooldown never lasts longer. Design
/// value: Zoho's longest documented wait is the refresh-token window (OAUTH, 10
/// minutes); a proxy's `Retry-After: 2592000` (30 days) must not stop every call.
pub const DEFAULT_MAX_RETRY_AFTER_MS: u64 = 600_000;

/// `config.retry` as JavaScript passes it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct RawRetry {
    /// Attempts per logical request, the first included (1..100). Default 3 (AWS SDK v3).
    /// Patient calls (`operation.patient`) have no cap unless they set their own.
    pub max_attempts: Option<f64>,
    /// Backoff base of transient failures (5xx, network), ms. Default 100 (AWS SDK v3).
    pub base_delay_ms: Option<f64>,
    /// Backoff base of throttling (429), ms. Default 1000 (AWS SDK v3).
    pub throttle_base_delay_ms: Option<f64>,
    /// Backoff base of per-record retries (RECORD_LOCKED), ms. Default 1000.
    pub record_base_delay_ms: Option<f64>,
    /// Backoff ceiling, and the Retry-After limit of `clamp` / `give_up_if_longer`, ms.
    /// Default 20000 (AWS SDK v3).
    pub max_delay_ms: Option<f64>,
    /// Retry-After policy (applies below `maxRetryAfterMs`). Default `honour`.
    pub retry_after: Option<RetryAfterPolicy>,
    /// Largest positive jitter after a server-given instant, ms. Default 1000.
    pub retry_after_jitter_ms: Option<f64>,
    /// Longest Retry-After waited for, ms (0..=2^31-1): above it the call gives up
    /// (`retry_after_too_long`, whatever the policy) and the shared cooldown is capped
    /// at it. Default 600000 (10 minutes).
    pub max_retry_after_ms: Option<f64>,
    /// Who waits for a Retry-After: `call` (default), the call that got it; `all`,
    /// every call of the Guard until the server's instant.
    pub retry_after_scope: Option<RetryAfterScope>,
}

/// Who waits for a server-given delay (Retry-After) below `maxRetryAfterMs`.
///
/// Zoho sends no Retry-After (sources §6): its 429 means the concurrency is exceeded
/// (or the credits, which the ledger tracks), and the adaptive concurrency answers
/// that for every call at once. Holding every call as well left the org's slots
/// empty for the whole wait (measured: one second with nothing in flight per 429 at
/// 3% of calls, about a fifth of a 5,000-record job). A proxy that rate-limits the whole
/// app by Retry-After wants `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RetryAfterScope {
    /// The call that got the Retry-After waits for it; the others go on under the
    /// concurrency the 429 lowered.
    #[default]
    Call,
    /// Every call waits for the server's instant (a shared cooldown).
    All,
}

/// How a server-given delay (Retry-After) is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RetryAfterPolicy {
    /// Wait at least what the server asked, however long (what Octokit and AWS do).
    #[default]
    Honour,
    /// Wait what the server asked, but never longer than `maxDelayMs`.
    Clamp,
    /// Give up when the server asks for longer than `maxDelayMs`.
    GiveUpIfLonger,
}

/// What to do with an insert whose outcome is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum AmbiguousInsert {
    /// Look the records up first and resend only those not found (safest; default).
    #[default]
    Verify,
    /// Resend as an upsert on the duplicate-check fields.
    Upsert,
    /// Give up with reason `ambiguous_write`.
    GiveUp,
}

/// The checked retry policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryConfig {
    /// Attempts per logical request, the first included (1..=100).
    pub max_attempts: u32,
    /// Transient base, ms.
    pub base_delay_ms: u64,
    /// Throttle base, ms.
    pub throttle_base_delay_ms: u64,
    /// Per-record base, ms.
    pub record_base_delay_ms: u64,
    /// Ceiling of a computed backoff, and the Retry-After limit of `clamp` / `give_up_if_longer`.
    pub max_delay_ms: u64,
    /// Retry-After policy.
    pub retry_after: RetryAfterPolicy,
    /// Positive jitter after a server instant, ms.
    pub retry_after_jitter_ms: u64,
    /// Longest Retry-After waited for, ms (a state saved before it existed gets the default).
    #[serde(default = "default_max_retry_after_ms")]
    pub max_retry_after_ms: u64,
    /// Who waits for a Retry-After (a state saved before it existed gets the default).
    #[serde(default)]
    pub retry_after_scope: RetryAfterScope,
}

fn default_max_retry_after_ms() -> u64 {
    DEFAULT_MAX_RETRY_AFTER_MS
}

impl RetryConfig {
    /// Checks `config.retry`.
    pub(super) fn from_raw(r: RawRetry) -> Result<Self> {
        let ms = |v, f: &str, d| whole(v, f, d, 0, MAX_CONFIG_MS);
        Ok(RetryConfig {
            max_attempts: whole32(
                r.max_attempts,
                "config.retry.maxAttempts",
                DEFAULT_MAX_ATTEMPTS,
                1,
                100,
            )?,
            base_delay_ms: ms(
                r.base_delay_ms,
                "config.retry.baseDelayMs",
                DEFAULT_BASE_DELAY_MS,
            )?,
            throttle_base_delay_ms: ms(
                r.throttle_base_delay_ms,
                "config.retry.throttleBaseDelayMs",
                DEFAULT_THROTTLE_BASE_DELAY_MS,
            )?,
            record_base_delay_ms: ms(
                r.record_base_delay_ms,
                "config.retry.recordBaseDelayMs",
                DEFAULT_RECORD_BASE_DELAY_MS,
            )?,
            max_delay_ms: ms(
                r.max_delay_ms,
                "config.retry.maxDelayMs",
                DEFAULT_MAX_DELAY_MS,
            )?,
            retry_after: r.retry_after.unwrap_or_default(),
            retry_after_jitter_ms: ms(
                r.retry_after_jitter_ms,
                "config.retry.retryAfterJitterMs",
                DEFAULT_RETRY_AFTER_JITTER_MS,
            )?,
            max_retry_after_ms: whole(
                r.max_retry_after_ms,
                "config.retry.maxRetryAfterMs",
                DEFAULT_MAX_RETRY_AFTER_MS,
                0,
                MAX_WAIT_MS,
            )?,
            retry_after_scope: r.retry_after_scope.unwrap_or_default(),
        })
    }
}
