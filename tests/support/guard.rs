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

/// A record that succeeded, with its id.
pub fn created(index: usize, id: &str) -> RecordResult {
    record(
        index,
        true,
        "SUCCESS",
        Category::Ok,
        RetryHint::None,
        json!({ "id": id }),
    )
}

/// A record refused with RECORD_LOCKED (retryable).
pub fn locked(index: usize) -> RecordResult {
    record(
        index,
        false,
        "RECORD_LOCKED",
        Category::Locked,
        RetryHint::Backoff,
        json!({}),
    )
}

/// An insert of 3 records under an `ambiguousInsert` setting, settled without a response.
pub fn no_response_under(setting: &str) -> (Guard, Decision) {
    let mut g = guard_with(json!({"edition": "enterprise", "ambiguousInsert": setting}));
    let t = ticket(g.admit(&insert(3), 0.0, None).unwrap());
    let d = g.settle_no_response(t, 30_000.0, false).unwrap();
    (g, d)
}

/// An update of `n` Leads (idempotent).
pub fn update(n: u32) -> Operation {
    Operation::new(OperationKind::Update)
        .with_module("Leads")
        .with_records(n)
}

/// How a driven request is answered.
pub enum Reply<'a> {
    /// The same verdict every time.
    Verdict(&'a Verdict),
    /// No response (`true`: a truncated one).
    Lost(bool),
}

/// Drives one request of `op` from `start_ms`: admits it (waiting out every refusal),
/// answers each attempt with `reply`, and follows each decision after its delay,
/// until a decision that is not a resend (`retry`, `retry_records`, `verify`) or
/// `max` decisions. Returns the decisions and the time reached.
pub fn drive(
    g: &mut Guard,
    op: &Operation,
    reply: &Reply<'_>,
    start_ms: u64,
    max: usize,
) -> (Vec<Decision>, u64) {
    use zcrm_guard::guard::Action;
    let mut now = start_ms;
    let mut retry_of = None;
    let mut out = Vec::new();
    while out.len() < max {
        let t = loop {
            match g.admit(op, now as f64, retry_of).unwrap() {
                Admission::Admitted(a) => break a.ticket,
                Admission::Refused(r) => {
                    assert!(r.wait_ms <= zcrm_guard::MAX_WAIT_MS, "{r:?}");
                    now += r.wait_ms.max(1);
                }
            }
        };
        now += 10;
        let d = match reply {
            Reply::Verdict(v) => g.settle_verdict(t, v, now as f64).unwrap(),
            Reply::Lost(truncated) => g.settle_no_response(t, now as f64, *truncated).unwrap(),
        };
        assert!(d.delay_ms <= zcrm_guard::MAX_WAIT_MS, "{d:?}");
        let again = matches!(
            d.action,
            Action::Retry | Action::RetryRecords | Action::Verify
        );
        now += d.delay_ms;
        retry_of = Some(d.request);
        out.push(d);
        if !again {
            break;
        }
    }
    (out, now)
}

/// A 207 of 100 inserted records like the bench's: 70 created, the rest refused with
/// four codes (long messages and details that the log must not copy).
pub fn reply_207() -> zcrm_guard::classify::Verdict {
    let codes = [
        ("DUPLICATE_DATA", Category::Duplicate, RetryHint::None),
        ("MANDATORY_NOT_FOUND", Category::Validation, RetryHint::None),
        ("INVALID_DATA", Category::Validation, RetryHint::None),
        ("RECORD_LOCKED", Category::Locked, RetryHint::Backoff),
    ];
    let records = (0..100usize)
        .map(|i| {
            if i % 10 < 7 {
                return created(i, &format!("55{i:016}"));
            }
            let (code, category, retry) = codes[i % 4];
            let mut r = record(
                i,
                false,
                code,
                category,
                retry,
                json!({"api_name": "Email", "json_path": format!("$.data[{i}].Email"), "duplicate_record": {"id": "5500000000000001"}}),
            );
            r.message = "the field value is a duplicate of an existing record's, see details".repeat(3);
            r
        })
        .collect();
    zcrm_guard::classify::Verdict::partial(records)
}

/// Admits and settles one 100-record insert with [`reply_207`], 20 s apart.
pub fn settle_reply(g: &mut Guard, i: u32, v: &zcrm_guard::classify::Verdict) {
    let now = 1_700_000_000_000.0 + f64::from(i) * 20_000.0;
    let t = ticket(g.admit(&insert(100), now, None).unwrap());
    g.settle_verdict(t, v, now).unwrap();
}
