//! Fuzz target: a sequence of Guard events decoded from the bytes (admit, settle,
//! settle without response, token refreshed, snapshot, toJSON + fromJSON), with times
//! that may go backwards. Invariants after every step: in flight never above the
//! limits, each ticket settles once, the state round-trips, the credits of any 24 h
//! window never above the allowance, the access token never stored.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use zcrm_guard::catalog::{Operation, OperationKind, CREDIT_WINDOW_MS};
use zcrm_guard::classify::{Category, Credits, RecordResult, RetryHint, Verdict};
use zcrm_guard::guard::{
    replay, Action, Admission, Guard, GuardState, RawGuardConfig, TokenResponse,
};

const EDITIONS: [&str; 5] = ["free", "standard", "professional", "enterprise", "ultimate"];
const SECRET: &str = "secret-token-Zx9";

fn top(status: u16, code: &str, category: Category, retry: RetryHint) -> Verdict {
    Verdict::rejected(status, code, "", category, retry)
}

fn verdict(u: &mut Unstructured) -> Result<Verdict> {
    let mut v = match u.int_in_range(0u8..=9)? {
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
        6 => top(400, "LIMIT_EXCEEDED", Category::Limit, RetryHint::None),
        7 => top(
            400,
            "DUPLICATE_DATA",
            Category::Duplicate,
            RetryHint::Conditional,
        ),
        8 => top(423, "RECORD_LOCKED", Category::Locked, RetryHint::Backoff),
        _ => {
            let n = u.int_in_range(0usize..=5)?;
            let mut records = Vec::with_capacity(n);
            for index in 0..n {
                records.push(if u.arbitrary()? {
                    RecordResult::success(index)
                } else {
                    RecordResult::rejected(
                        index,
                        "RECORD_LOCKED",
                        "",
                        Category::Locked,
                        RetryHint::Backoff,
                    )
                });
            }
            Verdict::partial(records)
        }
    };
    if u.arbitrary::<bool>()? {
        v.retry_after_ms = Some(u.int_in_range(0u64..=120_000)?);
    }
    if u.ratio(1u8, 8)? {
        v.credits = Some(Credits {
            remaining: u.arbitrary()?,
        });
    }
    Ok(v)
}

