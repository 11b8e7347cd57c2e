//! Guard admission: the concurrency slots, the complex and GraphQL pools, typed errors.

mod support;

use serde_json::json;
use support::guard::*;
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::guard::{Action, Guard, RawGuardConfig, Reason, RefuseReason};

#[test]
fn success_is_done_and_frees_the_slot() {
    let mut g = guard("free");
    let tickets: Vec<u64> = (0..5)
        .map(|i| ticket(g.admit(&get(), 1_000.0 + f64::from(i), None).unwrap()))
        .collect();
    let r = refused(g.admit(&get(), 1_010.0, None).unwrap());
    assert_eq!(
        r.reason,
        RefuseReason::Concurrency,
        "free edition: 5 concurrent calls"
    );
    let d = g.settle_verdict(tickets[0], &ok(), 1_020.0).unwrap();
    assert_eq!((d.action, d.reason), (Action::Done, Reason::Success));
    ticket(g.admit(&get(), 1_030.0, None).unwrap());
}

#[test]
fn pools_complex_and_graphql() {
    let mut g = guard("enterprise");
    let coql = Operation::new(OperationKind::Coql);
    for _ in 0..10 {
        ticket(g.admit(&coql, 0.0, None).unwrap());
    }
    assert_eq!(
        refused(g.admit(&coql, 0.0, None).unwrap()).reason,
        RefuseReason::SubConcurrency
    );
    let gql = Operation::new(OperationKind::Graphql);
    for _ in 0..5 {
        ticket(g.admit(&gql, 0.0, None).unwrap());
    }
    assert_eq!(
        refused(g.admit(&gql, 0.0, None).unwrap()).reason,
        RefuseReason::GraphqlConcurrency
    );
    ticket(g.admit(&get(), 0.0, None).unwrap());
    let composite = Operation::new(OperationKind::Composite);
    assert_eq!(
        refused(g.admit(&composite, 0.0, None).unwrap()).reason,
        RefuseReason::Concurrency,
        "16 + 5 > 20"
    );
}

#[test]
fn robustness_errors_are_typed() {
    let mut g = guard("enterprise");
    for bad in [f64::NAN, -1.0, f64::INFINITY, 1e300] {
        assert_eq!(
            g.admit(&get(), bad, None).unwrap_err().code(),
            "INVALID_ARGUMENT"
        );
    }
    assert_eq!(
        g.settle_verdict(99, &ok(), 0.0).unwrap_err().code(),
        "UNKNOWN_TICKET"
    );
    let t = ticket(g.admit(&get(), 100.0, None).unwrap());
    g.settle_verdict(t, &ok(), 200.0).unwrap();
    assert_eq!(
        g.settle_verdict(t, &ok(), 300.0).unwrap_err().code(),
        "TICKET_ALREADY_SETTLED"
    );
    // Time going backwards is clamped to the latest time seen.
    ticket(g.admit(&get(), 50.0, None).unwrap());
    assert_eq!(g.snapshot(0.0).unwrap().now, 200);
    for raw in [
        json!({}),
        json!({"edition": "nope"}),
        json!({"edition": "free", "retry": {"maxAttempts": 0}}),
        json!({"edition": "free", "retry": {"baseDelayMs": -5}}),
        json!({"edition": "free", "seed": 1.5}),
        json!({"edition": "free", "aimdDecreasePermille": 1000}),
    ] {
        let raw: RawGuardConfig = serde_json::from_value(raw).unwrap();
        assert!(Guard::from_raw(raw).is_err());
    }
    let big = Operation {
        credits: Some(6_000),
        ..get()
    };
    assert_eq!(
        guard("free").admit(&big, 0.0, None).unwrap_err().code(),
        "INVALID_ARGUMENT"
    );
}
