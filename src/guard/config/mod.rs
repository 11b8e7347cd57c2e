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

mod budget;
mod retry;

use serde::{Deserialize, Serialize};

pub use budget::*;
pub use retry::*;

use crate::catalog::{edition_limits, CostOverrides, EditionLimits, EditionOptions};
use crate::error::{Error, Result};

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

/// Accounted bytes of the decision log (start state and events) before it restarts
/// (1 MiB): about 1,000 settles of 100-record replies (a few hundred bytes to 2 KiB
/// each, by their failed records), or thousands of plain events. A Guard's memory
/// stays a few MiB, far within a Worker's 128 MB.
pub const DEFAULT_LOG_MAX_BYTES: u64 = 1 << 20;

/// Largest `logMaxBytes` accepted (1 GiB).
pub const MAX_LOG_MAX_BYTES: u64 = 1 << 30;

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
    /// Accounted bytes of the decision log (its start state and events) before it
    /// restarts (1024..=2^30). Default 1048576 (1 MiB): about 1,000 settles of
    /// 100-record replies. Settles are logged as codes and counts, not verdicts.
    pub log_max_bytes: Option<f64>,
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
    /// Decision-log byte bound.
    #[serde(default = "default_log_max_bytes")]
    pub log_max_bytes: u64,
}

fn default_log_max_bytes() -> u64 {
    DEFAULT_LOG_MAX_BYTES
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
        let retry = RetryConfig::from_raw(raw.retry.unwrap_or_default())?;
        let budget = BudgetConfig::from_raw(raw.budget.unwrap_or_default())?;
        let breaker = BreakerConfig::from_raw(raw.breaker.unwrap_or_default())?;
        let ms = |v, f: &str, d| whole(v, f, d, 0, MAX_CONFIG_MS);
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
            log_max_bytes: whole(
                raw.log_max_bytes,
                "config.logMaxBytes",
                DEFAULT_LOG_MAX_BYTES,
                1024,
                MAX_LOG_MAX_BYTES,
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
