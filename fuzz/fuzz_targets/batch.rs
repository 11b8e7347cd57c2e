//! Fuzz target: batch planning, splitting and merging never panic, and keep their
//! invariants: every record index in exactly one batch, in order, each body holding
//! its records; a split keeps the same indices in the same order; a merge returns
//! exactly one result per index.
//! Input: a byte of kind, a byte of limits, then the records JSON; the merges read
//! their shapes from the same bytes with `arbitrary`: a free-form one (indices may be
//! out of range, replies any length) and a well-formed one, as tests/batch_merge.rs
//! draws it (zcrm-guard-fuzz-common).
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use zcrm_guard::batch::{merge_results, plan_batches, BatchOptions, MergeOptions, Reply};
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::validate::parse_records;
use zcrm_guard_fuzz_common::merge::{record, MergeShape};
use zcrm_guard_fuzz_common::plan::check_batches;

/// Any batches, replies, count and prior results: a merge that succeeds gives one
/// result per index, ascending.
fn free_form_merge(u: &mut Unstructured) -> Result<()> {
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
                records.push(record(u.int_in_range(0..=30)?, u.arbitrary()?));
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
        prior.push(record(u.int_in_range(0..=n.saturating_add(5))?, false));
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
    // plan_json, in its two steps: the record count is the property's.
    if let Ok(raw) = parse_records(&text) {
        if let Ok(batches) = plan_batches(&op, &raw, &options) {
            check_batches(&batches, raw.len(), &options);
        }
    }
    let _ = free_form_merge(&mut Unstructured::new(data));
    if let Ok(shape) = MergeShape::decode(&mut Unstructured::new(data)) {
        shape.check();
    }
});
