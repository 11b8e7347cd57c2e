//! The Guard's configuration: every default named, documented and traced to its source.
//!
//! Sources (keys as in `shared/zoho-api-facts.md`, plus the retry libraries the Guard
//! measures itself against):
//! - AWS3: AWS SDK for JavaScript v3, `@smithy/util-retry` (`DEFAULT_MAX_ATTEMPTS`,
//!   `DEFAULT_RETRY_DELAY_BASE`, `THROTTLING_RETRY_DELAY_BASE`, `MAXIMUM_RETRY_DELAY`,
//!   `INITIAL_RETRY_TOKENS`, `RETRY_COST`, `TIMEOUT_RETRY_COST`, `NO_RETRY_INCREMENT`)
//!   and the adaptive mode's CUBIC `BETA` (`DefaultRateLimiter`).
//! - COCK: cockatiel's `ConsecutiveBreaker` and `halfOpenAfter` (README examples).
//! - LIM/K93/K35/SUBC/GQL-L: Zoho's limits, via `crate::catalog`.
//! - OAUTH: Zoho accounts "access-token-expiry" page (10 access tokens per 10 minutes).
//! - PYSDK/NODESDK: Zoho's SDKs refresh when the token expires within 5 s.

use serde::{Deserialize, Serialize};

use crate::catalog::{edition_limits, CostOverrides, EditionLimits, EditionOptions};
use crate::error::{Error, Result};

/// Attempts per logical request, the first included (AWS3 `DEFAULT_MAX_ATTEMPTS` = 3).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Backoff base for transient failures: 5xx and network (AWS3 `DEFAULT_RETRY_DELAY_BASE` = 100 ms).
pub const DEFAULT_BASE_DELAY_MS: u64 = 100;
/// Backoff base for throttling, 429 (AWS3 `THROTTLING_RETRY_DELAY_BASE` = 1000 ms).
pub const DEFAULT_THROTTLE_BASE_DELAY_MS: u64 = 1_000;
/// Backoff base for per-record retries (RECORD_LOCKED, per-record INTERNAL_ERROR).
/// Design: RECORD_LOCKED lasts "minutes" (facts §5 retry column B), so the
/// throttling base rather than 100 ms.
pub const DEFAULT_RECORD_BASE_DELAY_MS: u64 = 1_000;
/// Ceiling of any computed backoff (AWS3 `MAXIMUM_RETRY_DELAY` = 20 s).
pub const DEFAULT_MAX_DELAY_MS: u64 = 20_000;
/// Largest positive jitter added after a server-given instant (Retry-After), so
/// that every caller told the same instant does not come back in the same
/// millisecond. Design value (one second), not from a library.
pub const DEFAULT_RETRY_AFTER_JITTER_MS: u64 = 1_000;

/// Tokens of each class's retry bucket (AWS3 `INITIAL_RETRY_TOKENS` = 500).
pub const DEFAULT_BUDGET_CAPACITY: u32 = 500;
/// Tokens a scheduled retry costs (AWS3 `RETRY_COST` = 5).
pub const DEFAULT_RETRY_COST: u32 = 5;
/// Tokens a retry after a timeout costs (AWS3 `TIMEOUT_RETRY_COST` = 10).
pub const DEFAULT_TIMEOUT_COST: u32 = 10;
/// Tokens a success that needed no retry gives back (AWS3 `NO_RETRY_INCREMENT` = 1).
pub const DEFAULT_SUCCESS_REFUND: u32 = 1;

/// Consecutive server or network failures that open a class's breaker
/// (COCK: `new ConsecutiveBreaker(5)` in cockatiel's README).
pub const DEFAULT_BREAKER_THRESHOLD: u32 = 5;
/// How long an open breaker stays open before one probe is let through
/// (COCK: `halfOpenAfter: 10 * 1000` in cockatiel's README).
pub const DEFAULT_BREAKER_HALF_OPEN_AFTER_MS: u64 = 10_000;

/// Multiplicative decrease of the effective concurrency on TOO_MANY_REQUESTS, in
/// per mille (AWS3 adaptive mode, CUBIC `BETA` = 0.7).
pub const DEFAULT_AIMD_DECREASE_PERMILLE: u32 = 700;

