//! `Guard::settle`: a raw response is classified for the ticket's operation, with
//! the caller's clock, then decided on as `settle_verdict` would.

// Tests may unwrap and panic (clippy.toml allows it inside #[test] fns; helpers need this).
#![allow(clippy::unwrap_used, clippy::panic)]

use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::classify::{classify, Category, ClassifyOptions, Outcome, Response};
use zcrm_guard::guard::{Action, Admission, DelayBasis, Guard, GuardConfig, Reason};

fn guard() -> Guard {
    Guard::new(GuardConfig::for_edition("enterprise").unwrap())
}

fn insert() -> Operation {
    Operation::new(OperationKind::Insert)
        .with_module("Leads")
        .with_records(1)
}

fn admit(g: &mut Guard, op: &Operation, now: f64) -> u64 {
    match g.admit(op, now, None).unwrap() {
        Admission::Admitted(a) => a.ticket,
        Admission::Refused(r) => panic!("refused: {r:?}"),
    }
}

const CREATED: &str = r#"{"data":[{"code":"SUCCESS","details":{"id":"4150868000000624001"},"message":"record added","status":"success"}]}"#;

const TOO_MANY: &str =
    r#"{"code":"TOO_MANY_REQUESTS","details":{},"message":"too many requests","status":"error"}"#;

/// `Sun, 06 Nov 1994 08:49:37 GMT`, in ms since the epoch.
const RETRY_AT_MS: f64 = 784_111_777_000.0;

#[test]
fn a_201_is_done() {
    let mut g = guard();
    let t = admit(&mut g, &insert(), 1_000.0);
    let d = g
        .settle(t, &Response::from_text(201, &[], CREATED), 1_100.0)
        .unwrap();
    assert_eq!((d.action, d.reason), (Action::Done, Reason::Success));
    assert_eq!((d.ticket, d.request, d.attempt), (t, t, 1));
    assert_eq!(d.verdict.http_status, 201);
    assert_eq!(d.verdict.outcome, Outcome::Success);
    assert_eq!(d.verdict.records.len(), 1);
    assert_eq!(
        d.verdict.records[0].id.as_deref(),
        Some("4150868000000624001")
    );
    assert!(g.state().in_flight.is_empty());
    assert_eq!(g.log().events.len(), 2);
}

#[test]
fn a_429_is_retried_with_the_callers_clock_for_an_http_date() {
    let mut g = guard();
    let t = admit(&mut g, &insert(), 1_000.0);
    // No Date header: the HTTP-date Retry-After is read against `now_ms`.
    let now = RETRY_AT_MS - 5_000.0;
    let response = Response::from_text(
        429,
        &[("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT")],
        TOO_MANY,
    );
    let d = g.settle(t, &response, now).unwrap();
    assert_eq!(d.verdict.category, Category::RateLimit);
    assert_eq!(d.verdict.retry_after_ms, Some(5_000));
    assert_eq!(
        (d.action, d.reason),
        (Action::Retry, Reason::TooManyRequests)
    );
    assert_eq!(d.inputs.delay_basis, Some(DelayBasis::RetryAfter));
    assert!((5_000..=6_250).contains(&d.delay_ms), "{}", d.delay_ms);
    // The call told waits; the others go on (scope `call`, the default).
    assert_eq!(g.snapshot(now).unwrap().cooldown_until, None);
    assert!(g.state().in_flight.is_empty());
}

#[test]
fn an_unknown_ticket_is_refused() {
    let mut g = guard();
    let t = admit(&mut g, &insert(), 1_000.0);
    let response = Response::from_text(201, &[], CREATED);
    for unknown in [0, t + 1, u64::MAX] {
        let e = g.settle(unknown, &response, 1_100.0).unwrap_err();
        assert_eq!(e.code(), "UNKNOWN_TICKET", "ticket {unknown}");
    }
    // Nothing changed: the real ticket still settles.
    assert_eq!(g.log().events.len(), 1);
    assert!(g.settle(t, &response, 1_100.0).is_ok());
}

#[test]
fn an_already_settled_ticket_is_refused() {
    let mut g = guard();
    let t = admit(&mut g, &insert(), 1_000.0);
    let response = Response::from_text(201, &[], CREATED);
    g.settle(t, &response, 1_100.0).unwrap();
    let before = g.state().clone();
    let e = g.settle(t, &response, 1_200.0).unwrap_err();
    assert_eq!(e.code(), "TICKET_ALREADY_SETTLED");
    assert_eq!(g.state(), &before);
}

#[test]
fn an_invalid_time_changes_nothing() {
    let mut g = guard();
    let t = admit(&mut g, &insert(), 1_000.0);
    let response = Response::from_text(201, &[], CREATED);
    for bad in [f64::NAN, -1.0, f64::INFINITY] {
        let e = g.settle(t, &response, bad).unwrap_err();
        assert_eq!(e.code(), "INVALID_ARGUMENT", "now {bad}");
    }
    assert!(g.state().in_flight.contains_key(&t));
    assert!(g.settle(t, &response, 1_100.0).is_ok());
}

#[test]
fn same_as_classify_then_settle_verdict_for_the_tickets_operation() {
    // The token endpoint's error on a 200 is read as such only for a token call:
    // the ticket's operation must reach classify.
    let body = r#"{"error":"invalid_code","code":"INVALID_DATA"}"#;
    let token_op = Operation::new(OperationKind::Token);
    let response = Response::from_text(200, &[], body);
    let (mut a, mut b) = (guard(), guard());
    let t = admit(&mut a, &token_op, 1_000.0);
    assert_eq!(admit(&mut b, &token_op, 1_000.0), t);

    let via_settle = a.settle(t, &response, 1_100.0).unwrap();
    let options = ClassifyOptions {
        now_ms: Some(1_100),
        ..ClassifyOptions::default()
    };
    let verdict = classify(&response, Some(&token_op), &options).unwrap();
    let via_verdict = b.settle_verdict(t, &verdict, 1_100.0).unwrap();
    assert_eq!(via_settle, via_verdict);
    assert_eq!(a.state(), b.state());
    assert_eq!(
        via_settle.verdict.error.as_ref().unwrap().code,
        "invalid_code"
    );
    assert_eq!(via_settle.verdict.category, Category::Auth);

    let without_op = classify(&response, None, &options).unwrap();
    assert_ne!(without_op, verdict, "the body must depend on the operation");
}
