//! The Retry-After ceiling (`retry.maxRetryAfterMs`) and `MAX_WAIT_MS`: a server asking
//! for 30 days (or 2^53 seconds) is given up on, the shared cooldown never outlasts
//! the ceiling, and no delay or wait the Guard gives overflows `setTimeout`.

mod support;

use serde_json::json;
use support::guard::*;
use zcrm_guard::classify::{classify, Category, ClassifyOptions, Response, RetryHint};
use zcrm_guard::guard::{Action, Guard, RawGuardConfig, Reason, RefuseReason};
use zcrm_guard::MAX_WAIT_MS;

const TOO_MANY: &str =
    r#"{"code":"TOO_MANY_REQUESTS","details":{},"message":"too many requests","status":"error"}"#;

#[test]
fn max_wait_ms_is_what_set_timeout_holds() {
    assert_eq!(MAX_WAIT_MS, (1 << 31) - 1);
}

#[test]
fn classify_clamps_retry_after_to_max_wait_ms() {
    for header in ["2592000", "9007199254740992", "18446744073709551615"] {
        let r = Response::from_text(429, &[("Retry-After", header)], TOO_MANY);
        let v = classify(&r, None, &ClassifyOptions::default()).unwrap();
        assert_eq!(v.retry_after_ms, Some(MAX_WAIT_MS), "{header}");
    }
    let body = r#"{"code":"TOO_MANY_REQUESTS","details":{"retry_after":9007199254740992},"message":"m","status":"error"}"#;
    let v = classify(
        &Response::from_text(429, &[], body),
        None,
        &ClassifyOptions::default(),
    )
    .unwrap();
    assert_eq!(v.retry_after_ms, Some(MAX_WAIT_MS));
    let r = Response::from_text(429, &[("Retry-After", "30")], TOO_MANY);
    let v = classify(&r, None, &ClassifyOptions::default()).unwrap();
    assert_eq!(v.retry_after_ms, Some(30_000), "below the clamp, as given");
}

#[test]
fn a_retry_after_of_30_days_or_2_53_seconds_gives_up_and_caps_the_cooldown() {
    for header in ["2592000", "9007199254740992"] {
        for op in [get(), get().patient(), insert(1).patient()] {
            let mut g = guard("enterprise");
            let t = ticket(g.admit(&op, 1_000.0, None).unwrap());
            let r = Response::from_text(429, &[("Retry-After", header)], TOO_MANY);
            let d = g.settle(t, &r, 2_000.0).unwrap();
            assert_eq!(
                (d.action, d.reason),
                (Action::GiveUp, Reason::RetryAfterTooLong),
                "{header}"
            );
            assert!(d.delay_ms <= MAX_WAIT_MS);
            let snap = g.snapshot(2_000.0).unwrap();
            assert_eq!(
                snap.cooldown_until,
                Some(2_000 + 600_000),
                "{header}: the cooldown stops at the ceiling"
            );
            let wait = refused(g.admit(&get(), 2_000.0, None).unwrap());
            assert_eq!(
                (wait.reason, wait.wait_ms),
                (RefuseReason::Cooldown, 600_000)
            );
            ticket(g.admit(&get(), 602_000.0, None).unwrap());
        }
    }
}

#[test]
fn the_ceiling_applies_whatever_the_policy_and_the_policies_apply_below_it() {
    let mut v = top(503, "HTTP_503", Category::Server, RetryHint::Backoff);
    for policy in ["honour", "clamp", "give_up_if_longer"] {
        v.retry_after_ms = Some(60_001);
        let mut g = guard_with(json!({
            "edition": "enterprise",
            "retry": {"retryAfter": policy, "maxRetryAfterMs": 60_000},
        }));
        let t = ticket(g.admit(&get(), 0.0, None).unwrap());
        let d = g.settle_verdict(t, &v, 0.0).unwrap();
        assert_eq!(
            (d.action, d.reason),
            (Action::GiveUp, Reason::RetryAfterTooLong),
            "{policy}"
        );
        v.retry_after_ms = Some(60_000);
        let t = ticket(g.admit(&get(), 60_000.0, None).unwrap());
        let d = g.settle_verdict(t, &v, 60_000.0).unwrap();
        let expected = if policy == "give_up_if_longer" {
            Action::GiveUp
        } else {
            Action::Retry
        };
        assert_eq!(d.action, expected, "{policy} below the ceiling");
    }
}

#[test]
fn the_ceiling_is_checked() {
    let config = |ms: f64| {
        let raw: RawGuardConfig = serde_json::from_value(
            json!({"edition": "enterprise", "retry": {"maxRetryAfterMs": ms}}),
        )
        .unwrap();
        Guard::from_raw(raw)
    };
    assert!(config(MAX_WAIT_MS as f64).is_ok());
    assert!(config(0.0).is_ok());
    for bad in [MAX_WAIT_MS as f64 + 1.0, -1.0, 0.5] {
        let e = config(bad).unwrap_err();
        assert_eq!(e.code(), "INVALID_ARGUMENT");
        assert!(
            e.to_string().contains("config.retry.maxRetryAfterMs"),
            "{e}"
        );
    }
    assert_eq!(
        guard("enterprise").state().config.retry.max_retry_after_ms,
        600_000
    );
}

#[test]
fn no_delay_or_wait_exceeds_max_wait_ms_whatever_the_configuration() {
    // Figures far beyond 2^31 ms, as a configuration may hold (up to 10^12).
    let mut g = guard_with(json!({
        "edition": "enterprise",
        "retry": {"maxDelayMs": 1e12, "baseDelayMs": 1e12, "retryAfterJitterMs": 1e12,
                  "maxRetryAfterMs": MAX_WAIT_MS, "maxAttempts": 100},
        "breaker": {"threshold": 3, "halfOpenAfterMs": 1e12},
    }));
    let mut v = top(500, "INTERNAL_ERROR", Category::Server, RetryHint::Backoff);
    v.retry_after_ms = Some(MAX_WAIT_MS);
    let (ds, now) = drive(&mut g, &get().patient(), &Reply::Verdict(&v), 0, 3);
    assert_eq!(ds.len(), 3);
    for d in &ds {
        assert!(d.delay_ms <= MAX_WAIT_MS, "{}", d.delay_ms);
    }
    assert_eq!(
        (ds[2].reason, ds[2].delay_ms),
        (Reason::BreakerOpen, MAX_WAIT_MS),
        "a breaker open for 10^12 ms: the wait stops at MAX_WAIT_MS"
    );
    let r = refused(g.admit(&get(), now as f64, None).unwrap());
    assert_eq!(
        (r.reason, r.wait_ms),
        (RefuseReason::BreakerOpen, MAX_WAIT_MS)
    );
    // Backoff without Retry-After: the 10^12 ceiling is clamped too.
    let (ds, _) = drive(
        &mut guard_with(json!({
            "edition": "enterprise",
            "retry": {"maxDelayMs": 1e12, "baseDelayMs": 1e12},
        })),
        &get().patient(),
        &Reply::Lost(false),
        0,
        4,
    );
    assert!(ds.iter().all(|d| d.delay_ms <= MAX_WAIT_MS));
    assert!(
        ds.iter().any(|d| d.delay_ms > 1_000_000_000),
        "not trivially small"
    );
}
