//! Invariants of a verdict.

use zcrm_guard::classify::{Category, Outcome, Verdict};

/// The verdict keeps the response's status; a success is category `ok` with only ok
/// records; records are numbered in order.
pub fn check_verdict(verdict: &Verdict, status: u16) {
    assert_eq!(verdict.http_status, status);
    if verdict.outcome == Outcome::Success {
        assert_eq!(verdict.category, Category::Ok);
        assert!(verdict.records.iter().all(|r| r.ok));
    }
    for (i, r) in verdict.records.iter().enumerate() {
        assert_eq!(r.index, i, "records numbered in order");
    }
}
