//! The declaration `Decision` is a union discriminated by `action` (see
//! `zcrm_guard::guard::DecisionStep`): these tests check that what the Guard writes
//! is that union, for every action, over a run of mixed replies.

use std::collections::BTreeSet;

use serde_json::{json, Value};
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::classify::{Category, Outcome, RecordResult, RetryHint, Verdict};
use zcrm_guard::guard::{Action, Admission, Decision, DecisionStep, Guard, RawGuardConfig};

fn guard(config: Value) -> Guard {
    let raw: RawGuardConfig = serde_json::from_value(config).unwrap();
    Guard::from_raw(raw).unwrap()
}

fn insert(n: u32) -> Operation {
    Operation::new(OperationKind::Insert)
        .with_module("Leads")
        .with_records(n)
}

fn get() -> Operation {
    Operation::new(OperationKind::Get).with_module("Leads")
}

fn top(status: u16, code: &str, category: Category, retry: RetryHint) -> Verdict {
    Verdict::rejected(status, code, "", category, retry)
}

/// A 207: record 0 succeeded, 1 is locked (retryable), 2 is invalid (final).
fn partial() -> Verdict {
    let rec = |index: usize, ok: bool, code: &str, category, retry| RecordResult {
        ok,
        category,
        retry,
        ..RecordResult::rejected(index, code, "", category, retry)
    };
    let mut v = Verdict::partial(vec![
        rec(0, true, "SUCCESS", Category::Ok, RetryHint::None),
        rec(
            1,
            false,
            "RECORD_LOCKED",
            Category::Locked,
            RetryHint::Backoff,
        ),
        rec(
            2,
            false,
            "INVALID_DATA",
            Category::Validation,
            RetryHint::None,
        ),
    ]);
    v.outcome = Outcome::Partial;
    v
}

/// The replies a run draws from, with the operation each fits.
fn replies() -> Vec<(Operation, Option<Verdict>)> {
    vec![
        (get(), Some(Verdict::success(200))),
        (
            get(),
            Some(top(
                429,
                "TOO_MANY_REQUESTS",
                Category::RateLimit,
                RetryHint::Backoff,
            )),
        ),
        (
            get(),
            Some(top(
                500,
                "INTERNAL_ERROR",
                Category::Server,
                RetryHint::Backoff,
            )),
        ),
        (
            get(),
            Some(top(
                401,
                "INVALID_TOKEN",
                Category::Auth,
                RetryHint::RefreshToken,
            )),
        ),
        (
            get(),
            Some(top(
                400,
                "INVALID_DATA",
                Category::Validation,
                RetryHint::None,
            )),
        ),
        (insert(3), Some(partial())),
        (insert(3), None),
        (
            insert(4),
            Some(top(400, "LIMIT_EXCEEDED", Category::Limit, RetryHint::None)),
        ),
    ]
}

/// Checks one decision: its step serializes exactly as its own `action` and `indices`.
fn check(d: &Decision) {
    let wire = serde_json::to_value(d).unwrap();
    let step = serde_json::to_value(DecisionStep::of(d)).unwrap();
    assert_eq!(
        step,
        json!({ "action": wire["action"], "indices": wire["indices"] }),
        "{wire}"
    );
}

#[test]
fn every_action_is_its_step_on_the_wire() {
    let mut seen = BTreeSet::new();
    for max_attempts in [1, 3] {
        for (op, reply) in replies() {
            let mut g = guard(json!({
                "edition": "enterprise",
                "seed": 7,
                "retry": { "maxAttempts": max_attempts },
            }));
            let Admission::Admitted(a) = g.admit(&op, 0.0, None).unwrap() else {
                panic!("refused");
            };
            let d = match &reply {
                Some(v) => g.settle_verdict(a.ticket, v, 10.0).unwrap(),
                None => g.settle_no_response(a.ticket, 10.0, false).unwrap(),
            };
            check(&d);
            seen.insert(format!("{:?}/{}", d.action, d.indices.is_some()));
        }
    }
    let want: BTreeSet<String> = [
        (Action::Done, false),
        (Action::Retry, false),
        (Action::RetryRecords, true),
        (Action::RefreshToken, false),
        (Action::GiveUp, false),
        (Action::GiveUp, true),
        (Action::Verify, false),
        (Action::Split, false),
    ]
    .iter()
    .map(|(a, i)| format!("{a:?}/{i}"))
    .collect();
    assert_eq!(
        seen, want,
        "every action (and give_up with and without indices)"
    );
}

#[test]
fn a_long_mixed_run_keeps_to_the_union() {
    let mut g = guard(json!({ "edition": "professional", "seed": 3 }));
    let replies = replies();
    // (ticket, reply index) of the calls in flight.
    let mut in_flight: Vec<(u64, usize)> = Vec::new();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut decisions = 0;
    for step in 0..3_000u32 {
        let now = f64::from(step) * 25.0;
        if in_flight.is_empty() || next(2) == 0 {
            let pick = next(replies.len());
            if let Admission::Admitted(a) = g.admit(&replies[pick].0, now, None).unwrap() {
                in_flight.push((a.ticket, pick));
            }
            continue;
        }
        let (ticket, pick) = in_flight.swap_remove(next(in_flight.len()));
        let d = match &replies[pick].1 {
            Some(v) => g.settle_verdict(ticket, v, now).unwrap(),
            None => g.settle_no_response(ticket, now, false).unwrap(),
        };
        check(&d);
        if d.action == Action::RefreshToken {
            g.token_refreshed(now, None).unwrap();
        }
        decisions += 1;
    }
    assert!(decisions > 500, "{decisions} decisions");
}
