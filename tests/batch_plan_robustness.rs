//! Batch planning at the extremes: a million records, deep nesting, and any records at all
//! (property: every index in exactly one batch).

mod support;

use proptest::prelude::*;
use serde_json::{json, Value};
use support::batch::*;
use zcrm_guard::batch::*;
use zcrm_guard::catalog::OperationKind;
use zcrm_guard::validate::{parse_records, FieldsMetadata, ValidateOptions};
use zcrm_guard_fuzz_common::plan::{check_batches, check_validated_plan};

#[test]
fn robustness_a_million_records_and_deep_nesting() {
    let mut text = String::from("[");
    for i in 0..1_000_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str("{\"Last_Name\":\"x\"}");
    }
    text.push(']');
    let batches =
        plan_json(&op(OperationKind::Insert), &text, &BatchOptions::default()).expect("plan");
    assert_eq!(batches.len(), 10_000);
    assert_eq!(
        batches.iter().map(|b| b.indices.len()).sum::<usize>(),
        1_000_000
    );
    assert_eq!(batches[9_999].indices[99], 999_999);
    // Deep nesting inside a record: kept as raw text, no recursion.
    let deep = format!("[{{\"X\":{}1{}}}]", "[".repeat(50_000), "]".repeat(50_000));
    let b = plan_json(&op(OperationKind::Insert), &deep, &BatchOptions::default()).expect("deep");
    assert_eq!(b[0].indices, vec![0]);
    assert!(split_batch(&b[0], &Default::default()).is_ok());
    // Deep nesting of the array itself: a typed error or a result, never a crash.
    let deeper = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    match plan_json(
        &op(OperationKind::Insert),
        &deeper,
        &BatchOptions::default(),
    ) {
        Ok(b) => assert_eq!(b.iter().map(|b| b.indices.len()).sum::<usize>(), 1),
        Err(e) => assert_eq!(e.code(), "INVALID_ARGUMENT"),
    }
}

fn arb_record() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => "[a-z]{0,8}".prop_map(|s| json!({ "Last_Name": s, "id": "1" })),
        1 => Just(json!({ "id": "2" })),
        1 => any::<i64>().prop_map(|n| json!({ "Last_Name": n })),
        1 => Just(json!(null)),
        1 => "[a-z\"\\\\é]{0,40}".prop_map(|s| json!({ "Last_Name": "x", "Description": s })),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// No loss, no double count in planning: every record index is in exactly one
    /// batch, in order; every batch is within its limits and its body holds exactly
    /// its records; with validation, every index is valid or an error, and the
    /// batches hold exactly the valid ones (both call paths agree). The checks are
    /// zcrm-guard-fuzz-common's, shared with the `batch` and `validate` fuzz targets.
    #[test]
    fn planning_puts_every_index_in_exactly_one_batch(
        records in prop::collection::vec(arb_record(), 0..400),
        kind in prop::sample::select(vec![OperationKind::Insert, OperationKind::Update, OperationKind::Upsert]),
        max_records in 1u32..=100,
        max_body in prop::option::of(200usize..20_000),
    ) {
        let text = serde_json::to_string(&records).expect("json");
        let options = BatchOptions { max_records: Some(max_records), max_body_bytes: max_body, ..BatchOptions::default() };
        let raw = parse_records(&text).expect("records");
        if let Ok(batches) = plan_batches(&op(kind), &raw, &options) {
            check_batches(&batches, records.len(), &options);
        }
        let meta = FieldsMetadata::from_json(
            r#"{"fields":[{"api_name":"Last_Name","data_type":"text","length":5,"system_mandatory":true},{"api_name":"Description","data_type":"textarea"}]}"#,
        ).expect("meta");
        let vo = ValidateOptions::default();
        let by_text = validate_and_plan_text(&op(kind), &text, &meta, &vo, &options);
        let by_slice = validate_and_plan(&op(kind), &raw, &meta, &vo, &options);
        prop_assert_eq!(by_text.is_ok(), by_slice.is_ok());
        if let (Ok(p), Ok(q)) = (by_text, by_slice) {
            check_validated_plan(&p, records.len(), &vo);
            prop_assert_eq!(&p, &q);
        }
    }
}
