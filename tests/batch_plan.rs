//! Batch planning: per-call record limits, bodies in the caller's own text, options, deletes by id,
//! validation before planning.

mod support;

use serde_json::{json, Value};
use support::batch::*;
use zcrm_guard::batch::*;
use zcrm_guard::catalog::OperationKind;
use zcrm_guard::validate::{parse_records, FieldsMetadata, ValidateOptions};

#[test]
fn writes_are_batched_by_100_in_order_with_catalog_credits() {
    let batches = plan(
        OperationKind::Insert,
        &records_text(250),
        &BatchOptions::default(),
    );
    assert_eq!(
        batches.iter().map(|b| b.indices.len()).collect::<Vec<_>>(),
        vec![100, 100, 50]
    );
    let all: Vec<usize> = batches.iter().flat_map(|b| b.indices.clone()).collect();
    assert_eq!(all, (0..250).collect::<Vec<_>>());
    assert_eq!(batches[0].credits, 10, "1 credit per 10 records (catalog)");
    assert_eq!(batches[2].credits, 5);
    assert!(
        batches[0].complex,
        "more than 10 records is complex (catalog)"
    );
    let b = body(&batches[2]);
    assert_eq!(b["data"].as_array().expect("data").len(), 50);
    assert_eq!(b["data"][0]["Last_Name"], "L200");
    assert!(b.get("trigger").is_none(), "trigger absent unless asked");
}

#[test]
fn bodies_are_the_callers_own_text() {
    let text = r#"[ {"Last_Name" : "A",  "X":1.50} , {"Last_Name":"B\u00e9"} ]"#;
    let batches = plan(OperationKind::Insert, text, &BatchOptions::default());
    assert_eq!(
        batches[0].body.as_deref(),
        Some(r#"{"data":[{"Last_Name" : "A",  "X":1.50},{"Last_Name":"B\u00e9"}]}"#)
    );
}

#[test]
fn lower_record_limit_trigger_and_duplicate_check_fields() {
    let batches = plan(
        OperationKind::Upsert,
        &records_text(25),
        &BatchOptions {
            max_records: Some(10),
            trigger: Some(vec!["workflow".into()]),
            duplicate_check_fields: Some(vec!["Email".into()]),
            ..Default::default()
        },
    );
    assert_eq!(batches.len(), 3);
    assert!(!batches[0].complex, "10 records is not complex");
    let b = body(&batches[0]);
    assert_eq!(b["trigger"], json!(["workflow"]));
    assert_eq!(b["duplicate_check_fields"], json!(["Email"]));
    let raw = parse_records("[]").expect("records");
    for bad in [
        BatchOptions {
            max_records: Some(0),
            ..Default::default()
        },
        BatchOptions {
            max_records: Some(101),
            ..Default::default()
        },
        BatchOptions {
            trigger: Some(vec!["nope".into()]),
            ..Default::default()
        },
    ] {
        let err = plan_batches(&op(OperationKind::Insert), &raw, &bad).expect_err("bad option");
        assert_eq!(err.code(), "INVALID_ARGUMENT");
    }
    let err = plan_batches(
        &op(OperationKind::Insert),
        &raw,
        &BatchOptions {
            duplicate_check_fields: Some(vec!["Email".into()]),
            ..Default::default()
        },
    )
    .expect_err("upsert only");
    assert_eq!(err.code(), "INVALID_ARGUMENT");
}

#[test]
fn max_body_bytes_bounds_every_body() {
    let text = records_text(100);
    let limit = 200;
    let batches = plan(
        OperationKind::Insert,
        &text,
        &BatchOptions {
            max_body_bytes: Some(limit),
            ..Default::default()
        },
    );
    assert!(batches.len() > 1);
    for b in &batches {
        assert!(b.body.as_ref().expect("body").len() <= limit);
    }
    let all: Vec<usize> = batches.iter().flat_map(|b| b.indices.clone()).collect();
    assert_eq!(all, (0..100).collect::<Vec<_>>());
    let raw = parse_records(r#"[{"a":1},{"Last_Name":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}]"#)
        .expect("records");
    let err = plan_batches(
        &op(OperationKind::Insert),
        &raw,
        &BatchOptions {
            max_body_bytes: Some(30),
            ..Default::default()
        },
    )
    .expect_err("too large");
    assert_eq!(err.code(), "RECORD_TOO_LARGE");
    assert_eq!(err.details().field.as_deref(), Some("records[1]"));
}

#[test]
fn delete_batches_ids_by_100() {
    let ids: Vec<Value> = (0..150u64)
        .map(|i| {
            if i % 2 == 0 {
                json!(format!("57257670000{i:08}"))
            } else {
                json!({ "id": format!("9{i}") })
            }
        })
        .collect();
    let text = serde_json::to_string(&ids).expect("json");
    let batches = plan(OperationKind::Delete, &text, &BatchOptions::default());
    assert_eq!(batches.len(), 2);
    assert_eq!(batches[0].ids.as_ref().expect("ids").len(), 100);
    assert_eq!(batches[1].ids.as_ref().expect("ids")[1], "9101");
    assert!(batches[0].body.is_none());
    assert_eq!(batches[0].credits, 1);
    let raw = parse_records("[true]").expect("records");
    let err = plan_batches(&op(OperationKind::Delete), &raw, &BatchOptions::default())
        .expect_err("not an id");
    assert_eq!(err.details().field.as_deref(), Some("records[0]"));
}

#[test]
fn only_record_operations_are_batched() {
    let raw = parse_records("[{}]").expect("records");
    let err =
        plan_batches(&op(OperationKind::Get), &raw, &BatchOptions::default()).expect_err("get");
    assert_eq!(err.code(), "INVALID_ARGUMENT");
    for bad in ["{}", "1", "nope", ""] {
        assert_eq!(
            parse_records(bad).expect_err(bad).code(),
            "INVALID_ARGUMENT"
        );
    }
}

#[test]
fn validate_and_plan_batches_only_valid_records() {
    let meta = FieldsMetadata::from_json(
        r#"{"fields":[{"api_name":"Last_Name","data_type":"text","length":5}]}"#,
    )
    .expect("meta");
    let raw = parse_records(r#"[{"Last_Name":"a"},{"Last_Name":"toolong"},{},{"Last_Name":"b"}]"#)
        .expect("records");
    let p = validate_and_plan(
        &op(OperationKind::Insert),
        &raw,
        &meta,
        &ValidateOptions::default(),
        &BatchOptions::default(),
    )
    .expect("plan");
    assert_eq!(p.validation.valid, vec![0, 3]);
    assert_eq!(p.batches.len(), 1);
    assert_eq!(p.batches[0].indices, vec![0, 3]);
    assert_eq!(
        p.batches[0].body.as_deref(),
        Some(r#"{"data":[{"Last_Name":"a"},{"Last_Name":"b"}]}"#)
    );
}