/// Refresh the access token when it expires within this many ms
/// (PYSDK/NODESDK: `expires_in - now < 5000`).
pub const DEFAULT_TOKEN_REFRESH_SKEW_MS: u64 = 5_000;
/// Access tokens one refresh token may create per window (OAUTH: "up to ten access
/// tokens in a span of ten minutes").
pub const TOKEN_REFRESHES_PER_WINDOW: u32 = 10;
/// The refresh-token rate-limit window (OAUTH: ten minutes).
pub const TOKEN_REFRESH_WINDOW_MS: u64 = 10 * 60 * 1_000;
/// After this long without `tokenRefreshed`, the refresh is asked of the next caller
/// again (the first refresher may have died). Design value.
pub const DEFAULT_TOKEN_REFRESH_TIMEOUT_MS: u64 = 30_000;

/// The `waitMs` of a refusal whose end is an event, not a time (a slot freeing, a
/// token arriving): how soon to ask again. Design value (Bottleneck polls queues at
/// similar granularity).
pub const DEFAULT_POLL_MS: u64 = 50;

/// A 429 is credit exhaustion, not concurrency, when the ledger's (or Zoho's)
/// remaining credits are at most this share of the allowance, in per mille, or
/// below the call's own cost. Design value for the facts' §6 suggestion ("near 0").
pub const DEFAULT_CREDITS_NEARLY_GONE_PERMILLE: u32 = 10;

/// Events kept in the decision log before it restarts from the current state.
pub const DEFAULT_LOG_CAPACITY: u32 = 10_000;

/// Largest number accepted for any ms figure of the configuration (about 31 years):
/// beyond it a figure is a caller bug, and staying far below 2^53 keeps every sum
/// exact in JavaScript.
pub const MAX_CONFIG_MS: u64 = 1_000_000_000_000;

/// Largest integer a JavaScript number holds exactly (2^53 - 1): times and seeds
/// above it are refused.
pub const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

/// What JavaScript passes to `new Guard(config)`. Every figure is checked and unknown
/// keys are refused (`INVALID_ARGUMENT`); the defaults are the constants above.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "GuardConfig", optional_fields = nullable))]
pub struct RawGuardConfig {
    /// Edition name or alias (required).
    #[cfg_attr(feature = "ts", ts(type = "EditionName"))]
    pub edition: Option<String>,
    /// Paid user licences. Default 0.
    pub licenses: Option<f64>,
    /// Add-on credits per 24 h. Default 0.
    pub add_on_credits: Option<f64>,
    /// Override of the edition's credit cap (see `editionLimits`).
    pub credit_cap: Option<f64>,
    /// Override of the edition's concurrency.
    pub concurrency: Option<f64>,
    /// Override of the complex pool (default 10, SUBC).
    pub sub_concurrency: Option<f64>,
    /// Override of the GraphQL pool (default 5, GQL-L).
    pub graphql_concurrency: Option<f64>,
    /// Credit cost overrides (see `creditCost`).
    pub costs: Option<CostOverrides>,
    /// Retry policy.
    #[cfg_attr(feature = "ts", ts(inline))]
    pub retry: Option<RawRetry>,
    /// Retry budget.
    #[cfg_attr(feature = "ts", ts(inline))]
    pub budget: Option<RawBudget>,
    /// Circuit breaker.
    #[cfg_attr(feature = "ts", ts(inline))]
    pub breaker: Option<RawBreaker>,
    /// What to do with an insert that got no (or a truncated) response. Default `verify`.
    pub ambiguous_insert: Option<AmbiguousInsert>,
    /// Seed of the jitter (whole, 0..2^53-1). Default 0.
    pub seed: Option<f64>,
    /// Refresh when the token expires within this, ms. Default 5000 (Zoho's SDKs).
    pub token_refresh_skew_ms: Option<f64>,
    /// Ask another caller to refresh after this long without `tokenRefreshed`, ms.
    /// Default 30000.
    pub token_refresh_timeout_ms: Option<f64>,
    /// Multiplicative decrease of the concurrency on TOO_MANY_REQUESTS, per mille.
    /// Default 700 (AWS adaptive mode, CUBIC β = 0.7).
    pub aimd_decrease_permille: Option<f64>,
    /// A 429 is credit exhaustion when the remaining credits are at most this share of
    /// the allowance, per mille. Default 10.
    pub credits_nearly_gone_permille: Option<f64>,
    /// `waitMs` of refusals that end on an event (a slot, a token), ms. Default 50.
    pub poll_ms: Option<f64>,
    /// Events kept in the decision log before it restarts (0: no log). Default 10000.
    pub log_capacity: Option<f64>,
}

