//! Short replies: a 2xx write reply with fewer results than the records sent (`{}`,
//! `{"data":[]}`, an entry missing) is `SHORT_REPLY`, never a success; the Guard
//! retries an idempotent call and verifies an insert.

// Helpers outside #[test] functions may fail loudly too (clippy.toml allows it in tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::json;
use support::guard::*;
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::classify::{
    classify, Category, ClassifyOptions, Outcome, Response, RetryHint, Verdict, SHORT_REPLY,
};
use zcrm_guard::guard::{Action, Reason};

const ONE_OK: &str = r#"{"data":[{"code":"SUCCESS","details":{"id":"1"},"message":"record added","status":"success"}]}"#;
const ONE_LOCKED: &str =
    r#"{"data":[{"code":"RECORD_LOCKED","details":{},"message":"locked","status":"error"}]}"#;

fn reply(op: Option<&Operation>, status: u16, body: &str) -> Verdict {
    classify(
        &Response::from_text(status, &[], body),
        op,
        &ClassifyOptions::default(),
    )
    .unwrap()
}

fn assert_short(v: &Verdict, expected: u32, received: usize) {
    assert_eq!(v.outcome, Outcome::Failure);
    assert_eq!(
        (v.category, v.retry),
        (Category::Unknown, RetryHint::Backoff)
    );
    let e = v.error.as_ref().expect("a top-level error");
    assert_eq!(e.code, SHORT_REPLY);
    assert_eq!(
        (e.category, e.retry),
        (Category::Unknown, RetryHint::Backoff)
    );
    assert_eq!(
        e.details,
        json!({"expected": expected, "received": received})
    );
    assert_eq!(v.records.len(), received, "the records as received");
}

#[test]
fn fewer_results_than_records_is_a_short_reply() {
    let op = insert(3);
    for (body, received) in [
        ("{}", 0),
        (r#"{"data":[]}"#, 0),
        ("", 0),
        (ONE_OK, 1),
        (ONE_LOCKED, 1),
    ] {
        for status in [200, 201, 202, 207] {
            let v = reply(Some(&op), status, body);
            assert_short(&v, 3, received);
        }
    }
    let v = reply(Some(&op), 201, ONE_OK);
    assert!(v.records[0].ok, "the result received is kept as it is");
    for kind in [
        OperationKind::Update,
        OperationKind::Upsert,
        OperationKind::Delete,
    ] {
        let op = Operation::new(kind).with_records(2);
        assert_short(&reply(Some(&op), 200, ONE_OK), 2, 1);
    }
}

#[test]
fn a_full_reply_or_no_record_count_is_read_as_before() {
    // As many results as records: a success.
    let v = reply(Some(&insert(1)), 201, ONE_OK);
    assert_eq!((v.outcome, v.category), (Outcome::Success, Category::Ok));
    // Without a record count, nothing to compare with.
    for op in [None, Some(Operation::new(OperationKind::Insert))] {
        let v = reply(op.as_ref(), 200, "{}");
        assert_eq!((v.outcome, v.category), (Outcome::Success, Category::Ok));
        assert!(v.error.is_none());
    }
    // Reads and mass updates (one job for all records) have no result per record.
    let get = Operation::new(OperationKind::Get).with_records(200);
    assert_eq!(
        reply(Some(&get), 200, r#"{"data":[]}"#).category,
        Category::Ok
    );
    let mass = Operation::new(OperationKind::MassUpdate).with_records(500);
    assert_eq!(reply(Some(&mass), 200, ONE_OK).category, Category::Ok);
    // A 204, and an error the body states, are not short replies.
    assert_eq!(reply(Some(&insert(3)), 204, "").outcome, Outcome::Empty);
    let v = reply(
        Some(&insert(3)),
        200,
        r#"{"code":"INVALID_DATA","message":"bad","status":"error"}"#,
    );
    assert_eq!(v.error.unwrap().code, "INVALID_DATA");
    let v = reply(Some(&insert(3)), 400, "{}");
    assert_ne!(v.error.unwrap().code, SHORT_REPLY, "only on a 2xx");
}

#[test]
fn the_guard_retries_a_short_reply_to_an_idempotent_call_and_verifies_an_insert() {
    let op = Operation::new(OperationKind::Upsert)
        .with_module("Leads")
        .with_records(3);
    let mut g = guard("enterprise");
    let t = ticket(g.admit(&op, 0.0, None).unwrap());
    let d = g
        .settle(t, &Response::from_text(200, &[], ONE_OK), 10.0)
        .unwrap();
    assert_eq!((d.action, d.reason), (Action::Retry, Reason::ShortReply));
    let t = ticket(g.admit(&insert(3), 20.0, None).unwrap());
    let d = g
        .settle(t, &Response::from_text(201, &[], r#"{"data":[]}"#), 30.0)
        .unwrap();
    assert_eq!(
        (d.action, d.reason),
        (Action::Verify, Reason::AmbiguousWrite)
    );
    assert_eq!(d.verdict.error.unwrap().code, SHORT_REPLY);
}
