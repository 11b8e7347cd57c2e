//! Guards, operations and verdicts of the Guard's scenario tests.

use serde_json::json;
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::classify::{Category, RecordResult, RetryHint, Verdict};
use zcrm_guard::guard::{Admission, Decision, Guard, GuardConfig, RawGuardConfig, Refused};

/// A Guard with the edition's defaults.
pub fn guard(edition: &str) -> Guard {
    Guard::new(GuardConfig::for_edition(edition).unwrap())
}

/// A Guard from a raw (JavaScript-shaped) configuration.
pub fn guard_with(raw: serde_json::Value) -> Guard {
    let raw: RawGuardConfig = serde_json::from_value(raw).unwrap();
    Guard::from_raw(raw).unwrap()
}

/// A GET of Leads.
pub fn get() -> Operation {
    Operation::new(OperationKind::Get).with_module("Leads")
}

/// An insert of `n` Leads.
pub fn insert(n: u32) -> Operation {
    Operation::new(OperationKind::Insert)
        .with_module("Leads")
        .with_records(n)
}

/// The ticket of an admission that must be admitted.
pub fn ticket(a: Admission) -> u64 {
    match a {
        Admission::Admitted(a) => a.ticket,
        Admission::Refused(r) => panic!("refused: {r:?}"),
    }
}

/// The refusal of an admission that must be refused.
pub fn refused(a: Admission) -> Refused {
    match a {
        Admission::Refused(r) => r,
        Admission::Admitted(a) => panic!("admitted: {a:?}"),
    }
}

/// A 200 success.
pub fn ok() -> Verdict {
    Verdict::success(200)
}

/// A top-level error (message: the code in lower case).
pub fn top(status: u16, code: &str, category: Category, retry: RetryHint) -> Verdict {
    Verdict::rejected(status, code, &code.to_lowercase(), category, retry)
}

/// A 429 TOO_MANY_REQUESTS.
pub fn too_many() -> Verdict {
    top(
        429,
        "TOO_MANY_REQUESTS",
        Category::RateLimit,
        RetryHint::Backoff,
    )
}

/// One record's result; its id is `details.id`.
pub fn record(
    index: usize,
    ok: bool,
    code: &str,
    category: Category,
    retry: RetryHint,
    details: serde_json::Value,
) -> RecordResult {
    RecordResult {
        index,
        ok,
        code: code.into(),
        message: code.to_lowercase(),
        id: details
            .get("id")
            .and_then(|v| v.as_str())
            .map(str::to_owned),
        details,
        action: None,
        category,
        retry,
    }
}

/// An insert of 3 records under an `ambiguousInsert` setting, settled without a response.
pub fn no_response_under(setting: &str) -> (Guard, Decision) {
    let mut g = guard_with(json!({"edition": "enterprise", "ambiguousInsert": setting}));
    let t = ticket(g.admit(&insert(3), 0.0, None).unwrap());
    let d = g.settle_no_response(t, 30_000.0, false).unwrap();
    (g, d)
}
