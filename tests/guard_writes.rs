//! Guard writes: per-record retries of a 207, batch splits, inserts that lost their response.

mod support;

use serde_json::json;
use support::guard::*;
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::classify::{Category, Outcome, RetryHint};
use zcrm_guard::guard::{Action, Reason};

#[test]
fn a_207_with_locked_records_retries_only_those() {
    let mut g = guard("enterprise");
    let t = ticket(g.admit(&insert(4), 0.0, None).unwrap());
    let mut v = ok();
    v.outcome = Outcome::Partial;
    v.http_status = 207;
    v.category = Category::Partial;
    v.retry = RetryHint::Records;
    v.records = vec![
        created(0, "1"),
        locked(1),
        record(
            2,
            false,
            "INVALID_DATA",
            Category::Validation,
            RetryHint::None,
            json!({"api_name": "Email"}),
        ),
        record(
            3,
            false,
            "INTERNAL_ERROR",
            Category::Server,
            RetryHint::Backoff,
            json!({}),
        ),
    ];
    let d = g.settle_verdict(t, &v, 10.0).unwrap();
    assert_eq!(
        (d.action, d.reason),
        (Action::RetryRecords, Reason::RecordsRetryable)
    );
    assert_eq!(d.indices, Some(vec![1, 3]));
    assert!(d.delay_ms <= 1_000);
    // Only final failures left: done.
    let t2 = ticket(g.admit(&insert(2), 1_000.0, Some(t)).unwrap());
    let mut v2 = v.clone();
    v2.records = vec![
        created(0, "2"),
        record(
            1,
            false,
            "INVALID_DATA",
            Category::Validation,
            RetryHint::None,
            json!({}),
        ),
    ];
    let d2 = g.settle_verdict(t2, &v2, 1_010.0).unwrap();
    assert_eq!((d2.action, d2.reason), (Action::Done, Reason::PartialFinal));
}

#[test]
fn limit_exceeded_on_a_batch_splits_it() {
    let mut g = guard("enterprise");
    let t = ticket(g.admit(&insert(100), 0.0, None).unwrap());
    let d = g
        .settle_verdict(
            t,
            &top(400, "LIMIT_EXCEEDED", Category::Limit, RetryHint::None),
            10.0,
        )
        .unwrap();
    assert_eq!((d.action, d.reason), (Action::Split, Reason::SplitBatch));
    assert_eq!(d.inputs.split_max_records, Some(50));
}

#[test]
fn an_insert_without_a_response_is_never_blindly_resent() {
    let (_, d) = no_response_under("verify");
    assert_eq!(
        (d.action, d.reason),
        (Action::Verify, Reason::AmbiguousWrite)
    );
    let (_, d) = no_response_under("upsert");
    assert_eq!(
        (d.action, d.reason),
        (Action::Retry, Reason::ResendAsUpsert)
    );
    assert_eq!(d.inputs.resend_as.as_deref(), Some("upsert"));
    let (_, d) = no_response_under("give_up");
    assert_eq!(
        (d.action, d.reason),
        (Action::GiveUp, Reason::AmbiguousWrite)
    );
    // A truncated body counts the same; an update is safe to resend.
    let mut g = guard("enterprise");
    let t = ticket(g.admit(&insert(1), 0.0, None).unwrap());
    assert_eq!(
        g.settle_no_response(t, 10.0, true).unwrap().action,
        Action::Verify
    );
    let t = ticket(
        g.admit(
            &Operation::new(OperationKind::Update).with_records(1),
            20.0,
            None,
        )
        .unwrap(),
    );
    let d = g.settle_no_response(t, 30.0, false).unwrap();
    assert_eq!((d.action, d.reason), (Action::Retry, Reason::NetworkError));
}

#[test]
fn duplicate_data_on_a_resent_insert_is_the_lost_attempts_success() {
    let (mut g, d) = no_response_under("verify");
    // Verified: record 0 not found, resend it; Zoho says it is a duplicate of the record the lost attempt made.
    let t2 = ticket(g.admit(&insert(1), 31_000.0, Some(d.request)).unwrap());
    let mut v = top(400, "x", Category::Duplicate, RetryHint::None);
    v.error = None;
    v.records = vec![record(
        0,
        false,
        "DUPLICATE_DATA",
        Category::Duplicate,
        RetryHint::None,
        json!({"api_name": "Email", "duplicate_record": {"id": "5725767000000524157", "module": {"api_name": "Leads"}}}),
    )];
    let d2 = g.settle_verdict(t2, &v, 31_100.0).unwrap();
    assert_eq!(
        (d2.action, d2.reason),
        (Action::Done, Reason::DuplicateOfLostAttempt)
    );
    assert_eq!(d2.inputs.recovered, Some(vec![0]));
    // On a first attempt the same answer is a real duplicate.
    let t3 = ticket(g.admit(&insert(1), 32_000.0, None).unwrap());
    let d3 = g.settle_verdict(t3, &v, 32_100.0).unwrap();
    assert_eq!(
        (d3.action, d3.reason),
        (Action::GiveUp, Reason::NotRetryable)
    );
}
