//! Guard retries: attempts per request, Retry-After policies, what is never retried, the breakers.

// Helpers outside #[test] functions may fail loudly too (clippy.toml allows it in tests).
#![allow(clippy::unwrap_used)]

mod support;

use serde_json::json;
use support::guard::*;
use zcrm_guard::catalog::Operation;
use zcrm_guard::classify::{Category, RetryHint};
use zcrm_guard::guard::{Action, Reason, RefuseReason};

#[test]
fn attempts_never_exceed_max_attempts() {
    let mut g = guard("enterprise");
    let first = ticket(g.admit(&get(), 0.0, None).unwrap());
    let server = top(500, "INTERNAL_ERROR", Category::Server, RetryHint::Backoff);
    let d1 = g.settle_verdict(first, &server, 10.0).unwrap();
    assert_eq!(d1.action, Action::Retry);
    assert!(d1.delay_ms <= 100);
    let t2 = ticket(g.admit(&get(), 200.0, Some(first)).unwrap());
    let d2 = g.settle_verdict(t2, &server, 210.0).unwrap();
    assert_eq!(d2.action, Action::Retry);
    assert!(d2.delay_ms <= 200);
    let t3 = ticket(g.admit(&get(), 500.0, Some(first)).unwrap());
    let d3 = g.settle_verdict(t3, &server, 510.0).unwrap();
    assert_eq!(
        (d3.action, d3.reason, d3.attempt),
        (Action::GiveUp, Reason::AttemptsExhausted, 3)
    );
    let e = g.admit(&get(), 600.0, Some(first)).unwrap_err();
    assert_eq!(e.code(), "RETRY_NOT_ALLOWED");
}

