//! Guard determinism and persistence: seeded delays, the decision log and its replay, state round trips.

mod support;

use serde_json::json;
use support::guard::*;
use zcrm_guard::classify::{Category, RetryHint};
use zcrm_guard::guard::{replay, Admission, Guard, TokenInfo};

#[test]
fn the_same_inputs_give_the_same_decisions_and_the_log_replays() {
    let run = |seed: u64| {
        let mut g = guard_with(json!({"edition": "professional", "seed": seed}));
        let mut out = vec![];
        for i in 0..30u32 {
            let now = f64::from(i) * 100.0;
            if let Admission::Admitted(a) = g.admit(&get(), now, None).unwrap() {
                let v = if i % 3 == 0 {
                    too_many()
                } else {
                    top(502, "HTTP_502", Category::Server, RetryHint::Backoff)
                };
                out.push(g.settle_verdict(a.ticket, &v, now + 10.0).unwrap().delay_ms);
            }
        }
        (out, g)
    };
    let (a, g) = run(7);
    let (b, _) = run(7);
    let (c, _) = run(8);
    assert_eq!(a, b);
    assert_ne!(a, c);
    let replayed = replay(g.log()).unwrap();
    assert_eq!(replayed, g.log().events);
    // Through JSON too, as the log travels.
    let json = serde_json::to_string(g.log()).unwrap();
    let back: zcrm_guard::guard::DecisionLog = serde_json::from_str(&json).unwrap();
    assert_eq!(replay(&back).unwrap(), g.log().events);
}

#[test]
fn state_round_trips_through_json() {
    let (_, d) = no_response_under("verify");
    let _ = d;
    let mut g = guard("enterprise");
    let t = ticket(g.admit(&insert(20), 5.0, None).unwrap());
    ticket(g.admit(&get(), 6.0, None).unwrap());
    g.settle_verdict(t, &too_many(), 7.0).unwrap();
    let json = serde_json::to_value(g.state()).unwrap();
    let back: zcrm_guard::guard::GuardState = serde_json::from_value(json).unwrap();
    assert_eq!(&back, g.state());
    let mut restored = Guard::from_state(back).unwrap();
    let mut original = g.clone();
    let a = restored.admit(&get(), 9_000.0, Some(t)).unwrap();
    let b = original.admit(&get(), 9_000.0, Some(t)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn pinned_delays_are_the_same_everywhere() {
    // The JS case "the same seed gives the same decisions on every runtime" pins the same figures.
    let mut g = guard_with(json!({"edition": "enterprise", "seed": 12345}));
    let delays: Vec<u64> = (0..5u32)
        .map(|i| {
            let t = ticket(g.admit(&get(), f64::from(i * 10), None).unwrap());
            g.settle_verdict(
                t,
                &top(503, "HTTP_503", Category::Server, RetryHint::Backoff),
                f64::from(i * 10 + 1),
            )
            .unwrap()
            .delay_ms
        })
        .collect();
    assert_eq!(delays, vec![7, 4, 79, 33, 10_000]);
}

#[test]
fn the_log_round_trips_through_json_unchanged() {
    let mut g = guard("enterprise");
    let t = ticket(g.admit(&get(), 0.0, None).unwrap());
    g.settle_verdict(t, &too_many(), 1.0).unwrap();
    for _ in 0..25 {
        let _ = g.admit(&get(), 2.0, None).unwrap();
    }
    g.token_refreshed(
        3.0,
        Some(TokenInfo {
            api_domain: Some("https://www.zohoapis.in".into()),
            expires_in_ms: Some(1_000),
        }),
    )
    .unwrap();
    let back: zcrm_guard::guard::DecisionLog =
        serde_json::from_str(&serde_json::to_string(g.log()).unwrap()).unwrap();
    assert_eq!(&back, g.log());
    assert!(back.events.iter().any(|e| matches!(
        e,
        zcrm_guard::guard::LogEvent::Admit {
            result: Admission::Refused(_),
            ..
        }
    )));
}
