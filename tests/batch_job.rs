//! Job forecasts: calls, credits, rounds and windows of a whole job, and the Bulk Write alternative.

// Helpers outside #[test] functions may fail loudly too (clippy.toml allows it in tests).
#![allow(clippy::expect_used)]

use zcrm_guard::batch::*;
use zcrm_guard::catalog::{Operation, OperationKind};

fn job(kind: OperationKind, count: u64, options: JobOptions) -> JobPlan {
    plan_job(&Operation::new(kind), count, &options).expect("job")
}

fn edition(name: &str) -> JobOptions {
    JobOptions {
        edition: Some(name.into()),
        ..Default::default()
    }
}

#[test]
fn job_forecasts_calls_credits_rounds() {
    let p = job(OperationKind::Insert, 10_050, edition("enterprise"));
    assert_eq!(p.records_per_call, 100);
    assert_eq!(p.calls, 101);
    assert_eq!(p.credits, 100 * 10 + 5);
    assert!(p.complex);
    assert_eq!(
        p.parallel, 10,
        "complex pool of 10 binds before Enterprise's 20"
    );
    assert_eq!(p.min_rounds, 11);
    assert!(p.fits_in_window);
    assert_eq!(p.credits_available, 50_000);
    let bw = p.bulk_write.expect("bulk write");
    assert_eq!(bw.jobs, 1);
    assert_eq!(bw.credits, 500);
    assert!(bw.cheaper);
    assert_eq!(bw.saving, 505);
    // Small jobs: the record API is cheaper.
    let small = job(OperationKind::Insert, 1_000, edition("standard"));
    assert!(!small.bulk_write.expect("bw").cheaper);
    // Delete is 1 credit per call, not complex, no Bulk Write alternative.
    let del = job(OperationKind::Delete, 1_000, edition("professional"));
    assert_eq!(del.credits, 10);
    assert_eq!(del.parallel, 15);
    assert!(del.bulk_write.is_none());
}

#[test]
fn job_that_cannot_finish_inside_the_window() {
    let p = job(
        OperationKind::Insert,
        2_000_000,
        JobOptions {
            credits_remaining: Some(1_000.0),
            ..edition("standard")
        },
    );
    assert_eq!(p.credits, 200_000);
    assert!(!p.fits_in_window);
    assert_eq!(p.credits_available, 1_000);
    // 1,000 now, then 50,000 per window: 199,000 / 50,000 -> 4 more windows.
    assert_eq!(p.windows_needed, 5);
    assert_eq!(p.min_duration_ms, 4 * 24 * 60 * 60 * 1000);
    let err = plan_job(
        &Operation::new(OperationKind::Insert),
        10,
        &JobOptions::default(),
    )
    .expect_err("edition");
    assert_eq!(err.code(), "INVALID_ARGUMENT");
    let err = plan_job(&Operation::new(OperationKind::Insert), 10, &edition("gold"))
        .expect_err("edition");
    assert_eq!(err.code(), "UNKNOWN_EDITION");
}
