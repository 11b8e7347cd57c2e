//! Property tests of the Guard: random interleavings of admit (patient or not), settle,
//! settle without response, token refreshes and their failures, snapshots, round trips
//! and time, checked after every step (limits, single settlement, attempts, every delay
//! and wait at most MAX_WAIT_MS, the cooldown within the Retry-After ceiling, the 24 h
//! credits, round trip, replay).
//!
//! The events, the verdicts and the checks are zcrm-guard-fuzz-common's, shared with
//! the `guard` fuzz target; here proptest draws them (and shrinks a failing sequence).
//! No verdict carries an X-API-CREDITS-REMAINING header, so the credits of every 24 h
//! window are checked after every step.

use proptest::prelude::*;
use zcrm_guard::catalog::OperationKind;
use zcrm_guard_fuzz_common::guard::{
    ConfigSeed, Event, Harness, OperationSeed, TokenFailureSeed, TokenSeed, VerdictSeed, EDITIONS,
    HUGE_RETRY_AFTER_MS, TOKEN_FAILURE_KINDS, VERDICT_KINDS,
};

fn config() -> impl Strategy<Value = ConfigSeed> {
    (
        prop::sample::select(EDITIONS.to_vec()),
        1u8..=50,
        0u16..1_000,
        1u8..=5,
        prop::option::of(0u16..=64),
    )
        .prop_map(
            |(edition, licenses, seed, max_attempts, log_capacity)| ConfigSeed {
                edition,
                licenses,
                seed,
                max_attempts,
                log_capacity,
            },
        )
}

fn verdict() -> impl Strategy<Value = VerdictSeed> {
    (
        0..VERDICT_KINDS,
        prop::collection::vec(any::<bool>(), 0..=5),
        prop::option::of(prop_oneof![
            7 => 0u64..=120_000,
            1 => prop::sample::select(HUGE_RETRY_AFTER_MS.to_vec()),
        ]),
    )
        .prop_map(|(kind, records, retry_after_ms)| VerdictSeed {
            kind,
            records,
            retry_after_ms,
            credits_remaining: None,
        })
}

fn operation() -> impl Strategy<Value = OperationSeed> {
    (
        prop::sample::select(OperationKind::ALL.to_vec()),
        1u32..=100,
        prop::option::of(0u32..1_500),
        any::<bool>(),
    )
        .prop_map(|(kind, records, credits, patient)| OperationSeed {
            kind,
            records,
            credits,
            patient,
        })
}

fn event() -> impl Strategy<Value = Event> {
    let token = (any::<bool>(), any::<u16>()).prop_map(|(eu_domain, expires_in_s)| TokenSeed {
        eu_domain,
        expires_in_s,
    });
    prop_oneof![
        4 => (operation(), any::<bool>()).prop_map(|(op, retry)| Event::Admit { op, retry }),
        4 => (any::<u8>(), verdict()).prop_map(|(pick, verdict)| Event::Settle { pick: pick.into(), verdict }),
        1 => (any::<u8>(), any::<bool>()).prop_map(|(pick, truncated)| Event::NoResponse { pick: pick.into(), truncated }),
        1 => prop::option::of(token).prop_map(Event::Refresh),
        1 => (0..TOKEN_FAILURE_KINDS).prop_map(|kind| Event::RefreshFailed(TokenFailureSeed { kind })),
        2 => (0u64..8_000_000).prop_map(Event::Wait),
        1 => (0u64..100_000).prop_map(Event::Rewind),
        1 => Just(Event::Snapshot),
        1 => Just(Event::RoundTrip),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn limits_hold_under_any_interleaving(
        config in config(),
        events in prop::collection::vec(event(), 1..120),
    ) {
        let mut h = Harness::new(&config, 1_000).expect("a valid configuration");
        for e in &events {
            h.apply(e);
            h.check();
        }
        h.finish();
    }
}