fn run(u: &mut Unstructured) -> Result<()> {
    let edition = EDITIONS[u.int_in_range(0usize..=4)?];
    let licenses = f64::from(u.int_in_range(1u8..=50)?);
    let seed = f64::from(u.arbitrary::<u16>()?);
    let raw: RawGuardConfig = match serde_json::from_value(json!({
        "edition": edition, "licenses": licenses, "seed": seed,
        "retry": {"maxAttempts": u.int_in_range(1u8..=5)?},
        "logCapacity": u.int_in_range(0u16..=64)?,
    })) {
        Ok(r) => r,
        Err(_) => return Ok(()),
    };
    let Ok(mut g) = Guard::from_raw(raw) else {
        return Ok(());
    };
    let cfg = g.state().config.clone();
    let mut now: u64 = 1_700_000_000_000;
    let mut seen_now = now;
    let mut in_flight: Vec<u64> = Vec::new();
    let mut settled: Vec<u64> = Vec::new();
    let mut retryable: Vec<u64> = Vec::new();
    let mut spends: Vec<(u64, u64)> = Vec::new();
    let mut header_seen = false;
    let mut steps = 0u32;
    while !u.is_empty() && steps < 400 {
        steps += 1;
        // Time moves forward mostly, sometimes backwards.
        match u.int_in_range(0u8..=9)? {
            0 => now = now.saturating_sub(u64::from(u.arbitrary::<u16>()?)),
            1 => now = now.saturating_add(u64::from(u.arbitrary::<u32>()?)),
            _ => now = now.saturating_add(u64::from(u.arbitrary::<u8>()?)),
        }
        let t = now as f64;
        match u.int_in_range(0u8..=7)? {
            0 | 1 => {
                let kind =
                    OperationKind::ALL[u.int_in_range(0usize..=OperationKind::ALL.len() - 1)?];
                let mut op = Operation::new(kind)
                    .with_module("Leads")
                    .with_records(u.int_in_range(1u32..=100)?);
                if u.arbitrary::<bool>()? {
                    op.credits = Some(u32::from(u.arbitrary::<u16>()?));
                }
                let retry_of = if u.arbitrary::<bool>()? {
                    retryable.pop()
                } else {
                    None
                };
                match g.admit(&op, t, retry_of) {
                    Ok(Admission::Admitted(a)) => {
                        assert!(!settled.contains(&a.ticket) && !in_flight.contains(&a.ticket));
                        in_flight.push(a.ticket);
                        spends.push((seen_now.max(now), u64::from(a.cost)));
                    }
                    Ok(Admission::Refused(_)) => retryable.extend(retry_of),
                    Err(e) => assert!(
                        matches!(e.code(), "RETRY_NOT_ALLOWED" | "INVALID_ARGUMENT"),
                        "admit: {e}"
                    ),
                }
            }
            2 | 3 => {
                if in_flight.is_empty() {
                    continue;
                }
                let i = u.int_in_range(0usize..=in_flight.len() - 1)?;
                let ticket = in_flight.swap_remove(i);
                let v = verdict(u)?;
                header_seen |= v.credits.is_some();
                let d = g
                    .settle_verdict(ticket, &v, t)
                    .expect("an in-flight ticket settles");
                settled.push(ticket);
                if matches!(
                    d.action,
                    Action::Retry | Action::RetryRecords | Action::RefreshToken | Action::Verify
                ) {
                    retryable.push(d.request);
                }
                let again = g
                    .settle_verdict(ticket, &v, t)
                    .expect_err("a ticket settles once");
                assert_eq!(again.code(), "TICKET_ALREADY_SETTLED");
            }
            4 => {
                if in_flight.is_empty() {
                    // A ticket never issued.
                    let e = g
                        .settle_no_response(u64::MAX, t, false)
                        .expect_err("unknown ticket");
                    assert_eq!(e.code(), "UNKNOWN_TICKET");
                    continue;
                }
                let i = u.int_in_range(0usize..=in_flight.len() - 1)?;
                let ticket = in_flight.swap_remove(i);
                let d = g
                    .settle_no_response(ticket, t, u.arbitrary()?)
                    .expect("settles");
                settled.push(ticket);
                if matches!(
                    d.action,
                    Action::Retry | Action::RetryRecords | Action::RefreshToken | Action::Verify
                ) {
                    retryable.push(d.request);
                }
            }
            5 => {
                let response = TokenResponse {
                    access_token: Some(SECRET.into()),
                    api_domain: u
                        .arbitrary::<bool>()?
                        .then(|| "https://www.zohoapis.eu".to_owned()),
                    expires_in: Some(f64::from(u.arbitrary::<u16>()?)),
                    ..TokenResponse::default()
                };
                if let Ok(info) = response.into_info() {
                    g.token_refreshed(t, Some(info)).expect("valid time");
                }
            }
            6 => {
                let a = g.snapshot(t).expect("valid time");
                let b = g.snapshot(t).expect("valid time");
                assert_eq!(a, b, "snapshot is read-only");
            }
            _ => {
                let text = serde_json::to_string(g.state()).expect("state serializes");
                assert!(!text.contains(SECRET), "the access token is stored");
                let back: GuardState = serde_json::from_str(&text).expect("state reads back");
                assert_eq!(&back, g.state(), "toJSON/fromJSON round trip");
                g = Guard::from_state(back).expect("own state accepted");
            }
        }
        seen_now = seen_now.max(now);
        let snap = g.snapshot(t).expect("valid time");
        assert!(
            snap.slots_in_use <= cfg.concurrency,
            "slots {} > {}",
            snap.slots_in_use,
            cfg.concurrency
        );
        assert!(snap.complex_in_flight <= cfg.sub_concurrency);
        assert!(snap.graphql_in_flight <= cfg.graphql_concurrency);
        assert_eq!(snap.in_flight as usize, in_flight.len());
        if !header_seen {
            let window: u64 = spends
                .iter()
                .filter(|(at, _)| at.saturating_add(CREDIT_WINDOW_MS) > seen_now)
                .map(|(_, c)| c)
                .sum();
            assert!(
                window <= cfg.credit_allowance,
                "{window} credits in 24 h > {}",
                cfg.credit_allowance
            );
        }
    }
    let replayed = replay(g.log()).expect("own log replays");
    assert_eq!(&replayed, &g.log().events);
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
