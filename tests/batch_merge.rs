//! Merging replies back to the caller's record indices: retries, missing replies, prior results.

mod support;

use proptest::prelude::*;
use serde_json::json;
use zcrm_guard::batch::*;
use zcrm_guard::classify::{Category, RecordResult, RetryHint, TopError};

fn rr(index: usize, ok: bool, code: &str) -> RecordResult {
    let r = if ok {
        RecordResult::success(index)
    } else {
        RecordResult::rejected(index, code, "", Category::Validation, RetryHint::None)
    };
    RecordResult {
        code: code.into(),
        id: ok.then(|| format!("id{index}")),
        ..r
    }
}

fn reply_for(len: usize, fail: &[usize]) -> Reply {
    Reply {
        records: (0..len)
            .map(|j| {
                rr(
                    j,
                    !fail.contains(&j),
                    if fail.contains(&j) {
                        "INVALID_DATA"
                    } else {
                        "SUCCESS"
                    },
                )
            })
            .collect(),
        error: None,
    }
}

#[test]
fn merge_maps_results_back_to_caller_indices() {
    let batches = vec![vec![4, 2], vec![0, 3], vec![1]];
    let replies = vec![
        Some(reply_for(2, &[1])),
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
        Some(reply_for(3, &[1, 2])),
        Some(reply_for(2, &[1])),
        Some(reply_for(1, &[0])),
        Some(Reply {
            records: vec![],
            error: None,
        }),
    ];
    let prior = vec![rr(5, false, "MANDATORY_NOT_FOUND")];
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
    /// the replies it got.
    #[test]
    fn merge_returns_exactly_one_result_per_index(
        n in 0usize..300,
        sizes in prop::collection::vec(1usize..=100, 1..20),
        shuffle in prop::collection::vec(any::<u32>(), 0..300),
        retries in prop::collection::vec((any::<u32>(), any::<bool>()), 0..6),
        missing in prop::collection::vec(any::<bool>(), 0..40),
        fails in prop::collection::vec(any::<bool>(), 0..300),
    ) {
        // A permutation of 0..n, cut into batches of the given sizes.
        let mut order: Vec<usize> = (0..n).collect();
        for (i, s) in shuffle.iter().enumerate().take(n) {
            let j = (*s as usize) % n.max(1);
            order.swap(i, j);
        }
        let mut batches: Vec<Vec<usize>> = Vec::new();
        let mut at = 0;
        for s in sizes.iter().cycle() {
            if at >= n { break; }
            let end = (at + s).min(n);
            batches.push(order[at..end].to_vec());
            at = end;
        }
        // Retries: a split half of some batch appended later.
        for (pick, first_half) in &retries {
            if batches.is_empty() { break; }
            let b = batches[*pick as usize % batches.len()].clone();
            let mid = b.len().div_ceil(2);
            batches.push(if *first_half { b[..mid].to_vec() } else { b[mid..].to_vec() });
        }
        let replies: Vec<Option<Reply>> = batches.iter().enumerate().map(|(k, b)| {
            if missing.get(k).copied().unwrap_or(false) { return None; }
            let fail: Vec<usize> = (0..b.len()).filter(|j| fails.get(b[*j]).copied().unwrap_or(false)).collect();
            Some(reply_for(b.len(), &fail))
        }).collect();
        let merged = merge_results(&batches, &replies, &MergeOptions { count: Some(n), prior: vec![] }).expect("merge");
        prop_assert_eq!(merged.len(), n);
        for (i, r) in merged.iter().enumerate() {
            prop_assert_eq!(r.index, i);
            let replied = batches.iter().zip(&replies).any(|(b, r)| r.is_some() && b.contains(&i));
            if replied {
                let expected_ok = !fails.get(i).copied().unwrap_or(false);
                prop_assert_eq!(r.ok, expected_ok);
            } else {
                prop_assert_eq!(r.code.as_str(), NO_REPLY);
            }
        }
    }
}
