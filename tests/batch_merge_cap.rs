//! `MAX_MERGE_COUNT`: a million results merge; one more is `INVALID_ARGUMENT`, refused
//! before anything is allocated for the results (a count of 10^7 used to exhaust the
//! wasm memory and trap).
//!
//! "Before any allocation" is shown with counts no allocation could hold: a vector of
//! `usize::MAX` results (or of 2^60) panics with a capacity overflow, or aborts, the
//! moment it is asked for; the refusal must come first. (The workspace forbids unsafe
//! code, so no counting allocator measures it.)

use std::time::Instant;

use zcrm_guard::batch::{merge_results, MergeOptions, MAX_MERGE_COUNT, NOT_PLANNED};

fn count(n: usize) -> MergeOptions {
    MergeOptions {
        count: Some(n),
        prior: vec![],
    }
}

#[test]
fn the_cap_is_one_million() {
    assert_eq!(MAX_MERGE_COUNT, 1_000_000);
}

#[test]
fn one_more_than_the_cap_is_refused_before_any_allocation() {
    for n in [MAX_MERGE_COUNT + 1, 10_000_000, 1 << 60, usize::MAX] {
        let started = Instant::now();
        let e = merge_results(&[], &[], &count(n)).unwrap_err();
        assert_eq!(e.code(), "INVALID_ARGUMENT");
        assert!(e.to_string().contains("options.count"), "{e}");
        assert!(e.to_string().contains("1000000"), "{e}");
        assert!(
            started.elapsed().as_millis() < 100,
            "nothing per index is done"
        );
    }
    // An index beyond the cap, with no count, is refused the same way.
    for index in [MAX_MERGE_COUNT, usize::MAX - 1] {
        let e = merge_results(&[vec![index]], &[], &MergeOptions::default()).unwrap_err();
        assert_eq!(e.code(), "INVALID_ARGUMENT", "index {index}");
    }
}

#[test]
fn a_million_results_merge() {
    let merged = merge_results(&[], &[], &count(MAX_MERGE_COUNT)).unwrap();
    assert_eq!(merged.len(), MAX_MERGE_COUNT);
    let last = &merged[MAX_MERGE_COUNT - 1];
    assert_eq!(
        (last.index, last.code.as_str()),
        (MAX_MERGE_COUNT - 1, NOT_PLANNED)
    );
}
