//! Fuzz target: batch planning, splitting and merging never panic, and keep their
//! invariants: every record index in exactly one batch; a split keeps the same
//! indices in the same order; a merge returns exactly one result per index.
//! Input: a byte of kind, a byte of limits, then the records JSON; the merge part
//! reads its shape from the same bytes with `arbitrary`.
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use zcrm_guard::batch::{merge_results, plan_json, split_batch, BatchOptions, MergeOptions, Reply};
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::classify::{Category, RecordResult, RetryHint};

fn result(index: usize, ok: bool) -> RecordResult {
    if ok {
        RecordResult::success(index)
    } else {
        RecordResult::rejected(
            index,
            "INVALID_DATA",
            "",
            Category::Validation,
            RetryHint::None,
        )
    }
}

fn merge(u: &mut Unstructured) -> libfuzzer_sys::arbitrary::Result<()> {
    let n: usize = u.int_in_range(0..=300)?;
    let nb: usize = u.int_in_range(0..=40)?;
    let mut batches = Vec::with_capacity(nb);
    for _ in 0..nb {
        let len: usize = u.int_in_range(0..=20)?;
        let mut b = Vec::with_capacity(len);
        for _ in 0..len {
            b.push(u.int_in_range(0..=n.saturating_add(5))?);
        }
        batches.push(b);
    }
    let nr: usize = u.int_in_range(0..=nb.saturating_add(1))?;
    let mut replies = Vec::with_capacity(nr);
    for _ in 0..nr {
        if u.arbitrary::<bool>()? {
            let len: usize = u.int_in_range(0..=25)?;
            let mut records = Vec::with_capacity(len);
            for _ in 0..len {
                records.push(result(u.int_in_range(0..=30)?, u.arbitrary()?));
            }
            replies.push(Some(Reply {
                records,
                error: None,
            }));
        } else {
            replies.push(None);
        }
    }
    let count = if u.arbitrary::<bool>()? {
        Some(n)
    } else {
        None
    };
    let np: usize = u.int_in_range(0..=5)?;
    let mut prior = Vec::with_capacity(np);
    for _ in 0..np {
        prior.push(result(u.int_in_range(0..=n.saturating_add(5))?, false));
    }
    let options = MergeOptions { count, prior };
    if let Ok(merged) = merge_results(&batches, &replies, &options) {
        if let Some(c) = count {
            assert_eq!(merged.len(), c);
        }
        for (i, r) in merged.iter().enumerate() {
            assert_eq!(
                r.index, i,
                "merge must give one result per index, ascending"
            );
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let kind = OperationKind::ALL
        [usize::from(data.first().copied().unwrap_or(0)) % OperationKind::ALL.len()];
    let limits = data.get(1).copied().unwrap_or(0);
    let text = String::from_utf8_lossy(data.get(2..).unwrap_or_default());
    let options = BatchOptions {
        max_records: (limits & 1 != 0).then_some(u32::from(limits >> 1)),
        max_body_bytes: (limits & 2 != 0).then_some(usize::from(limits).saturating_mul(8)),
        ..BatchOptions::default()
    };
    let op = Operation::new(kind).with_module("Leads");
    if let Ok(batches) = plan_json(&op, &text, &options) {
        let mut all: Vec<usize> = batches
            .iter()
            .flat_map(|b| b.indices.iter().copied())
            .collect();
        let n = all.len();
        all.sort_unstable();
        assert!(
            all.iter().copied().eq(0..n),
            "every index in exactly one batch"
        );
        for b in &batches {
            assert!(!b.indices.is_empty());
            if let Ok(halves) = split_batch(b, &Default::default()) {
                let joined: Vec<usize> = halves
                    .iter()
                    .flat_map(|h| h.indices.iter().copied())
                    .collect();
                assert_eq!(joined, b.indices, "a split keeps the indices in order");
                assert!(halves.len() <= 2);
            }
        }
    }
    let _ = merge(&mut Unstructured::new(data));
});