/// `config.retry` as JavaScript passes it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct RawRetry {
    /// Attempts per logical request, the first included (1..100). Default 3 (AWS SDK v3).
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
    /// Retry-After policy. Default `honour`.
    pub retry_after: Option<RetryAfterPolicy>,
    /// Largest positive jitter after a server-given instant, ms. Default 1000.
    pub retry_after_jitter_ms: Option<f64>,
}

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
}

/// `config.breaker` as JavaScript passes it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct RawBreaker {
    /// Consecutive server (or network) failures that open it. Default 5 (cockatiel).
    pub threshold: Option<f64>,
    /// Open time before one probe, ms. Default 10000 (cockatiel).
    pub half_open_after_ms: Option<f64>,
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

/// The checked configuration, as stored in the Guard's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GuardConfig {
    /// Edition name as given.
    pub edition: String,
    /// Licences.
    pub licenses: u64,
    /// Add-on credits.
    pub add_on_credits: u64,
    /// Credit cap override.
    pub credit_cap: Option<u64>,
    /// Credits per rolling 24 h (from the catalog).
    pub credit_allowance: u64,
    /// Credits below which Zoho sends X-API-CREDITS-REMAINING (from the catalog).
    pub header_threshold: u64,
    /// Edition concurrency (or the override).
    pub concurrency: u32,
    /// Complex pool.
    pub sub_concurrency: u32,
    /// GraphQL pool.
    pub graphql_concurrency: u32,
    /// Credit cost overrides.
    pub costs: CostOverrides,
    /// Retry policy.
    pub retry: RetryConfig,
    /// Retry budget.
    pub budget: BudgetConfig,
    /// Circuit breaker.
    pub breaker: BreakerConfig,
    /// Ambiguous insert handling.
    pub ambiguous_insert: AmbiguousInsert,
    /// Jitter seed.
    pub seed: u64,
    /// Proactive refresh skew, ms.
    pub token_refresh_skew_ms: u64,
    /// Refresh re-ask timeout, ms.
    pub token_refresh_timeout_ms: u64,
    /// AIMD decrease, per mille (1..=999).
    pub aimd_decrease_permille: u32,
    /// Credit-exhaustion threshold, per mille (0..=1000).
    pub credits_nearly_gone_permille: u32,
    /// Polling hint, ms.
    pub poll_ms: u64,
    /// Decision-log capacity.
    pub log_capacity: u32,
}

/// A whole number in `min..=max`, or the default when absent.
fn whole(value: Option<f64>, field: &str, default: u64, min: u64, max: u64) -> Result<u64> {
    let Some(v) = value else { return Ok(default) };
    if !v.is_finite() || v.fract() != 0.0 || v < min as f64 || v > max as f64 {
        return Err(Error::invalid(
            field,
            format!("expected a whole number in {min}..={max}, got {v}"),
        ));
    }
    // Whole and within u64 range, so the cast is exact.
    Ok(v as u64)
}

fn whole32(value: Option<f64>, field: &str, default: u32, min: u32, max: u32) -> Result<u32> {
    let v = whole(value, field, default.into(), min.into(), max.into())?;
    u32::try_from(v).map_err(|_| Error::invalid(field, "out of range"))
}

