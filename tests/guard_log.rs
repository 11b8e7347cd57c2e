//! Guard determinism and persistence: seeded delays, the decision log and its replay, state round trips.

mod support;

use serde_json::json;
use support::guard::*;
use zcrm_guard::classify::{Category, RetryHint};
use zcrm_guard::guard::{
    ranges, replay, Admission, DecisionLog, Guard, LogEvent, RawGuardConfig, TokenInfo,
    DEFAULT_LOG_CAPACITY, DEFAULT_LOG_MAX_BYTES,
};

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

#[test]
fn a_logged_settle_keeps_codes_and_counts_not_the_verdict() {
    let mut g = guard("standard");
    let v = reply_207();
    settle_reply(&mut g, 0, &v);
    let log = g.log();
    let LogEvent::Settle { decision, .. } = &log.events[1] else {
        panic!("not a settle: {:?}", log.events[1]);
    };
    assert_eq!(decision.verdict.ok_records, 70);
    let failed: usize = decision.verdict.failed.iter().map(|r| r.count).sum();
    assert_eq!(failed, 30);
    // RECORD_LOCKED is retryable: the indices of those records, as ranges.
    let locked: Vec<usize> = (0..100).filter(|i| i % 10 >= 7 && i % 4 == 3).collect();
    assert_eq!(decision.indices, Some(ranges(&locked)));
    let text = serde_json::to_string(&log.events[1]).unwrap();
    assert!(
        !text.contains("duplicate of an existing"),
        "a message was copied: {text}"
    );
    assert!(!text.contains("json_path"), "details were copied: {text}");
    // Accounting: the log's bytes are its events' bytes; one settle is a few KiB at most.
    let sum: usize = log.events.iter().map(LogEvent::bytes).sum();
    assert_eq!(log.bytes(), log.start.heap_bytes() + sum);
    assert!(
        log.events[1].bytes() < 4096,
        "{} bytes",
        log.events[1].bytes()
    );
    assert_eq!(replay(log).unwrap(), log.events);
}

#[test]
fn the_log_stays_within_its_byte_bound_and_its_event_count() {
    let v = reply_207();
    let mut g = guard("standard");
    let mut restarts = 0;
    let mut last = 0;
    for i in 0..3_000u32 {
        settle_reply(&mut g, i, &v);
        let log = g.log();
        assert!(
            log.bytes() as u64 <= DEFAULT_LOG_MAX_BYTES,
            "{} bytes",
            log.bytes()
        );
        assert!(log.events.len() <= DEFAULT_LOG_CAPACITY as usize);
        if log.events.len() < last {
            restarts += 1;
        }
        last = log.events.len();
    }
    assert!(restarts >= 1, "3,000 settles of 100 records fill 1 MiB");
    assert_eq!(replay(g.log()).unwrap(), g.log().events);

    // Configurable: a small byte bound, and an event count that binds first.
    let mut small = guard_with(json!({"edition": "standard", "logMaxBytes": 16384}));
    let mut counted = guard_with(json!({"edition": "standard", "logCapacity": 5}));
    let mut held = 0;
    for i in 0..50u32 {
        settle_reply(&mut small, i, &v);
        held = held.max(small.log().events.len());
        settle_reply(&mut counted, i, &v);
        assert!(small.log().bytes() <= 16384);
        assert!(counted.log().events.len() <= 5);
        let sum: usize = small.log().events.iter().map(LogEvent::bytes).sum();
        assert_eq!(small.log().bytes(), small.log().start.heap_bytes() + sum);
    }
    assert!(held >= 2, "an admit and its settle fit in 16 KiB");
    // A state bigger than half the bound: no events, and no copy of the state per call.
    let mut tiny = guard_with(json!({"edition": "standard", "logMaxBytes": 1024}));
    for i in 0..20u32 {
        settle_reply(&mut tiny, i, &v);
        assert!(tiny.log().events.is_empty());
    }
    assert!(replay(tiny.log()).unwrap().is_empty());
    assert_eq!(replay(small.log()).unwrap(), small.log().events);
    let bad: Result<RawGuardConfig, _> =
        serde_json::from_value(json!({"edition": "standard", "logMaxBytes": 10}));
    assert!(
        Guard::from_raw(bad.unwrap()).is_err(),
        "a bound below 1024 bytes is refused"
    );
}

#[test]
fn a_resent_insert_recovered_by_duplicate_data_replays_from_the_facts() {
    let mut g = guard_with(json!({"edition": "enterprise"}));
    let t = ticket(g.admit(&insert(3), 0.0, None).unwrap());
    let verify = g.settle_no_response(t, 10.0, false).unwrap();
    let t2 = ticket(g.admit(&insert(3), 20.0, Some(verify.request)).unwrap());
    let dup = |i: usize, details| {
        record(
            i,
            false,
            "DUPLICATE_DATA",
            Category::Duplicate,
            RetryHint::None,
            details,
        )
    };
    let v = zcrm_guard::classify::Verdict::partial(vec![
        dup(0, json!({"duplicate_record": {"id": "1"}})),
        dup(1, json!({"api_name": "Email"})),
        locked(2),
    ]);
    let d = g.settle_verdict(t2, &v, 30.0).unwrap();
    assert_eq!(d.inputs.recovered, Some(vec![0]));
    assert_eq!(d.indices, Some(vec![2]));
    let back: DecisionLog = serde_json::from_str(&serde_json::to_string(g.log()).unwrap()).unwrap();
    assert_eq!(replay(&back).unwrap(), g.log().events);
}
