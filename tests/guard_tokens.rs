//! Guard tokens: one refresh for concurrent 401s, token generations, data centres, the expiry skew.

mod support;

use support::guard::*;
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::classify::{Category, RetryHint};
use zcrm_guard::guard::{Action, Reason, RefuseReason, TokenInfo};

#[test]
fn three_concurrent_401s_cause_one_refresh() {
    let mut g = guard("enterprise");
    let ts: Vec<u64> = (0..3)
        .map(|_| ticket(g.admit(&get(), 0.0, None).unwrap()))
        .collect();
    let invalid = top(
        401,
        "INVALID_TOKEN",
        Category::Auth,
        RetryHint::RefreshToken,
    );
    let ds: Vec<_> = ts
        .iter()
        .map(|t| g.settle_verdict(*t, &invalid, 10.0).unwrap())
        .collect();
    let refreshes = ds
        .iter()
        .filter(|d| d.action == Action::RefreshToken)
        .count();
    assert_eq!(refreshes, 1);
    assert!(ds
        .iter()
        .skip(1)
        .all(|d| d.reason == Reason::AwaitTokenRefresh));
    // Before the refresh, replays and new calls wait for it.
    let r = refused(g.admit(&get(), 20.0, Some(ts[1])).unwrap());
    assert_eq!((r.reason, r.refresh), (RefuseReason::TokenRefresh, false));
    assert_eq!(
        refused(g.admit(&get(), 20.0, None).unwrap()).reason,
        RefuseReason::TokenRefresh
    );
    g.token_refreshed(
        30.0,
        Some(TokenInfo {
            api_domain: Some("https://www.zohoapis.com".into()),
            expires_in_ms: Some(3_600_000),
        }),
    )
    .unwrap();
    for t in &ts {
        let a = ticket(g.admit(&get(), 40.0, Some(*t)).unwrap());
        let d = g.settle_verdict(a, &ok(), 50.0).unwrap();
        assert_eq!(d.action, Action::Done);
    }
    assert_eq!(
        g.snapshot(50.0).unwrap().token.generation,
        1,
        "exactly one refresh"
    );
}

#[test]
fn a_401_of_an_older_generation_is_replayed_without_a_refresh() {
    let mut g = guard("enterprise");
    let old = ticket(g.admit(&get(), 0.0, None).unwrap());
    g.token_refreshed(5.0, None).unwrap();
    let d = g
        .settle_verdict(
            old,
            &top(
                401,
                "INVALID_TOKEN",
                Category::Auth,
                RetryHint::RefreshToken,
            ),
            10.0,
        )
        .unwrap();
    assert_eq!(
        (d.action, d.reason, d.delay_ms),
        (Action::Retry, Reason::TokenReplaced, 0)
    );
}

#[test]
fn wrong_data_centre_gives_up_with_check_domain() {
    let mut g = guard("enterprise");
    let t = ticket(g.admit(&get(), 0.0, None).unwrap());
    let auth = top(
        401,
        "AUTHENTICATION_FAILURE",
        Category::Auth,
        RetryHint::RefreshToken,
    );
    assert_eq!(
        g.settle_verdict(t, &auth, 10.0).unwrap().action,
        Action::RefreshToken
    );
    g.token_refreshed(
        20.0,
        Some(TokenInfo {
            api_domain: Some("https://www.zohoapis.eu".into()),
            expires_in_ms: Some(3_600_000),
        }),
    )
    .unwrap();
    let t2 = ticket(g.admit(&get(), 30.0, Some(t)).unwrap());
    let d = g.settle_verdict(t2, &auth, 40.0).unwrap();
    assert_eq!((d.action, d.reason), (Action::GiveUp, Reason::CheckDomain));
    assert_eq!(d.inputs.data_center.as_deref(), Some("eu"));
    assert_eq!(
        d.inputs.api_domain.as_deref(),
        Some("https://www.zohoapis.eu")
    );
}

#[test]
fn admit_asks_for_a_refresh_within_the_skew() {
    let mut g = guard("enterprise");
    g.token_refreshed(
        0.0,
        Some(TokenInfo {
            api_domain: None,
            expires_in_ms: Some(60_000),
        }),
    )
    .unwrap();
    ticket(g.admit(&get(), 54_999.0, None).unwrap());
    let first = refused(g.admit(&get(), 55_000.0, None).unwrap());
    assert_eq!(
        (first.reason, first.refresh),
        (RefuseReason::TokenRefresh, true)
    );
    let second = refused(g.admit(&get(), 55_001.0, None).unwrap());
    assert_eq!(
        (second.reason, second.refresh),
        (RefuseReason::TokenRefresh, false),
        "one refresher"
    );
    // The token call itself passes, and the refresh-token limit (10 per 10 min) holds.
    let token_op = Operation::new(OperationKind::Token);
    ticket(g.admit(&token_op, 55_002.0, None).unwrap());
    for i in 1..10 {
        g.token_refreshed(55_010.0 + f64::from(i), None).unwrap();
    }
    g.token_refreshed(55_100.0, None).unwrap();
    let r = refused(g.admit(&token_op, 56_000.0, None).unwrap());
    assert_eq!(r.reason, RefuseReason::TokenRefresh);
    assert_eq!(
        r.wait_ms,
        600_000 - 56_000,
        "11 refreshes in 10 min: the oldest (at 0) must leave the window"
    );
}
