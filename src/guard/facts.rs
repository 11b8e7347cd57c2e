//! What the settle rules read of a verdict: the response-wide fields, the top error's
//! code, and the failed records as runs of equal facts ([`VerdictFacts`]).
//!
//! The rules decide on these facts whatever the verdict was made from (an owned
//! [`Verdict`], or a lean one whose records borrow the body), so `settle` never builds
//! owned `details` to decide. The decision log keeps the facts in place of the verdict:
//! codes, counts and index runs, not messages and details, so a logged settle costs a
//! few hundred bytes instead of a copy of the reply, and replays exactly.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::classify::{Category, Classified, Credits, LeanRecord, Outcome, RetryHint, Verdict};

/// The code whose `details` may name the existing record (a resent insert's success).
pub const DUPLICATE_DATA: &str = "DUPLICATE_DATA";

/// Consecutive failed records with equal facts: indices `from..from + count`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FailedRun {
    /// Index of the first record of the run.
    pub from: usize,
    /// Records in the run.
    pub count: usize,
    /// Their code.
    pub code: String,
    /// Their category.
    pub category: Category,
    /// Their retry hint.
    pub retry: RetryHint,
    /// A DUPLICATE_DATA whose details name the existing record (always `false` for
    /// other codes).
    pub names_record: bool,
}

impl FailedRun {
    /// The indices of the run's records.
    pub fn indices(&self) -> std::ops::Range<usize> {
        self.from..self.from.saturating_add(self.count)
    }
}

/// The facts of a verdict that the settle rules read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VerdictFacts {
    /// Overall outcome.
    pub outcome: Outcome,
    /// HTTP status (0: no response).
    pub http_status: u16,
    /// Category of the whole response.
    pub category: Category,
    /// Retry hint of the whole response.
    pub retry: RetryHint,
    /// Code of the top-level error, when there is one.
    pub error_code: Option<String>,
    /// Records that succeeded.
    pub ok_records: usize,
    /// The failed records, in order.
    pub failed: Vec<FailedRun>,
    /// Credits from `X-API-CREDITS-REMAINING`.
    #[cfg_attr(feature = "ts", ts(inline))]
    pub credits: Option<Credits>,
    /// Delay asked by the server, ms.
    pub retry_after_ms: Option<u64>,
    /// Access-token expiry, ms since the Unix epoch.
    pub token_expires_at: Option<u64>,
}

/// The id of the existing record a DUPLICATE_DATA names (`details.duplicate_record.id`
/// or `details.id`; the exact key is unverified, sources §5).
fn names_record(details: &Value) -> bool {
    details
        .get("duplicate_record")
        .and_then(|d| d.get("id"))
        .or_else(|| details.get("id"))
        .is_some_and(Value::is_string)
}

impl VerdictFacts {
    /// The response-wide facts of `v`, no records yet.
    fn head(v: &Verdict) -> Self {
        VerdictFacts {
            outcome: v.outcome,
            http_status: v.http_status,
            category: v.category,
            retry: v.retry,
            error_code: v.error.as_ref().map(|e| e.code.clone()),
            ok_records: 0,
            failed: Vec::new(),
            credits: v.credits,
            retry_after_ms: v.retry_after_ms,
            token_expires_at: v.token_expires_at,
        }
    }

    /// The facts of an owned verdict.
    pub fn of(v: &Verdict) -> Self {
        let mut facts = VerdictFacts::head(v);
        for r in &v.records {
            facts.push(r.index, r.ok, &r.code, r.category, r.retry, || {
                names_record(&r.details)
            });
        }
        facts
    }

    /// The facts of a lean verdict (`details` parsed only for a DUPLICATE_DATA).
    pub fn of_lean(c: &Classified<'_>) -> Self {
        let mut facts = VerdictFacts::head(&c.verdict);
        for r in &c.records {
            facts.push_lean(r);
        }
        facts
    }

    fn push_lean(&mut self, r: &LeanRecord<'_>) {
        self.push(r.index, r.ok, &r.code, r.category, r.retry, || {
            r.details
                .and_then(|d| serde_json::from_str::<Value>(d.get()).ok())
                .is_some_and(|d| names_record(&d))
        });
    }

