//! Guard credits: the rolling 24 h allowance, credit exhaustion, the X-API-CREDITS-REMAINING header.

mod support;

use support::guard::*;
use zcrm_guard::catalog::{Operation, CREDIT_WINDOW_MS};
use zcrm_guard::classify::Credits;
use zcrm_guard::guard::{Action, Reason, RefuseReason};

#[test]
fn credits_run_out_and_come_back_24_hours_later() {
    // Free edition: 5,000 credits per rolling 24 h.
    let mut g = guard("free");
    let op = Operation {
        credits: Some(1_000),
        ..get()
    };
    for i in 0..5u64 {
        let t = ticket(g.admit(&op, (i * 1_000) as f64, None).unwrap());
        let mut v = ok();
        v.credits = Some(Credits {
            remaining: 5_000 - (i + 1) * 1_000,
        });
        g.settle_verdict(t, &v, (i * 1_000 + 10) as f64).unwrap();
    }
    let r = refused(g.admit(&op, 10_000.0, None).unwrap());
    assert_eq!(r.reason, RefuseReason::Credits);
    assert_eq!(
        r.wait_ms,
        CREDIT_WINDOW_MS - 10_000,
        "the first 1,000 free exactly 24 h after they were spent"
    );
    let back = CREDIT_WINDOW_MS as f64;
    ticket(g.admit(&op, back, None).unwrap());
    assert_eq!(
        refused(g.admit(&op, back, None).unwrap()).reason,
        RefuseReason::Credits
    );
}

#[test]
fn a_429_when_credits_are_nearly_gone_is_credit_exhaustion() {
    let mut g = guard("standard"); // 50,000 credits
    let t = ticket(g.admit(&get(), 1_000.0, None).unwrap());
    let mut v = too_many();
    v.credits = Some(Credits { remaining: 0 });
    let d = g.settle_verdict(t, &v, 1_100.0).unwrap();
    assert_eq!((d.action, d.reason), (Action::GiveUp, Reason::Credits));
    assert_eq!(d.inputs.credits_header, Some(0));
    assert!(
        d.delay_ms > 20_000,
        "a cooldown until credits free, not a hammering retry"
    );
    let r = refused(g.admit(&get(), 2_000.0, None).unwrap());
    assert_eq!(r.reason, RefuseReason::Credits);
    assert_eq!(
        g.snapshot(2_000.0).unwrap().effective_limit,
        10,
        "credits are not concurrency: no AIMD cut"
    );
    // Credits come back 24 h after they were counted.
    ticket(
        g.admit(&get(), 1_100.0 + CREDIT_WINDOW_MS as f64, None)
            .unwrap(),
    );
}

#[test]
fn credits_header_absent_means_more_than_half_left() {
    let mut g = guard("standard");
    let big = Operation {
        credits: Some(30_000),
        ..get()
    };
    let t = ticket(g.admit(&big, 0.0, None).unwrap());
    g.settle_verdict(t, &ok(), 10.0).unwrap();
    // The header was never seen (a browser may hide it): absence proves nothing.
    assert_eq!(g.snapshot(10.0).unwrap().credits_used, 30_000);
    let t = ticket(g.admit(&get(), 11.0, None).unwrap());
    let mut v = ok();
    v.credits = Some(Credits { remaining: 20_000 });
    g.settle_verdict(t, &v, 12.0).unwrap();
    let mid = Operation {
        credits: Some(15_000),
        ..get()
    };
    let t = ticket(g.admit(&mid, 13.0, None).unwrap());
    g.settle_verdict(t, &ok(), 14.0).unwrap();
    // Headers are visible, and none came on a success: Zoho says less than 25,000 are used.
    assert_eq!(g.snapshot(14.0).unwrap().credits_used, 24_999);
    let t = ticket(g.admit(&get(), 20.0, None).unwrap());
    let mut v = ok();
    v.credits = Some(Credits { remaining: 20_000 });
    g.settle_verdict(t, &v, 30.0).unwrap();
    assert_eq!(
        g.snapshot(30.0).unwrap().credits_remaining,
        20_000,
        "reconciled with X-API-CREDITS-REMAINING"
    );
}
