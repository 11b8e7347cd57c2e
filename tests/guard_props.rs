//! Property tests of the Guard: random interleavings of admit, settle, token

// Tests may unwrap and panic (clippy.toml allows it inside #[test] fns; helpers need this).
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::expect_used,
    clippy::indexing_slicing
)]
//! refreshes and time, checked against the limits after every step.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::json;
use zcrm_guard::catalog::{Operation, OperationKind, CREDIT_WINDOW_MS};
use zcrm_guard::classify::{Category, RecordResult, RetryHint, Verdict};
use zcrm_guard::guard::{replay, Action, Admission, Guard, GuardState, RawGuardConfig};

#[derive(Debug, Clone)]
enum Step {
    Admit { kind: u8, credits: u16, retry: bool },
    Settle { pick: u8, verdict: u8 },
    Refresh,
    Wait { ms: u32 },
    RoundTrip,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0u8..6, 0u16..1_500, any::<bool>()).prop_map(|(kind, credits, retry)| Step::Admit { kind, credits, retry }),
        4 => (any::<u8>(), 0u8..8).prop_map(|(pick, verdict)| Step::Settle { pick, verdict }),
        1 => Just(Step::Refresh),
        2 => (0u32..8_000_000).prop_map(|ms| Step::Wait { ms }),
        1 => Just(Step::RoundTrip),
    ]
}

fn operation(kind: u8, credits: u16) -> Operation {
    let k = match kind {
        0 => OperationKind::Get,
        1 => OperationKind::Coql,
        2 => OperationKind::Graphql,
        3 => OperationKind::Composite,
        4 => OperationKind::Insert,
        _ => OperationKind::Update,
    };
    Operation {
        credits: Some(u32::from(credits)),
        ..Operation::new(k).with_records(u32::from(credits % 30) + 1)
    }
}

fn top(status: u16, code: &str, category: Category, retry: RetryHint) -> Verdict {
    Verdict::rejected(status, code, "", category, retry)
}

fn verdict(n: u8) -> Verdict {
    match n {
        0 | 1 => Verdict::success(200),
        2 => top(
            429,
            "TOO_MANY_REQUESTS",
            Category::RateLimit,
            RetryHint::Backoff,
        ),
        3 => top(500, "INTERNAL_ERROR", Category::Server, RetryHint::Backoff),
        4 => top(0, "NETWORK_ERROR", Category::Network, RetryHint::Backoff),
        5 => top(
            401,
            "INVALID_TOKEN",
            Category::Auth,
            RetryHint::RefreshToken,
        ),
        6 => {
            let mut v = top(
                429,
                "TOO_MANY_REQUESTS",
                Category::RateLimit,
                RetryHint::Backoff,
            );
            v.retry_after_ms = Some(3_000);
            v
        }
        _ => {
            let locked = RecordResult::rejected(
                1,
                "RECORD_LOCKED",
                "",
                Category::Locked,
                RetryHint::Backoff,
            );
            Verdict::partial(vec![RecordResult::success(0), locked])
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn limits_hold_under_any_interleaving(
        edition in prop::sample::select(vec!["free", "standard", "professional", "enterprise"]),
        seed in 0u64..1_000,
        steps in prop::collection::vec(step(), 1..120),
    ) {
        let raw: RawGuardConfig = serde_json::from_value(json!({
            "edition": edition, "seed": seed, "licenses": 2, "retry": {"maxAttempts": 3}
        })).unwrap();
        let mut g = Guard::from_raw(raw).unwrap();
        let max_attempts = 3;
        let cfg = g.state().config.clone();
        let mut now: u64 = 1_000;
        let mut in_flight: Vec<u64> = vec![];
        let mut settled: BTreeSet<u64> = BTreeSet::new();
        let mut spends: Vec<(u64, u64)> = vec![];
        let mut retryable: Vec<u64> = vec![];
        let mut attempts: BTreeMap<u64, u32> = BTreeMap::new();

        for s in steps {
            match s {
                Step::Admit { kind, credits, retry } => {
                    let op = operation(kind, credits);
                    let retry_of = if retry { retryable.pop() } else { None };
                    match g.admit(&op, now as f64, retry_of) {
                        Ok(Admission::Admitted(a)) => {
                            prop_assert!(!settled.contains(&a.ticket));
                            in_flight.push(a.ticket);
                            spends.push((now, u64::from(a.cost)));
                            let n = attempts.entry(a.request).or_insert(0);
                            *n += 1;
                            // A token replay is the one attempt beyond maxAttempts.
                            prop_assert!(*n <= max_attempts + 1, "attempts {} of request {}", n, a.request);
                            prop_assert_eq!(a.attempt, *n);
                        }
                        Ok(Admission::Refused(_)) => {
                            if let Some(r) = retry_of { retryable.push(r) }
                        }
                        Err(e) => prop_assert_eq!(e.code(), "RETRY_NOT_ALLOWED"),
                    }
                }
                Step::Settle { pick, verdict: n } => {
                    if in_flight.is_empty() { continue; }
                    let t = in_flight.remove(usize::from(pick) % in_flight.len());
                    let d = g.settle_verdict(t, &verdict(n), now as f64).unwrap();
                    prop_assert!(settled.insert(t));
                    prop_assert_eq!(g.settle_verdict(t, &verdict(0), now as f64).unwrap_err().code(), "TICKET_ALREADY_SETTLED");
                    if matches!(d.action, Action::Retry | Action::RetryRecords | Action::RefreshToken | Action::Verify) {
                        retryable.push(d.request);
                    }
                }
                Step::Refresh => { g.token_refreshed(now as f64, None).unwrap(); }
                Step::Wait { ms } => now += u64::from(ms),
                Step::RoundTrip => {
                    let json = serde_json::to_string(g.state()).unwrap();
                    let back: GuardState = serde_json::from_str(&json).unwrap();
                    prop_assert_eq!(&back, g.state());
                    g = Guard::from_state(back).unwrap();
                }
            }
            let snap = g.snapshot(now as f64).unwrap();
            prop_assert!(snap.slots_in_use <= cfg.concurrency, "slots {} > {}", snap.slots_in_use, cfg.concurrency);
            prop_assert!(snap.complex_in_flight <= cfg.sub_concurrency);
            prop_assert!(snap.graphql_in_flight <= cfg.graphql_concurrency);
            prop_assert_eq!(snap.in_flight as usize, in_flight.len());
            let window: u64 = spends.iter().filter(|(at, _)| at + CREDIT_WINDOW_MS > now).map(|(_, c)| c).sum();
            prop_assert!(window <= cfg.credit_allowance, "{} credits in 24 h > {}", window, cfg.credit_allowance);
        }
        let replayed = replay(g.log()).unwrap();
        prop_assert_eq!(&replayed, &g.log().events);
    }
}