    /// Adds one record: counted when ok, else appended to (or extending) a run.
    fn push(
        &mut self,
        index: usize,
        ok: bool,
        code: &str,
        category: Category,
        retry: RetryHint,
        named: impl FnOnce() -> bool,
    ) {
        if ok {
            self.ok_records = self.ok_records.saturating_add(1);
            return;
        }
        let names_record = code == DUPLICATE_DATA && named();
        if let Some(last) = self.failed.last_mut() {
            if last.indices().end == index
                && last.code == code
                && last.category == category
                && last.retry == retry
                && last.names_record == names_record
            {
                last.count = last.count.saturating_add(1);
                return;
            }
        }
        self.failed.push(FailedRun {
            from: index,
            count: 1,
            code: code.to_owned(),
            category,
            retry,
            names_record,
        });
    }

    /// Whether any record failed.
    pub fn any_failed(&self) -> bool {
        !self.failed.is_empty()
    }

    /// The top error's code, `""` without one.
    pub fn code(&self) -> &str {
        self.error_code.as_deref().unwrap_or("")
    }

    /// The verdict these facts describe, without messages, details or records (what a
    /// replayed decision carries; the log keeps the facts).
    pub fn shell(&self) -> Verdict {
        Verdict {
            outcome: self.outcome,
            http_status: self.http_status,
            category: self.category,
            retry: self.retry,
            error: None,
            records: Vec::new(),
            credits: self.credits,
            retry_after_ms: self.retry_after_ms,
            token_expires_at: self.token_expires_at,
        }
    }

    /// Bytes held on the heap by these facts (runs and codes).
    pub fn heap_bytes(&self) -> usize {
        let runs = self
            .failed
            .capacity()
            .saturating_mul(std::mem::size_of::<FailedRun>());
        let codes: usize = self.failed.iter().map(|r| r.code.capacity()).sum();
        let error = self.error_code.as_ref().map_or(0, String::capacity);
        runs.saturating_add(codes).saturating_add(error)
    }
}

/// Every failed record's index, with its run, in order.
pub fn failed_indices(facts: &VerdictFacts) -> impl Iterator<Item = (usize, &FailedRun)> {
    facts
        .failed
        .iter()
        .flat_map(|r| r.indices().map(move |i| (i, r)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::RecordResult;
    use serde_json::json;

    fn rec(index: usize, code: &str, retry: RetryHint, details: Value) -> RecordResult {
        RecordResult {
            details,
            ..RecordResult::rejected(index, code, "m", Category::Validation, retry)
        }
    }

    #[test]
    fn failed_records_collapse_into_runs() {
        let mut records = vec![RecordResult::success(0)];
        records.push(rec(1, "INVALID_DATA", RetryHint::None, json!({})));
        records.push(rec(2, "INVALID_DATA", RetryHint::None, json!({"x": 1})));
        records.push(rec(3, "RECORD_LOCKED", RetryHint::Backoff, json!({})));
        records.push(RecordResult::success(4));
        records.push(rec(5, DUPLICATE_DATA, RetryHint::None, json!({"id": "9"})));
        records.push(rec(6, DUPLICATE_DATA, RetryHint::None, json!({})));
        let facts = VerdictFacts::of(&Verdict::partial(records));
        assert_eq!(facts.ok_records, 2);
        let runs: Vec<_> = facts
            .failed
            .iter()
            .map(|r| (r.from, r.count, r.code.as_str(), r.names_record))
            .collect();
        assert_eq!(
            runs,
            vec![
                (1, 2, "INVALID_DATA", false),
                (3, 1, "RECORD_LOCKED", false),
                (5, 1, DUPLICATE_DATA, true),
                (6, 1, DUPLICATE_DATA, false),
            ]
        );
        let indices: Vec<usize> = failed_indices(&facts).map(|(i, _)| i).collect();
        assert_eq!(indices, vec![1, 2, 3, 5, 6]);
    }
}
