//! What `mergeResults` reads back from JavaScript: batches, verdicts and prior results
//! as the package handed them out, read leniently (a record result edited by the
//! caller, or written by hand, still merges; unknown names read as `unknown`/`none`).

use serde::Deserialize;
use serde_json::{json, Value};

use zcrm_guard::batch::{MergeOptions, Reply};
use zcrm_guard::classify::{Category, RecordResult, RetryHint, TopError};

/// A batch as JavaScript passes it back: only its indices matter here.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BatchIndices {
    /// The caller indices of the batch.
    pub indices: Vec<usize>,
}

/// A record result as JavaScript passes it back (a verdict's `records[]` entry or a
/// validation error).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RecordIn {
    index: usize,
    ok: bool,
    code: String,
    message: String,
    details: Value,
    id: Option<String>,
    action: Option<String>,
    category: Option<String>,
    retry: Option<String>,
}

/// A top-level error as JavaScript passes it back.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TopIn {
    code: String,
    message: String,
    details: Value,
    category: Option<String>,
    retry: Option<String>,
}

/// A verdict as JavaScript passes it back (from `classify`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VerdictIn {
    records: Vec<RecordIn>,
    error: Option<TopIn>,
}

/// `mergeResults`' options.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct MergeIn {
    /// How many records the caller had (at most 1,000,000; read as u64 so that a
    /// larger whole number is refused by the cap, not by a 32-bit `usize`).
    pub count: Option<u64>,
    prior: Vec<RecordIn>,
}

impl MergeIn {
    /// The count as a `usize` (beyond it: `usize::MAX`, refused by the cap).
    pub fn count(&self) -> Option<usize> {
        self.count.map(|c| usize::try_from(c).unwrap_or(usize::MAX))
    }
}

impl From<MergeIn> for MergeOptions {
    fn from(m: MergeIn) -> Self {
        MergeOptions {
            count: m.count(),
            prior: m.prior.into_iter().map(RecordResult::from).collect(),
        }
    }
}

fn category(name: Option<&str>) -> Category {
    name.and_then(Category::from_name)
        .unwrap_or(Category::Unknown)
}

fn retry(name: Option<&str>) -> RetryHint {
    name.and_then(RetryHint::from_name)
        .unwrap_or(RetryHint::None)
}

fn details_or_empty(v: Value) -> Value {
    if v.is_null() {
        json!({})
    } else {
        v
    }
}

impl From<RecordIn> for RecordResult {
    fn from(r: RecordIn) -> Self {
        RecordResult {
            index: r.index,
            ok: r.ok,
            code: r.code,
            message: r.message,
            details: details_or_empty(r.details),
            id: r.id,
            action: r.action,
            category: category(r.category.as_deref()),
            retry: retry(r.retry.as_deref()),
        }
    }
}

impl From<VerdictIn> for Reply {
    fn from(v: VerdictIn) -> Self {
        Reply {
            records: v.records.into_iter().map(RecordResult::from).collect(),
            error: v.error.map(|e| TopError {
                code: e.code,
                message: e.message,
                details: details_or_empty(e.details),
                category: category(e.category.as_deref()),
                retry: retry(e.retry.as_deref()),
            }),
        }
    }
}
