//! Patient calls (`operation.patient`): every row of the patience table of issue 14,
//! the same outcome settled for a call by call and for a patient call.

// Helpers outside #[test] functions may fail loudly too (clippy.toml allows it in tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::json;
use support::classify::classify_text;
use support::guard::*;
use zcrm_guard::catalog::{Operation, CREDIT_WINDOW_MS};
use zcrm_guard::classify::{
    classify, Category, ClassifyOptions, Credits, Response, RetryHint, Verdict,
};
use zcrm_guard::guard::{Action, DelayBasis, Guard, Reason, TokenInfo};

/// A 500 INTERNAL_ERROR.
fn server_error() -> Verdict {
    top(500, "INTERNAL_ERROR", Category::Server, RetryHint::Backoff)
}

/// A 2xx reply to `op` with `body`, classified for it.
fn reply_to(op: &Operation, status: u16, body: &str) -> Verdict {
    classify(
        &Response::from_text(status, &[], body),
        Some(op),
        &ClassifyOptions::default(),
    )
    .unwrap()
}

fn actions(ds: &[zcrm_guard::guard::Decision]) -> Vec<(Action, Reason)> {
    ds.iter().map(|d| (d.action, d.reason)).collect()
}

#[test]
fn a_429_is_retried_with_the_same_delays_and_no_attempts_cap() {
    let mut g = guard("enterprise");
    let (by_call, _) = drive(&mut g, &get(), &Reply::Verdict(&too_many()), 0, 20);
    assert_eq!(
        actions(&by_call),
        [
            (Action::Retry, Reason::TooManyRequests),
            (Action::Retry, Reason::TooManyRequests),
            (Action::GiveUp, Reason::AttemptsExhausted),
        ]
    );
    assert_eq!(by_call[0].inputs.max_attempts, Some(3));
    let mut p = guard("enterprise");
    let (patient, _) = drive(
        &mut p,
        &get().patient(),
        &Reply::Verdict(&too_many()),
        0,
        12,
    );
    assert_eq!(patient.len(), 12);
    assert!(patient
        .iter()
        .all(|d| (d.action, d.reason) == (Action::Retry, Reason::TooManyRequests)));
    assert_eq!(patient[0].inputs.max_attempts, None, "no cap");
    for (a, b) in by_call.iter().zip(&patient).take(2) {
        assert_eq!(a.delay_ms, b.delay_ms, "the same delays");
        assert_eq!(a.inputs.delay_basis, Some(DelayBasis::Throttle));
        assert_eq!(a.inputs.ceiling_ms, b.inputs.ceiling_ms);
    }
    assert_eq!(patient[11].attempt, 12);
}

/// A 429 with the credits gone, `wait_ms` before the oldest credits free up.
fn credits_429(op: &Operation, wait_ms: u64) -> zcrm_guard::guard::Decision {
    // Free edition: 5,000 credits; 4,000 spent at 0, the rest by the 429's own figure.
    let mut g = guard("free");
    let big = Operation {
        credits: Some(1_000),
        ..get()
    };
    for _ in 0..4 {
        let t = ticket(g.admit(&big, 0.0, None).unwrap());
        g.settle_verdict(t, &ok(), 1.0).unwrap();
    }
    let now = (CREDIT_WINDOW_MS - wait_ms) as f64;
    let t = ticket(g.admit(op, now, None).unwrap());
    let mut v = too_many();
    v.credits = Some(Credits { remaining: 0 });
    g.settle_verdict(t, &v, now).unwrap()
}

#[test]
fn a_429_for_credits_is_waited_up_to_the_ceiling_when_patient() {
    // 5 minutes: beyond maxDelayMs (20 s), within maxRetryAfterMs (10 min).
    let d = credits_429(&get(), 300_000);
    assert_eq!((d.action, d.reason), (Action::GiveUp, Reason::Credits));
    let d = credits_429(&get().patient(), 300_000);
    assert_eq!(
        (d.action, d.reason, d.delay_ms),
        (Action::Retry, Reason::Credits, 300_000)
    );
    assert_eq!(d.inputs.delay_basis, Some(DelayBasis::Credits));
    // Within 20 s, both retry; beyond 10 minutes, both give up.
    assert_eq!(credits_429(&get(), 10_000).action, Action::Retry);
    let d = credits_429(&get().patient(), 700_000);
    assert_eq!((d.action, d.reason), (Action::GiveUp, Reason::Credits));
}

