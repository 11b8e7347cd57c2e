//! Invariants of batch plans and of validation before planning.

use std::collections::BTreeMap;

use serde_json::value::RawValue;
use zcrm_guard::batch::{split_batch, Batch, BatchOptions, ValidatedPlan};
use zcrm_guard::catalog::OperationKind;
use zcrm_guard::validate::{ValidateOptions, Validation};

/// No loss, no double count: the batches of `count` records hold every index exactly
/// once, in order; each batch is within its limits and its body (or id list) holds
/// exactly its records; a split keeps the indices in order, in at most two halves.
pub fn check_batches(batches: &[Batch], count: usize, options: &BatchOptions) {
    let all: Vec<usize> = batches
        .iter()
        .flat_map(|b| b.indices.iter().copied())
        .collect();
    assert!(
        all.iter().copied().eq(0..count),
        "every index in exactly one batch, in order"
    );
    for b in batches {
        assert!(!b.indices.is_empty());
        if let Some(max) = options.max_records {
            assert!(b.indices.len() <= max as usize);
        }
        if b.kind == OperationKind::Delete {
            assert_eq!(b.ids.as_ref().map(Vec::len), Some(b.indices.len()));
        } else {
            let body = b.body.as_deref().expect("a write batch has a body");
            assert_eq!(
                records_in(body),
                Some(b.indices.len()),
                "the body holds the batch's records"
            );
            if let Some(max) = options.max_body_bytes {
                if b.indices.len() > 1 {
                    assert!(body.len() <= max, "body of {} bytes > {max}", body.len());
                }
            }
        }
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

/// How many records a body's `data` array holds; `None` if the body is not such an
/// object. The records stay raw: a body keeps the caller's own text, whose numbers may
/// be beyond what `serde_json::Value` holds (`1e999`).
fn records_in(body: &str) -> Option<usize> {
    let fields: BTreeMap<String, &RawValue> = serde_json::from_str(body).ok()?;
    let data: Vec<&RawValue> = serde_json::from_str(fields.get("data")?.get()).ok()?;
    Some(data.len())
}

/// Each of `count` records is valid or an error, exactly once; errors are not ok;
/// warnings stay within `maxWarnings`.
pub fn check_partition(v: &Validation, count: usize, options: &ValidateOptions) {
    let mut seen = vec![0u8; count];
    for &i in &v.valid {
        seen[i] += 1;
    }
    for e in &v.errors {
        seen[e.index] += 1;
        assert!(!e.ok);
    }
    assert!(
        seen.iter().all(|&c| c == 1),
        "an index not in exactly one of valid/errors"
    );
    if let Some(max) = options.max_warnings {
        assert!(v.warnings.len() <= max);
    }
}

/// Validation partitions the `count` records, and the batches hold exactly the valid
/// ones, in order.
pub fn check_validated_plan(p: &ValidatedPlan, count: usize, options: &ValidateOptions) {
    check_partition(&p.validation, count, options);
    let planned: Vec<usize> = p
        .batches
        .iter()
        .flat_map(|b| b.indices.iter().copied())
        .collect();
    assert_eq!(
        planned, p.validation.valid,
        "valid records planned exactly once"
    );
}
