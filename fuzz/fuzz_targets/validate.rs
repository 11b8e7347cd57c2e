//! Fuzz target: validation never panics on any records or field metadata, every
//! index ends in `valid` or `errors` exactly once, the two call paths (records split
//! first, and the one-pass text path) agree, and validateAndPlan plans exactly the
//! valid records, in order (the checks are zcrm-guard-fuzz-common's, shared with
//! tests/batch_plan_robustness.rs).
//! Input: a byte of options, then NUL-separated metadata JSON, records JSON, module.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zcrm_guard::batch::{validate_and_plan_text, BatchOptions};
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::validate::{
    parse_records, validate_records, validate_text, FieldsMetadata, ValidateOptions,
};
use zcrm_guard_fuzz_common::plan::{check_partition, check_validated_plan};

const OPERATIONS: [&str; 3] = ["insert", "update", "upsert"];
const KINDS: [OperationKind; 3] = [
    OperationKind::Insert,
    OperationKind::Update,
    OperationKind::Upsert,
];

fuzz_target!(|data: &[u8]| {
    let flags = data.first().copied().unwrap_or(0);
    let text = String::from_utf8_lossy(data.get(1..).unwrap_or_default());
    let mut parts = text.split('\u{0}');
    let meta_text = parts.next().unwrap_or_default();
    let records = parts.next().unwrap_or("[]");
    let module = parts.next().filter(|m| !m.is_empty()).unwrap_or("Leads");
    let meta = FieldsMetadata::from_json(meta_text).unwrap_or_default();
    let which = usize::from(flags % 3);
    let options = ValidateOptions {
        operation: OPERATIONS.get(which).map(|s| (*s).to_owned()),
        allow_new_picklist_values: flags & 4 != 0,
        check_read_only: Some(flags & 8 != 0),
        warn_unknown_fields: Some(flags & 16 != 0),
        max_warnings: Some(usize::from(flags >> 5)),
        ..ValidateOptions::default()
    };
    let split = parse_records(records)
        .ok()
        .map(|raw| (raw.len(), validate_records(module, &raw, &meta, &options)));
    let one_pass = validate_text(module, records, &meta, &options);
    let mut count = None;
    if let Ok((v, texts)) = &one_pass {
        let n = texts.len();
        count = Some(n);
        check_partition(v, n, &options);
        if let Some((len, Ok(v2))) = &split {
            assert_eq!(*len, n);
            assert_eq!(v2, v, "the split and one-pass paths disagree");
        }
    }
    let op = Operation::new(KINDS[which]).with_module(module);
    if let Ok(plan) =
        validate_and_plan_text(&op, records, &meta, &options, &BatchOptions::default())
    {
        let v = &plan.validation;
        let n = count.unwrap_or(v.valid.len() + v.errors.len());
        check_validated_plan(&plan, n, &options);
    }
});
