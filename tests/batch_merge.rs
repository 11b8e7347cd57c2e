//! Merging replies back to the caller's record indices: retries, missing replies, prior results.

use proptest::prelude::*;
use serde_json::json;
use zcrm_guard::batch::*;
use zcrm_guard::classify::{Category, RecordResult, RetryHint, TopError};
use zcrm_guard_fuzz_common::merge::{reply, MergeShape, Retry};

#[test]
fn merge_maps_results_back_to_caller_indices() {
    let batches = vec![vec![4, 2], vec![0, 3], vec![1]];
    let replies = vec![
        Some(reply(2, &[1])),
        None,
        Some(Reply {
            records: vec![],
            error: Some(TopError {
                code: "INVALID_TOKEN".into(),
                message: "invalid oauth token".into(),
                details: json!({}),
                category: Category::Auth,
                retry: RetryHint::RefreshToken,
            }),
        }),
    ];
    let merged = merge_results(
        &batches,
        &replies,
        &MergeOptions {
            count: Some(6),
            prior: vec![],
        },
    )
    .expect("merge");
    assert_eq!(merged.len(), 6);
    assert!(merged.iter().enumerate().all(|(i, r)| r.index == i));
    assert_eq!(merged[4].code, "SUCCESS");
    assert_eq!(merged[4].id.as_deref(), Some("id0"));
    assert_eq!(merged[2].code, "INVALID_DATA");
    assert_eq!(merged[0].code, NO_REPLY);
    assert_eq!(merged[3].code, NO_REPLY);
    assert_eq!(merged[1].code, "INVALID_TOKEN");
    assert_eq!(merged[1].retry, RetryHint::RefreshToken);
    assert_eq!(merged[5].code, NOT_PLANNED);
}

#[test]
fn merge_success_is_final_later_failures_replace_earlier_ones_and_prior_stands() {
    let batches = vec![vec![0, 1, 2], vec![1, 2], vec![0], vec![9]];
    let replies = vec![
        Some(reply(3, &[1, 2])),
        Some(reply(2, &[1])),
        Some(reply(1, &[0])),
        Some(Reply {
            records: vec![],
            error: None,
        }),
    ];
    let prior = vec![RecordResult::rejected(
        5,
        "MANDATORY_NOT_FOUND",
        "",
        Category::Validation,
        RetryHint::None,
    )];
    let merged = merge_results(
        &batches,
        &replies,
        &MergeOptions {
            count: Some(10),
            prior,
        },
    )
    .expect("merge");
    assert_eq!(
        merged[0].code, "SUCCESS",
        "a later failure does not undo a success"
    );
    assert_eq!(merged[1].code, "SUCCESS", "the retry succeeded");
    assert_eq!(merged[2].code, "INVALID_DATA");
    assert_eq!(merged[5].code, "MANDATORY_NOT_FOUND");
    assert_eq!(merged[9].code, NO_RESULT);
    assert_eq!(merged[7].code, NOT_PLANNED);
    let err = merge_results(
        &[vec![3]],
        &[None],
        &MergeOptions {
            count: Some(2),
            prior: vec![],
        },
    )
    .expect_err("out of range");
    assert_eq!(err.code(), "INVALID_ARGUMENT");
    let err = merge_results(&[], &[None], &MergeOptions::default())
        .expect_err("more verdicts than batches");
    assert_eq!(err.code(), "INVALID_ARGUMENT");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any batching, any retries and any order of replies: exactly one result per
    /// index, every index accounted for, the result of a replied record being one of
    /// the replies it got (the shape and the check are zcrm-guard-fuzz-common's, shared
    /// with the `batch` fuzz target).
    #[test]
    fn merge_returns_exactly_one_result_per_index(
        n in 0usize..300,
        sizes in prop::collection::vec(1usize..=100, 1..20),
        shuffle in prop::collection::vec(any::<u32>(), 0..300),
        retries in prop::collection::vec((any::<u32>(), any::<bool>()), 0..6),
        missing in prop::collection::vec(any::<bool>(), 0..40),
        fails in prop::collection::vec(any::<bool>(), 0..300),
    ) {
        let retries = retries.into_iter().map(|(pick, first_half)| Retry { pick, first_half }).collect();
        MergeShape { n, sizes, shuffle, retries, missing, fails }.check();
    }
}