impl GuardConfig {
    /// Checks a raw configuration; every absurd figure is an `INVALID_ARGUMENT` naming it.
    pub fn from_raw(raw: RawGuardConfig) -> Result<Self> {
        let Some(edition) = raw.edition else {
            return Err(Error::invalid("config.edition", "is required"));
        };
        let limits: EditionLimits = edition_limits(
            &edition,
            &EditionOptions {
                licenses: raw.licenses,
                add_on_credits: raw.add_on_credits,
                credit_cap: raw.credit_cap,
                add_ons_above_cap: None,
                concurrency: raw.concurrency,
            },
        )
        .map_err(|e| match e {
            Error::InvalidArgument { field, reason } => {
                Error::invalid(field.replace("options.", "config."), reason)
            }
            other => other,
        })?;
        let r = raw.retry.unwrap_or_default();
        let b = raw.budget.unwrap_or_default();
        let k = raw.breaker.unwrap_or_default();
        let ms = |v, f: &str, d| whole(v, f, d, 0, MAX_CONFIG_MS);
        let retry = RetryConfig {
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
        };
        let budget = BudgetConfig {
            capacity: whole32(
                b.capacity,
                "config.budget.capacity",
                DEFAULT_BUDGET_CAPACITY,
                0,
                1_000_000,
            )?,
            retry_cost: whole32(
                b.retry_cost,
                "config.budget.retryCost",
                DEFAULT_RETRY_COST,
                0,
                1_000_000,
            )?,
            timeout_cost: whole32(
                b.timeout_cost,
                "config.budget.timeoutCost",
                DEFAULT_TIMEOUT_COST,
                0,
                1_000_000,
            )?,
            success_refund: whole32(
                b.success_refund,
                "config.budget.successRefund",
                DEFAULT_SUCCESS_REFUND,
                0,
                1_000_000,
            )?,
        };
        let breaker = BreakerConfig {
            threshold: whole32(
                k.threshold,
                "config.breaker.threshold",
                DEFAULT_BREAKER_THRESHOLD,
                1,
                1_000_000,
            )?,
            half_open_after_ms: ms(
                k.half_open_after_ms,
                "config.breaker.halfOpenAfterMs",
                DEFAULT_BREAKER_HALF_OPEN_AFTER_MS,
            )?,
        };
        let credit_cap = match raw.credit_cap {
            None => None,
            Some(_) => limits.credits.cap,
        };
        Ok(GuardConfig {
            edition,
            licenses: limits.credits.licenses,
            add_on_credits: limits.credits.add_on_credits,
            credit_cap,
            credit_allowance: limits.credits.available,
            header_threshold: limits.credits.header_threshold,
            concurrency: limits.concurrency,
            sub_concurrency: whole32(
                raw.sub_concurrency,
                "config.subConcurrency",
                limits.sub_concurrency,
                1,
                1_000,
            )?,
            graphql_concurrency: whole32(
                raw.graphql_concurrency,
                "config.graphqlConcurrency",
                limits.graphql_concurrency,
                1,
                1_000,
            )?,
            costs: raw.costs.unwrap_or_default(),
            retry,
            budget,
            breaker,
            ambiguous_insert: raw.ambiguous_insert.unwrap_or_default(),
            seed: whole(raw.seed, "config.seed", 0, 0, MAX_SAFE_INTEGER)?,
            token_refresh_skew_ms: ms(
                raw.token_refresh_skew_ms,
                "config.tokenRefreshSkewMs",
                DEFAULT_TOKEN_REFRESH_SKEW_MS,
            )?,
            token_refresh_timeout_ms: whole(
                raw.token_refresh_timeout_ms,
                "config.tokenRefreshTimeoutMs",
                DEFAULT_TOKEN_REFRESH_TIMEOUT_MS,
                1,
                MAX_CONFIG_MS,
            )?,
            aimd_decrease_permille: whole32(
                raw.aimd_decrease_permille,
                "config.aimdDecreasePermille",
                DEFAULT_AIMD_DECREASE_PERMILLE,
                1,
                999,
            )?,
            credits_nearly_gone_permille: whole32(
                raw.credits_nearly_gone_permille,
                "config.creditsNearlyGonePermille",
                DEFAULT_CREDITS_NEARLY_GONE_PERMILLE,
                0,
                1_000,
            )?,
            poll_ms: whole(
                raw.poll_ms,
                "config.pollMs",
                DEFAULT_POLL_MS,
                1,
                MAX_CONFIG_MS,
            )?,
            log_capacity: whole32(
                raw.log_capacity,
                "config.logCapacity",
                DEFAULT_LOG_CAPACITY,
                0,
                10_000_000,
            )?,
        })
    }

    /// A configuration with every default for an edition (tests and Rust callers).
    pub fn for_edition(edition: &str) -> Result<Self> {
        Self::from_raw(RawGuardConfig {
            edition: Some(edition.into()),
            ..RawGuardConfig::default()
        })
    }
}