#[test]
fn a_call_may_ask_for_its_own_number_of_attempts() {
    let server = top(500, "INTERNAL_ERROR", Category::Server, RetryHint::Backoff);
    // Until the Guard says give up: how many attempts one request had.
    let attempts_of = |op: &Operation| {
        let mut g = guard("enterprise");
        let first = ticket(g.admit(op, 0.0, None).unwrap());
        let mut t = first;
        let mut now = 10.0;
        loop {
            let d = g.settle_verdict(t, &server, now).unwrap();
            if d.action != Action::Retry {
                assert_eq!(d.reason, Reason::AttemptsExhausted);
                return d.attempt;
            }
            now += 30_000.0;
            t = ticket(g.admit(op, now, Some(first)).unwrap());
        }
    };
    assert_eq!(attempts_of(&get()), 3, "the configuration's 3");
    let with = |n| Operation {
        max_attempts: Some(n),
        ..get()
    };
    assert_eq!(attempts_of(&with(1)), 1, "an interactive call: no retry");
    // (Five 5xx in a row open the breaker: 4 stays below it.)
    assert_eq!(
        attempts_of(&with(4)),
        4,
        "a lookup that resolves a lost reply"
    );
    for bad in [0, 101] {
        let e =
            serde_json::from_str::<Operation>(&format!(r#"{{"kind":"get","maxAttempts":{bad}}}"#))
                .unwrap_err();
        assert!(e.to_string().contains("operation.maxAttempts"), "{e}");
    }
}

#[test]
fn retry_after_policies() {
    let mut v = too_many();
    v.retry_after_ms = Some(60_000);
    for (policy, action, lo, hi) in [
        ("honour", Action::Retry, 60_000, 61_000),
        ("clamp", Action::Retry, 20_000, 21_000),
        ("give_up_if_longer", Action::GiveUp, 0, 0),
    ] {
        for scope in ["call", "all"] {
            let mut g = guard_with(json!({"edition": "enterprise",
                "retry": {"retryAfter": policy, "retryAfterScope": scope}}));
            let t = ticket(g.admit(&get(), 0.0, None).unwrap());
            let d = g.settle_verdict(t, &v, 0.0).unwrap();
            assert_eq!(d.action, action, "{policy}");
            assert!((lo..=hi).contains(&d.delay_ms), "{policy}: {}", d.delay_ms);
            // Scope `all`: every other call waits for the instant; `call` (the
            // default): only the one told, the others go on under the lowered limit.
            let next = g.admit(&get(), 1.0, None).unwrap();
            if action == Action::Retry && scope == "all" {
                assert_eq!(refused(next).reason, RefuseReason::Cooldown, "{policy}");
            } else {
                ticket(next);
            }
        }
    }
}

#[test]
fn a_short_retry_after_gets_a_jitter_of_a_quarter_at_most() {
    let mut v = too_many();
    v.retry_after_ms = Some(1_000);
    let mut g = guard("enterprise");
    let delays: Vec<u64> = (0..40)
        .map(|i| {
            let t = ticket(g.admit(&get(), f64::from(i), None).unwrap());
            g.settle_verdict(t, &v, f64::from(i)).unwrap().delay_ms
        })
        .collect();
    assert!(
        delays.iter().all(|d| (1_000..=1_250).contains(d)),
        "{delays:?}"
    );
    assert!(delays.iter().any(|&d| d > 1_100), "jittered: {delays:?}");
}

#[test]
fn locked_without_backoff_and_aborted_calls_are_not_retried() {
    let mut g = guard("enterprise");
    let t = ticket(g.admit(&get(), 0.0, None).unwrap());
    let d = g
        .settle_verdict(
            t,
            &top(
                400,
                "RECORD_IN_BLUEPRINT",
                Category::Locked,
                RetryHint::None,
            ),
            1.0,
        )
        .unwrap();
    assert_eq!((d.action, d.reason), (Action::GiveUp, Reason::NotRetryable));
    let t = ticket(g.admit(&get(), 2.0, None).unwrap());
    let d = g
        .settle_verdict(
            t,
            &top(400, "RECORD_LOCKED", Category::Locked, RetryHint::Backoff),
            3.0,
        )
        .unwrap();
    assert_eq!((d.action, d.reason), (Action::Retry, Reason::Locked));
    let t = ticket(g.admit(&get(), 4.0, None).unwrap());
    let d = g
        .settle_verdict(
            t,
            &top(0, "ABORTED", Category::Network, RetryHint::Backoff),
            5.0,
        )
        .unwrap();
    assert_eq!((d.action, d.reason), (Action::GiveUp, Reason::NotRetryable));
    // An aborted insert may still have reached Zoho: ambiguous.
    let t = ticket(g.admit(&insert(1), 6.0, None).unwrap());
    let d = g
        .settle_verdict(
            t,
            &top(0, "ABORTED", Category::Network, RetryHint::Backoff),
            7.0,
        )
        .unwrap();
    assert_eq!(d.action, Action::Verify);
}

#[test]
fn aborted_writes_do_not_open_the_network_breaker() {
    // A resumed job settles the dead process's calls as aborted: six of them in a row
    // must not shut the org out for 10 s (five real network failures would).
    let mut g = guard("enterprise");
    let aborted = top(0, "ABORTED", Category::Network, RetryHint::None);
    let lost = top(0, "NETWORK_ERROR", Category::Network, RetryHint::Backoff);
    let tickets: Vec<u64> = (0..6)
        .map(|_| ticket(g.admit(&insert(10), 0.0, None).unwrap()))
        .collect();
    for t in tickets {
        g.settle_verdict(t, &aborted, 1.0).unwrap();
    }
    ticket(g.admit(&get(), 2.0, None).unwrap());
    // The same six as real losses do open it.
    let mut g = guard("enterprise");
    let tickets: Vec<u64> = (0..6)
        .map(|_| ticket(g.admit(&insert(10), 0.0, None).unwrap()))
        .collect();
    for t in tickets {
        g.settle_verdict(t, &lost, 1.0).unwrap();
    }
    assert_eq!(
        refused(g.admit(&get(), 2.0, None).unwrap()).reason,
        RefuseReason::BreakerOpen
    );
}

#[test]
fn a_breaker_opens_and_closes() {
    let mut g = guard_with(
        json!({"edition": "enterprise", "breaker": {"threshold": 3, "halfOpenAfterMs": 10000}, "retry": {"maxAttempts": 1}}),
    );
    let server = top(503, "HTTP_503", Category::Server, RetryHint::Backoff);
    for i in 0..3 {
        let t = ticket(g.admit(&get(), f64::from(i), None).unwrap());
        let d = g.settle_verdict(t, &server, f64::from(i) + 0.5).unwrap();
        if i == 2 {
            assert_eq!((d.action, d.reason), (Action::GiveUp, Reason::BreakerOpen));
            assert_eq!(d.delay_ms, 10_000);
        }
    }
    let r = refused(g.admit(&get(), 5_000.0, None).unwrap());
    assert_eq!(r.reason, RefuseReason::BreakerOpen);
    assert_eq!(r.wait_ms, 5_002);
    // Half-open: one probe.
    let probe = ticket(g.admit(&get(), 10_002.0, None).unwrap());
    assert_eq!(
        refused(g.admit(&get(), 10_003.0, None).unwrap()).reason,
        RefuseReason::BreakerOpen
    );
    g.settle_verdict(probe, &ok(), 10_004.0).unwrap();
    ticket(g.admit(&get(), 10_005.0, None).unwrap());
    ticket(g.admit(&get(), 10_005.0, None).unwrap());
}

/// A lineage of `fives` 5xx replies, then a reply with record 1 locked: the
/// `retry_records` decision's backoff ceiling, and the last 5xx retry's.
fn lineage_then_locked(attempt: Option<u32>, fives: u32) -> (u64, u64) {
    let mut g = guard("enterprise");
    let mut op = update(2).patient();
    op.attempt = attempt;
    let first = ticket(g.admit(&op, 0.0, None).unwrap());
    let mut server_ceiling = 0;
    let mut t = first;
    for i in 0..fives {
        let now = f64::from(i) * 10.0;
        let d = g
            .settle_verdict(
                t,
                &top(503, "INTERNAL_ERROR", Category::Server, RetryHint::Backoff),
                now,
            )
            .unwrap();
        assert_eq!(d.action, Action::Retry);
        server_ceiling = d.inputs.ceiling_ms.unwrap();
        t = ticket(g.admit(&op, now + 5.0, Some(first)).unwrap());
    }
    let partial = zcrm_guard::classify::Verdict::partial(vec![created(0, "1"), locked(1)]);
    let d = g.settle_verdict(t, &partial, 1_000.0).unwrap();
    assert_eq!(d.action, Action::RetryRecords);
    (d.inputs.ceiling_ms.unwrap(), server_ceiling)
}

#[test]
fn a_record_level_retry_backs_off_by_the_records_attempt_when_given() {
    // Regression (issue 14 soak): a merged resend's lineage counted every call of the
    // units merged into it, so a record locked once waited up to 8-20 s.
    let (by_lineage, _) = lineage_then_locked(None, 4);
    assert_eq!(by_lineage, 16_000, "fifth call of the lineage: 1 s × 2^4");
    let (by_records, server) = lineage_then_locked(Some(1), 4);
    assert_eq!(by_records, 1_000, "its records' first lock: 1 s");
    // The call's own faults keep the lineage's count (100 ms × 2^3 on the fourth).
    assert_eq!(server, 800);
}
