//! Token refreshes that fail (`tokenRefreshFailed`), the refresh-token rate limit over
//! a long run, and short-lived tokens (the refresh margin is at most half the lifetime).

// Helpers outside #[test] functions may fail loudly too (clippy.toml allows it in tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::json;
use support::guard::*;
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::classify::{Category, RetryHint};
use zcrm_guard::guard::{
    replay, Action, Admission, DelayBasis, Guard, Reason, RefuseReason, TokenFailure, TokenInfo,
};

fn lifetime(ms: u64) -> Option<TokenInfo> {
    Some(TokenInfo {
        api_domain: None,
        expires_in_ms: Some(ms),
    })
}

fn failure(error: Option<&str>, status: Option<u16>, message: Option<&str>) -> TokenFailure {
    TokenFailure {
        error: error.map(str::to_owned),
        status,
        message: message.map(str::to_owned),
    }
}

const THROTTLED: &str =
    "You have made too many requests continuously. Please try again after some time.";

#[test]
fn a_revoked_refresh_token_gives_up() {
    for f in [
        failure(Some("invalid_code"), Some(200), None),
        failure(Some("invalid_client"), Some(400), None),
        failure(
            Some("access_denied"),
            Some(400),
            Some("The token was revoked"),
        ),
    ] {
        let mut g = guard("enterprise");
        let d = g.token_refresh_failed(1_000.0, &f).unwrap();
        assert_eq!(
            (d.action, d.reason, d.delay_ms, d.delay_basis),
            (Action::GiveUp, Reason::TokenRevoked, 0, None),
            "{f:?}"
        );
    }
    let wire = serde_json::to_value(
        guard("enterprise")
            .token_refresh_failed(0.0, &failure(Some("invalid_code"), None, None))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        wire,
        json!({"action": "give_up", "delayMs": 0, "reason": "token_revoked", "delayBasis": null, "failures": 1})
    );
}

#[test]
fn access_denied_waits_for_the_rest_of_the_window_and_then_one_caller_refreshes() {
    let mut g = guard("enterprise");
    // No refresh recorded: ten minutes from now.
    let d = g
        .token_refresh_failed(
            5_000.0,
            &failure(Some("Access Denied"), Some(200), Some(THROTTLED)),
        )
        .unwrap();
    assert_eq!(
        (d.action, d.reason, d.delay_ms, d.delay_basis),
        (
            Action::Retry,
            Reason::TooManyRequests,
            600_000,
            Some(DelayBasis::TokenRateLimit)
        )
    );
    // Refreshes recorded at 0 and 60 s: the window of the one at 0 ends at 600 s.
    let mut g = guard("enterprise");
    g.token_refreshed(0.0, lifetime(3_600_000)).unwrap();
    g.token_refreshed(60_000.0, lifetime(3_600_000)).unwrap();
    let d = g
        .token_refresh_failed(100_000.0, &failure(None, Some(429), None))
        .unwrap();
    assert_eq!((d.reason, d.delay_ms), (Reason::TooManyRequests, 500_000));
    // Meanwhile every call needing the token, and the token call, waits the rest of it.
    let r = refused(g.admit(&get(), 300_000.0, None).unwrap());
    assert_eq!(
        (r.reason, r.refresh, r.wait_ms),
        (RefuseReason::TokenRefresh, false, 300_000)
    );
    let token = Operation::new(OperationKind::Token);
    assert_eq!(
        refused(g.admit(&token, 300_000.0, None).unwrap()).wait_ms,
        300_000
    );
    // When it ends, exactly one caller is asked to refresh.
    let first = refused(g.admit(&get(), 600_000.0, None).unwrap());
    assert_eq!(
        (first.reason, first.refresh, first.wait_ms),
        (RefuseReason::TokenRefresh, true, 0)
    );
    let second = refused(g.admit(&get(), 600_001.0, None).unwrap());
    assert_eq!(
        (second.reason, second.refresh),
        (RefuseReason::TokenRefresh, false)
    );
    ticket(g.admit(&token, 600_002.0, None).unwrap());
    g.token_refreshed(600_100.0, lifetime(3_600_000)).unwrap();
    ticket(g.admit(&get(), 600_200.0, None).unwrap());
    assert_eq!(g.snapshot(600_200.0).unwrap().token.refresh_wait_ms, 0);
}

#[test]
fn a_network_failure_backs_off_from_one_second_up_to_max_delay() {
    let mut g = guard("enterprise");
    let mut now = 0u64;
    for n in 1..=8u32 {
        let f = if n % 2 == 0 {
            failure(None, Some(503), None)
        } else {
            failure(None, None, Some("fetch failed"))
        };
        let d = g.token_refresh_failed(now as f64, &f).unwrap();
        let ceiling = (1_000u64 << (n - 1)).min(20_000);
        assert_eq!(d.action, Action::Retry);
        assert_eq!(d.failures, n);
        assert!(
            (ceiling / 2..=ceiling).contains(&d.delay_ms),
            "failure {n}: {} not in {}..={ceiling}",
            d.delay_ms,
            ceiling / 2
        );
        let expected = if n % 2 == 0 {
            Reason::ServerError
        } else {
            Reason::NetworkError
        };
        assert_eq!(d.reason, expected);
        assert_eq!(d.delay_basis, Some(DelayBasis::Transient));
        let r = refused(g.admit(&get(), now as f64, None).unwrap());
        assert_eq!((r.refresh, r.wait_ms), (false, d.delay_ms));
        now += d.delay_ms;
    }
    // A success ends the run of failures.
    g.token_refreshed(now as f64, lifetime(3_600_000)).unwrap();
    let d = g
        .token_refresh_failed(now as f64 + 1.0, &failure(None, None, None))
        .unwrap();
    assert_eq!(d.failures, 1);
    // Ten attempts in the window: the next waits for the oldest to leave it.
    assert!(d.delay_ms >= 500);
    assert!(d.delay_ms <= 600_000);
}

