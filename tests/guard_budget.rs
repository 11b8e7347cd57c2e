//! Retry budgets refill over time (`budget.refillPerSecond`): a spent budget is waited
//! out rather than lost for good.

// Helpers outside #[test] functions may fail loudly too (clippy.toml allows it in tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::json;
use support::guard::*;
use zcrm_guard::classify::{Category, RetryHint};
use zcrm_guard::guard::{Action, Decision, Guard, Reason};

/// A GET failing with a 500 at `now`: the decision on its first attempt.
fn fail_once(g: &mut Guard, now: f64) -> Decision {
    let t = ticket(g.admit(&get(), now, None).unwrap());
    let v = top(500, "INTERNAL_ERROR", Category::Server, RetryHint::Backoff);
    g.settle_verdict(t, &v, now).unwrap()
}

fn small_budget(refill: u32) -> Guard {
    guard_with(json!({
        "edition": "enterprise",
        "budget": {"capacity": 10, "retryCost": 5, "refillPerSecond": refill},
        "breaker": {"threshold": 1000},
    }))
}

#[test]
fn a_spent_budget_refills_at_its_rate() {
    let mut g = small_budget(10);
    assert_eq!(fail_once(&mut g, 1_000.0).action, Action::Retry);
    assert_eq!(fail_once(&mut g, 1_000.0).action, Action::Retry);
    let d = fail_once(&mut g, 1_000.0);
    assert_eq!((d.action, d.reason), (Action::GiveUp, Reason::RetryBudget));
    assert_eq!(d.inputs.budget_remaining, Some(0));
    // 10 tokens a second: 5 back after half a second, all 10 after one.
    assert_eq!(g.snapshot(1_499.0).unwrap().budgets.server, 4);
    assert_eq!(g.snapshot(1_500.0).unwrap().budgets.server, 5);
    assert_eq!(
        g.snapshot(60_000.0).unwrap().budgets.server,
        10,
        "never above capacity"
    );
    let d = fail_once(&mut g, 1_500.0);
    assert_eq!(
        (d.action, d.inputs.budget_remaining),
        (Action::Retry, Some(0))
    );
    // Other classes keep their own tokens.
    assert_eq!(g.snapshot(1_500.0).unwrap().budgets.throttle, 10);
}

#[test]
fn refill_zero_keeps_a_spent_budget_spent() {
    let mut g = small_budget(0);
    fail_once(&mut g, 0.0);
    fail_once(&mut g, 0.0);
    let later = 3_600_000.0;
    assert_eq!(g.snapshot(later).unwrap().budgets.server, 0);
    let d = fail_once(&mut g, later);
    assert_eq!((d.action, d.reason), (Action::GiveUp, Reason::RetryBudget));
    // A patient call cannot wait for a refill that never comes.
    let t = ticket(g.admit(&get().patient(), later, None).unwrap());
    let v = top(500, "INTERNAL_ERROR", Category::Server, RetryHint::Backoff);
    let d = g.settle_verdict(t, &v, later).unwrap();
    assert_eq!((d.action, d.reason), (Action::GiveUp, Reason::RetryBudget));
}

#[test]
fn the_refill_rate_is_checked_and_defaults_to_ten() {
    assert_eq!(
        guard("enterprise").state().config.budget.refill_per_second,
        10
    );
    for bad in [-1.0, 0.5, 1e7] {
        let raw = serde_json::from_value(
            json!({"edition": "enterprise", "budget": {"refillPerSecond": bad}}),
        )
        .unwrap();
        let e = Guard::from_raw(raw).unwrap_err();
        assert!(
            e.to_string().contains("config.budget.refillPerSecond"),
            "{e}"
        );
    }
}

#[test]
fn a_state_saved_before_refills_and_ceilings_still_loads() {
    let mut g = small_budget(10);
    fail_once(&mut g, 1_000.0);
    let mut state = serde_json::to_value(g.state()).unwrap();
    let obj = state.as_object_mut().unwrap();
    obj.remove("budgetsSince");
    let config = obj["config"].as_object_mut().unwrap();
    config["budget"]
        .as_object_mut()
        .unwrap()
        .remove("refillPerSecond");
    config["retry"]
        .as_object_mut()
        .unwrap()
        .remove("maxRetryAfterMs");
    let token = obj["token"].as_object_mut().unwrap();
    for key in ["lifetimeMs", "failures", "retryAt"] {
        token.remove(key);
    }
    let old: zcrm_guard::guard::GuardState = serde_json::from_value(state).unwrap();
    let mut restored = Guard::from_state(old).unwrap();
    let config = &restored.state().config;
    assert_eq!(config.budget.refill_per_second, 10);
    assert_eq!(config.retry.max_retry_after_ms, 600_000);
    assert_eq!(restored.snapshot(2_000.0).unwrap().budgets.server, 10);
    assert_eq!(fail_once(&mut restored, 2_000.0).action, Action::Retry);
}
