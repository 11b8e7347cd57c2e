//! Forecast of a job of many records: calls, credits, the minimum number of concurrency
//! rounds, whether the Bulk Write API is cheaper, whether it fits in the rolling window.

use serde::{Deserialize, Serialize};

use crate::catalog::{
    credit_cost, edition_limits, operation_limits, CostOverrides, EditionOptions, Operation,
    OperationKind, BULK_WRITE_CREDITS, CREDIT_WINDOW_MS, MAX_BULK_WRITE_RECORDS, MAX_RECORD_COUNT,
    SUB_CONCURRENCY,
};
use crate::error::{Error, Result};

/// Options of [`plan_job`], as JavaScript passes them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct JobOptions {
    /// Edition name or alias (required).
    #[cfg_attr(feature = "ts", ts(type = "EditionName"))]
    pub edition: Option<String>,
    /// Paid user licences.
    pub licenses: Option<f64>,
    /// Add-on credits.
    pub add_on_credits: Option<f64>,
    /// Override of the edition cap.
    pub credit_cap: Option<f64>,
    /// Credits left now (`X-API-CREDITS-REMAINING`); default: the whole allowance.
    pub credits_remaining: Option<f64>,
    /// Records per call, at most the operation's limit.
    pub max_records: Option<u32>,
    /// Overrides of the credit table.
    pub cost_overrides: Option<CostOverrides>,
}

/// The Bulk Write alternative.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BulkWriteForecast {
    /// Jobs needed (one file of at most 25,000 records each).
    pub jobs: u64,
    /// Credits of those jobs (500 each: third-party, unverified).
    pub credits: u64,
    /// Whether it costs fewer credits than the record API.
    pub cheaper: bool,
    /// Credits saved by using it (0 when not cheaper).
    pub saving: u64,
}

/// The forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JobPlan {
    /// The operation's kind.
    pub kind: OperationKind,
    /// Records in the job.
    pub count: u64,
    /// Records per call.
    pub records_per_call: u64,
    /// Calls needed.
    pub calls: u64,
    /// Credits of those calls.
    pub credits: u64,
    /// Whether the calls count against the complex pool of 10.
    pub complex: bool,
    /// Calls that may run at once: the edition's concurrency, or the complex pool.
    pub parallel: u64,
    /// Minimum number of rounds of concurrent calls.
    pub min_rounds: u64,
    /// Credits available now (remaining, or the edition's allowance).
    pub credits_available: u64,
    /// Whether the credits are there to finish within the rolling 24 h window.
    pub fits_in_window: bool,
    /// Rolling windows needed at the least (1 when it fits).
    pub windows_needed: u64,
    /// Earliest finish in ms from now, from the credit window alone (0 when it fits).
    pub min_duration_ms: u64,
    /// The Bulk Write alternative, for insert/update/upsert.
    #[cfg_attr(feature = "ts", ts(inline))]
    pub bulk_write: Option<BulkWriteForecast>,
    /// Figures that rest on unverified sources.
    pub caveats: Vec<&'static str>,
}

/// Forecasts a job of `count` records of `op`'s kind for an org.
pub fn plan_job(op: &Operation, count: u64, options: &JobOptions) -> Result<JobPlan> {
    if count > u64::from(MAX_RECORD_COUNT) {
        return Err(Error::invalid(
            "count",
            format!("{count} exceeds {MAX_RECORD_COUNT}"),
        ));
    }
    let edition = options
        .edition
        .as_deref()
        .ok_or_else(|| Error::invalid("options.edition", "is required"))?;
    let limits = edition_limits(
        edition,
        &EditionOptions {
            licenses: options.licenses,
            add_on_credits: options.add_on_credits,
            credit_cap: options.credit_cap,
            ..EditionOptions::default()
        },
    )?;
    let overrides = options.cost_overrides.clone().unwrap_or_default();
    let op_max = u64::from(operation_limits(op).max_records_per_call.unwrap_or(1));
    let per = match options.max_records {
        Some(0) => return Err(Error::invalid("options.maxRecords", "must be at least 1")),
        Some(n) => u64::from(n).min(op_max),
        None => op_max,
    };
    let calls = count.div_ceil(per);
    let full = count / per;
    let rest = count % per;
    let cost = |n: u64| {
        let o = Operation {
            record_count: Some(u32::try_from(n).unwrap_or(u32::MAX)),
            ..op.clone()
        };
        (
            u64::from(credit_cost(&o, &overrides).credits),
            o.is_complex(),
        )
    };
    let (full_credits, full_complex) = cost(per);
    let (rest_credits, rest_complex) = if rest > 0 { cost(rest) } else { (0, false) };
    let credits = full
        .saturating_mul(full_credits)
        .saturating_add(rest_credits);
    let complex = (full > 0 && full_complex) || (rest > 0 && rest_complex);
    let slots = u64::from(op.concurrency_slots().max(1));
    let mut parallel = u64::from(limits.concurrency) / slots;
    if complex {
        parallel = parallel.min(u64::from(SUB_CONCURRENCY));
    }
    let parallel = parallel.max(1);
    let credits_available = match options.credits_remaining {
        None => limits.credits.available,
        Some(v) if v.is_finite() && v >= 0.0 => v as u64,
        Some(v) => {
            return Err(Error::invalid(
                "options.creditsRemaining",
                format!("expected a non-negative number, got {v}"),
            ))
        }
    };
    let fits = credits <= credits_available;
    let allowance = limits.credits.available.max(1);
    let windows_needed = if fits {
        1
    } else {
        // What is left now, then whole allowances, each freed 24 h after use.
        1u64.saturating_add(
            credits
                .saturating_sub(credits_available)
                .div_ceil(allowance),
        )
    };
    let bulk_write = op.kind.is_record_write().then(|| {
        let jobs = count.div_ceil(u64::from(MAX_BULK_WRITE_RECORDS));
        let bulk = jobs.saturating_mul(u64::from(BULK_WRITE_CREDITS));
        BulkWriteForecast {
            jobs,
            credits: bulk,
            cheaper: bulk < credits,
            saving: credits.saturating_sub(bulk),
        }
    });
    let mut caveats = vec![
        "Write credits of 1 per 10 records and Bulk Write's 500 credits come from a third-party summary (unverified).",
    ];
    caveats.extend(limits.caveats.iter().copied());
    Ok(JobPlan {
        kind: op.kind,
        count,
        records_per_call: per,
        calls,
        credits,
        complex,
        parallel,
        min_rounds: calls.div_ceil(parallel),
        credits_available,
        fits_in_window: fits,
        windows_needed,
        min_duration_ms: windows_needed
            .saturating_sub(1)
            .saturating_mul(CREDIT_WINDOW_MS),
        bulk_write,
        caveats,
    })
}