#[test]
fn short_lived_tokens_are_used_for_half_their_life() {
    for (life, margin) in [(2_000u64, 1_000u64), (5_000, 2_500), (60_000, 5_000)] {
        let mut g = guard("enterprise");
        g.token_refreshed(0.0, lifetime(life)).unwrap();
        let t = ticket(g.admit(&get(), (life - margin - 1) as f64, None).unwrap());
        g.settle_verdict(t, &ok(), (life - margin - 1) as f64)
            .unwrap();
        let r = refused(g.admit(&get(), (life - margin) as f64, None).unwrap());
        assert_eq!(
            (r.reason, r.refresh, r.wait_ms),
            (RefuseReason::TokenRefresh, true, 0),
            "a {life} ms token is refreshed {margin} ms before it expires"
        );
    }
}

/// A client that obeys the Guard for an hour, one call at a time, with 2 s tokens:
/// some calls get a 401; some refreshes fail (no response, Access Denied).
fn run_an_hour(g: &mut Guard) -> (Vec<u64>, u32) {
    let invalid = top(
        401,
        "INVALID_TOKEN",
        Category::Auth,
        RetryHint::RefreshToken,
    );
    let mut refreshes = vec![0u64];
    g.token_refreshed(0.0, lifetime(2_000)).unwrap();
    let (mut now, mut calls, mut refresh_at, mut retry_of) = (1u64, 0u32, None, None);
    while now < 3_600_000 {
        if let Some(at) = refresh_at {
            if now < at {
                now = at;
                continue;
            }
            refresh_at = None;
            refreshes.push(now);
            let k = refreshes.len();
            if k % 5 == 3 {
                g.token_refresh_failed(now as f64, &failure(None, None, None))
                    .unwrap();
            } else if k % 13 == 7 {
                let f = failure(Some("Access Denied"), Some(200), Some(THROTTLED));
                g.token_refresh_failed(now as f64, &f).unwrap();
            } else {
                g.token_refreshed(now as f64, lifetime(2_000)).unwrap();
            }
            now += 50;
            continue;
        }
        match g.admit(&get().patient(), now as f64, retry_of).unwrap() {
            Admission::Admitted(a) => {
                calls += 1;
                now += 100;
                let v = if calls % 7 == 0 {
                    invalid.clone()
                } else {
                    ok()
                };
                let d = g.settle_verdict(a.ticket, &v, now as f64).unwrap();
                retry_of = (d.action != Action::Done).then_some(d.request);
                if d.action == Action::RefreshToken {
                    refresh_at = Some(now + d.delay_ms);
                }
            }
            Admission::Refused(r) if r.refresh => refresh_at = Some(now + r.wait_ms),
            Admission::Refused(r) => now += r.wait_ms.max(1),
        }
    }
    (refreshes, calls)
}

#[test]
fn never_an_eleventh_refresh_within_ten_minutes_over_an_hour() {
    let mut g = guard("enterprise");
    let (refreshes, calls) = run_an_hour(&mut g);
    for (i, &t) in refreshes.iter().enumerate() {
        let in_window = refreshes[i..].iter().filter(|&&u| u < t + 600_000).count();
        assert!(
            in_window <= 10,
            "{in_window} refreshes within 10 minutes from {t}"
        );
    }
    // 2 s tokens, 10 per 10 minutes: about 10 s of calls per window, but calls go.
    assert!(refreshes.len() >= 50, "{} refreshes", refreshes.len());
    assert!(calls >= 300, "{calls} calls in an hour");
    let events = replay(g.log()).unwrap();
    assert_eq!(
        &events,
        &g.log().events,
        "the log replays, failures included"
    );
}

#[test]
fn token_failures_replay_bit_for_bit_through_json() {
    let mut g = guard("enterprise");
    g.token_refresh_failed(0.0, &failure(None, Some(502), Some(&"x".repeat(5_000))))
        .unwrap();
    g.token_refresh_failed(10_000.0, &failure(Some("Access Denied"), None, None))
        .unwrap();
    let json = serde_json::to_string(g.log()).unwrap();
    assert!(json.len() < 4_000, "the message is cut in the log");
    let back: zcrm_guard::guard::DecisionLog = serde_json::from_str(&json).unwrap();
    assert_eq!(replay(&back).unwrap(), g.log().events);
    let state = serde_json::to_string(g.state()).unwrap();
    let restored = Guard::from_state(serde_json::from_str(&state).unwrap()).unwrap();
    assert_eq!(restored.state(), g.state());
}