/// Every transient outcome of an idempotent call, with the reason it is retried for.
fn transient_outcomes(op: &Operation) -> Vec<(String, Option<Verdict>, bool, Reason)> {
    let status = |s| {
        top(
            s,
            &format!("HTTP_{s}"),
            Category::Server,
            RetryHint::Backoff,
        )
    };
    vec![
        (
            "500".into(),
            Some(server_error()),
            false,
            Reason::ServerError,
        ),
        ("502".into(), Some(status(502)), false, Reason::ServerError),
        ("503".into(), Some(status(503)), false, Reason::ServerError),
        ("504".into(), Some(status(504)), false, Reason::ServerError),
        ("no response".into(), None, false, Reason::NetworkError),
        ("truncated".into(), None, true, Reason::NetworkError),
        (
            "HTML on a 200".into(),
            Some(classify_text(200, "<html>proxy</html>")),
            false,
            Reason::UnknownResponse,
        ),
        (
            "HTML on a 400".into(),
            Some(classify_text(400, "<html>bad gateway</html>")),
            false,
            Reason::UnknownResponse,
        ),
        (
            "short 2xx".into(),
            Some(reply_to(op, 200, r#"{"data":[]}"#)),
            false,
            Reason::ShortReply,
        ),
    ]
}

fn answer(v: &Option<Verdict>, truncated: bool) -> Reply<'_> {
    match v {
        Some(v) => Reply::Verdict(v),
        None => Reply::Lost(truncated),
    }
}

#[test]
fn transient_failures_of_an_idempotent_call_end_call_by_call_never_when_patient() {
    let op = update(3);
    for (what, v, truncated, reason) in transient_outcomes(&op) {
        let reply = answer(&v, truncated);
        let mut g = guard("enterprise");
        let (ds, _) = drive(&mut g, &op, &reply, 0, 20);
        assert_eq!(
            actions(&ds),
            [
                (Action::Retry, reason),
                (Action::Retry, reason),
                (Action::GiveUp, Reason::AttemptsExhausted)
            ],
            "{what}, call by call"
        );
        // A breaker of 2 failures: the call by call gives up on it.
        let mut g = guard_with(
            json!({"edition": "enterprise", "breaker": {"threshold": 2}, "retry": {"maxAttempts": 9}}),
        );
        let (ds, _) = drive(&mut g, &op, &reply, 0, 20);
        assert_eq!(
            actions(&ds)[1],
            (Action::GiveUp, Reason::BreakerOpen),
            "{what}"
        );
        // Patient: 30 attempts, every one retried; the breaker (5 failures) is waited out.
        let mut p = guard("enterprise");
        let (ds, _) = drive(&mut p, &op.clone().patient(), &reply, 0, 30);
        assert_eq!(ds.len(), 30, "{what}: patient");
        assert!(ds.iter().all(|d| d.action == Action::Retry), "{what}");
        let opened = &ds[4];
        assert_eq!(
            (opened.reason, opened.inputs.delay_basis, opened.delay_ms),
            (Reason::BreakerOpen, Some(DelayBasis::Breaker), 10_000),
            "{what}: the fifth failure opens the breaker, retried when it half-opens"
        );
        assert!(ds[..4].iter().all(|d| d.reason == reason), "{what}");
    }
}

#[test]
fn a_spent_retry_budget_is_waited_for_when_patient() {
    let config = json!({
        "edition": "enterprise",
        "budget": {"capacity": 10, "retryCost": 5, "refillPerSecond": 10},
        "breaker": {"threshold": 1000},
    });
    let first_failure = |g: &mut zcrm_guard::guard::Guard, op: &Operation| {
        let t = ticket(g.admit(op, 1_000.0, None).unwrap());
        g.settle_verdict(t, &server_error(), 1_000.0).unwrap()
    };
    let mut g = guard_with(config.clone());
    let ds: Vec<_> = (0..3).map(|_| first_failure(&mut g, &get())).collect();
    assert_eq!(
        actions(&ds),
        [
            (Action::Retry, Reason::ServerError),
            (Action::Retry, Reason::ServerError),
            (Action::GiveUp, Reason::RetryBudget),
        ]
    );
    let mut p = guard_with(config);
    let ds: Vec<_> = (0..4)
        .map(|_| first_failure(&mut p, &get().patient()))
        .collect();
    assert!(ds.iter().all(|d| d.action == Action::Retry));
    // 5 tokens at 10 a second: the third waits 0.5 s, the fourth 0.5 s after it.
    assert_eq!(
        (ds[2].inputs.delay_basis, ds[2].delay_ms),
        (Some(DelayBasis::Budget), 500)
    );
    assert_eq!(
        (ds[3].inputs.delay_basis, ds[3].delay_ms),
        (Some(DelayBasis::Budget), 1_000)
    );
    assert_eq!(ds[3].inputs.budget_remaining, Some(0));
}

#[test]
fn an_ambiguous_insert_is_always_verified_never_resent_blindly() {
    let op = insert(3);
    let mut outcomes = transient_outcomes(&op);
    let status = |s| {
        top(
            s,
            &format!("HTTP_{s}"),
            Category::Network,
            RetryHint::Backoff,
        )
    };
    outcomes.push(("408".into(), Some(status(408)), false, Reason::NetworkError));
    outcomes.push((
        "short {}".into(),
        Some(reply_to(&op, 201, "{}")),
        false,
        Reason::ShortReply,
    ));
    outcomes.push((
        "unknown code on a 200".into(),
        Some(classify_text(200, r#"{"code":"WHATEVER","message":"?"}"#)),
        false,
        Reason::UnknownResponse,
    ));
    for (what, v, truncated, _) in outcomes {
        let reply = answer(&v, truncated);
        let mut g = guard("enterprise");
        let (ds, _) = drive(&mut g, &op, &reply, 0, 20);
        assert_eq!(
            actions(&ds),
            [
                (Action::Verify, Reason::AmbiguousWrite),
                (Action::Verify, Reason::AmbiguousWrite),
                (Action::GiveUp, Reason::AmbiguousWrite)
            ],
            "{what}, call by call"
        );
        let mut p = guard("enterprise");
        let (ds, _) = drive(&mut p, &op.clone().patient(), &reply, 0, 25);
        assert_eq!(ds.len(), 25, "{what}: patient");
        assert!(
            ds.iter()
                .all(|d| (d.action, d.reason) == (Action::Verify, Reason::AmbiguousWrite)),
            "{what}: patient, no cap"
        );
    }
    // A 429 rejected the insert before Zoho read it: resent as is.
    let mut g = guard("enterprise");
    let (ds, _) = drive(&mut g, &op.patient(), &Reply::Verdict(&too_many()), 0, 1);
    assert_eq!(actions(&ds), [(Action::Retry, Reason::TooManyRequests)]);
}

#[test]
fn locked_records_are_retried_without_a_cap_when_patient() {
    let v = Verdict::partial(vec![created(0, "1"), locked(1)]);
    let mut g = guard("enterprise");
    let (ds, _) = drive(&mut g, &update(2), &Reply::Verdict(&v), 0, 20);
    assert_eq!(
        actions(&ds),
        [
            (Action::RetryRecords, Reason::RecordsRetryable),
            (Action::RetryRecords, Reason::RecordsRetryable),
            (Action::GiveUp, Reason::AttemptsExhausted),
        ]
    );
    assert_eq!(ds[2].indices, Some(vec![1]));
    let mut p = guard("enterprise");
    let (ds, _) = drive(&mut p, &update(2).patient(), &Reply::Verdict(&v), 0, 15);
    assert_eq!(ds.len(), 15);
    assert!(ds
        .iter()
        .all(|d| d.action == Action::RetryRecords && d.indices == Some(vec![1])));
    // Top-level RECORD_LOCKED too.
    let locked = top(423, "RECORD_LOCKED", Category::Locked, RetryHint::Backoff);
    let mut p = guard("enterprise");
    let (ds, _) = drive(
        &mut p,
        &update(2).patient(),
        &Reply::Verdict(&locked),
        0,
        10,
    );
    assert!(ds
        .iter()
        .all(|d| (d.action, d.reason) == (Action::Retry, Reason::Locked)));
}

#[test]
fn a_retry_after_beyond_the_ceiling_gives_up_in_both_modes() {
    let mut v = too_many();
    v.retry_after_ms = Some(600_001);
    for op in [get(), get().patient()] {
        let mut g = guard("enterprise");
        let (ds, _) = drive(&mut g, &op, &Reply::Verdict(&v), 0, 5);
        assert_eq!(actions(&ds), [(Action::GiveUp, Reason::RetryAfterTooLong)]);
    }
    v.retry_after_ms = Some(600_000);
    let mut g = guard("enterprise");
    let (ds, _) = drive(&mut g, &get().patient(), &Reply::Verdict(&v), 0, 1);
    assert_eq!(actions(&ds), [(Action::Retry, Reason::TooManyRequests)]);
    assert!((600_000..=601_000).contains(&ds[0].delay_ms));
}

#[test]
fn permanent_errors_end_both_modes_with_their_reason() {
    let cases = [
        (
            400,
            r#"{"code":"INVALID_DATA","message":"bad","status":"error"}"#,
        ),
        (
            400,
            r#"{"code":"DUPLICATE_DATA","message":"dup","status":"error"}"#,
        ),
        (
            403,
            r#"{"code":"NO_PERMISSION","message":"no","status":"error"}"#,
        ),
        (
            404,
            r#"{"code":"INVALID_URL_PATTERN","message":"no","status":"error"}"#,
        ),
        (
            400,
            r#"{"code":"LIMIT_EXCEEDED","message":"too many","status":"error"}"#,
        ),
        (
            412,
            r#"{"code":"PRECONDITION_FAILED","message":"re-read","status":"error"}"#,
        ),
    ];
    for (status, body) in cases {
        let v = classify_text(status, body);
        let mut reasons = vec![];
        for op in [update(1), update(1).patient()] {
            let mut g = guard("enterprise");
            let (ds, _) = drive(&mut g, &op, &Reply::Verdict(&v), 0, 5);
            assert_eq!(ds.len(), 1, "{body}");
            assert_eq!(ds[0].action, Action::GiveUp, "{body}");
            reasons.push(ds[0].reason);
        }
        assert_eq!(reasons[0], reasons[1], "{body}: the same reason");
        assert!(
            [
                Reason::NotRetryable,
                Reason::Conditional,
                Reason::LimitExceeded
            ]
            .contains(&reasons[0]),
            "{body}: {:?}",
            reasons[0]
        );
    }
}

#[test]
fn a_patient_call_with_its_own_max_attempts_ends_there() {
    let op = Operation {
        max_attempts: Some(4),
        ..get().patient()
    };
    let mut g = guard("enterprise");
    let (ds, _) = drive(&mut g, &op, &Reply::Verdict(&server_error()), 0, 20);
    assert_eq!(ds.len(), 4);
    assert_eq!(
        (ds[3].action, ds[3].reason, ds[3].attempt),
        (Action::GiveUp, Reason::AttemptsExhausted, 4)
    );
    assert_eq!(ds[0].inputs.max_attempts, Some(4));
}

fn invalid_token() -> Verdict {
    top(
        401,
        "INVALID_TOKEN",
        Category::Auth,
        RetryHint::RefreshToken,
    )
}

/// A guard holding a 2 s token whose first call of `op` was rejected and the token
/// refreshed at 300 ms (`between` runs then); returns it with the call's replay admitted
/// at 400 ms, ready to settle.
fn replay_after_refresh(op: &Operation, between: impl FnOnce(&mut Guard)) -> (Guard, u64) {
    let two_seconds = TokenInfo {
        api_domain: None,
        expires_in_ms: Some(2_000),
    };
    let mut g = guard("enterprise");
    g.token_refreshed(0.0, Some(two_seconds.clone())).unwrap();
    let t = ticket(g.admit(op, 100.0, None).unwrap());
    let d = g.settle_verdict(t, &invalid_token(), 200.0).unwrap();
    assert_eq!(d.action, Action::RefreshToken);
    g.token_refreshed(300.0, Some(two_seconds)).unwrap();
    between(&mut g);
    let t = ticket(g.admit(op, 400.0, Some(d.request)).unwrap());
    (g, t)
}

#[test]
fn a_token_that_expires_in_flight_again_is_refreshed_again_when_patient() {
    let mut outcomes = vec![];
    for op in [get(), get().patient()] {
        let (mut g, t) = replay_after_refresh(&op, |_| {});
        // The call took 2 s: the token it carried expired in flight.
        let d = g.settle_verdict(t, &invalid_token(), 2_400.0).unwrap();
        outcomes.push((d.action, d.reason));
    }
    assert_eq!(
        outcomes,
        [
            (Action::GiveUp, Reason::TokenRejected),
            (Action::RefreshToken, Reason::TokenInvalid)
        ]
    );
}

#[test]
fn a_token_that_worked_and_is_then_rejected_is_refreshed_again_when_patient() {
    // Zoho's clock is ahead of ours by the refresh's round trip: a token we still hold
    // as fresh may already be rejected. Once a call succeeded with it, a rejection is an
    // expiry, not a bad token; an unproven fresh token rejected again is still given up.
    let mut outcomes = vec![];
    for proven in [false, true] {
        let (mut g, t) = replay_after_refresh(&get().patient(), |g| {
            if proven {
                let other = ticket(g.admit(&get(), 310.0, None).unwrap());
                let done = g.settle_verdict(other, &ok(), 320.0).unwrap();
                assert_eq!(done.action, Action::Done);
            }
        });
        // Rejected at 500 ms, well before our clock's margin.
        let d = g.settle_verdict(t, &invalid_token(), 500.0).unwrap();
        outcomes.push((d.action, d.reason));
    }
    assert_eq!(
        outcomes,
        [
            (Action::GiveUp, Reason::TokenRejected),
            (Action::RefreshToken, Reason::TokenInvalid)
        ]
    );
}
