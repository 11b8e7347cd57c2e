//! Batching: per-call limits, bodies, split, composite packing, merge, job forecast.
// Test helpers outside #[test] functions may fail loudly too.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use proptest::prelude::*;
use serde_json::{json, Value};
use zcrm_guard::batch::*;
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::classify::{Category, RecordResult, RetryHint, TopError};
use zcrm_guard::validate::{parse_records, FieldsMetadata, ValidateOptions};

fn op(kind: OperationKind) -> Operation {
    Operation::new(kind).with_module("Leads")
}

fn records_text(n: usize) -> String {
    let recs: Vec<Value> = (0..n)
        .map(|i| json!({ "Last_Name": format!("L{i}") }))
        .collect();
    serde_json::to_string(&recs).expect("json")
}

fn plan(kind: OperationKind, text: &str, options: &BatchOptions) -> Vec<Batch> {
    let raw = parse_records(text).expect("records");
    plan_batches(&op(kind), &raw, options).expect("plan")
}

fn body(b: &Batch) -> Value {
    serde_json::from_str(b.body.as_deref().expect("body")).expect("body is JSON")
}

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
fn split_halves_until_one_record_is_isolated() {
    let batches = plan(
        OperationKind::Upsert,
        &records_text(100),
        &BatchOptions {
            trigger: Some(vec![]),
            duplicate_check_fields: Some(vec!["Email".into()]),
            ..Default::default()
        },
    );
    let mut current = batches[0].clone();
    let mut steps = 0;
    while current.indices.len() > 1 {
        let halves = split_batch(&current, &Default::default()).expect("split");
        assert_eq!(halves.len(), 2);
        let joined: Vec<usize> = halves.iter().flat_map(|h| h.indices.clone()).collect();
        assert_eq!(joined, current.indices);
        for h in &halves {
            let b = body(h);
            assert_eq!(b["data"].as_array().expect("data").len(), h.indices.len());
            assert_eq!(b["trigger"], json!([]));
            assert_eq!(b["duplicate_check_fields"], json!(["Email"]));
            assert_eq!(b["data"][0]["Last_Name"], format!("L{}", h.indices[0]));
        }
        // Follow the half holding record 37, as if it poisoned the batch.
        current = halves
            .into_iter()
            .find(|h| h.indices.contains(&37))
            .expect("half");
        steps += 1;
    }
    assert_eq!(current.indices, vec![37]);
    assert!(steps <= 7, "log2(100) rounded up");
    assert_eq!(
        split_batch(&current, &Default::default())
            .expect("one")
            .len(),
        1
    );
    // Delete batches split their ids.
    let del = Batch {
        kind: OperationKind::Delete,
        indices: vec![0, 1, 2],
        body: None,
        ids: Some(vec!["a".into(), "b".into(), "c".into()]),
        credits: 1,
        complex: false,
    };
    let halves = split_batch(&del, &Default::default()).expect("split");
    assert_eq!(halves[0].ids, Some(vec!["a".into(), "b".into()]));
    // A body that does not match its indices is refused.
    let bad = Batch {
        body: Some(r#"{"data":[{}]}"#.into()),
        ids: None,
        kind: OperationKind::Insert,
        ..del
    };
    assert_eq!(
        split_batch(&bad, &Default::default())
            .expect_err("mismatch")
            .code(),
        "INVALID_ARGUMENT"
    );
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

// ------------------------------------------------------------------ composite

fn sub(method: &str, uri: &str, body: Value) -> Value {
    json!({ "method": method, "uri": uri, "body": body })
}

#[test]
fn composite_packs_five_per_call() {
    let subs: Vec<Value> = (0..12).map(|i| json!({ "sub_request_id": format!("s{i}"), "method": "GET", "uri": "/crm/v8/Leads", "params": { "per_page": 25 } })).collect();
    let calls = plan_composite(&subs, &CompositeOptions::default()).expect("plan");
    assert_eq!(
        calls.iter().map(|c| c.indices.len()).collect::<Vec<_>>(),
        vec![5, 5, 2]
    );
    assert_eq!(calls[2].indices, vec![10, 11]);
    let b = body(&calls[0]);
    assert_eq!(b["__composite_requests"].as_array().expect("subs").len(), 5);
    assert_eq!(b["rollback_on_fail"], false);
    assert_eq!(calls[0].credits, 1);
    assert!(calls[0].complex);
    let rb = plan_composite(
        &subs[..3],
        &CompositeOptions {
            rollback_on_fail: true,
            ..Default::default()
        },
    )
    .expect("rollback");
    assert_eq!(rb[0].credits, 2);
    let err = plan_composite(
        &subs,
        &CompositeOptions {
            rollback_on_fail: true,
            ..Default::default()
        },
    )
    .expect_err("too many for one call");
    assert_eq!(err.code(), "INVALID_ARGUMENT");
}

#[test]
fn composite_per_sub_request_limits_and_rules() {
    let ok = [
        sub(
            "POST",
            "/crm/v8/Leads",
            json!({ "data": [{ "Last_Name": "a" }] }),
        ),
        sub(
            "POST",
            "/crm/v8/coql",
            json!({ "select_query": "select Last_Name from Leads limit 25" }),
        ),
        sub(
            "POST",
            "/crm/v8/Leads/123/actions/convert",
            json!({ "data": [{}, {}] }),
        ),
    ];
    assert!(plan_composite(&ok, &CompositeOptions::default()).is_ok());
    let cases = [
        sub("POST", "/crm/v8/Leads", json!({ "data": [{}, {}] })),
        sub("PUT", "/crm/v8/Leads", json!({ "data": [{}, {}] })),
        sub(
            "POST",
            "/crm/v8/coql",
            json!({ "select_query": "select Last_Name from Leads limit 0, 200" }),
        ),
        json!({ "method": "GET", "uri": "/crm/v8/Leads", "params": { "per_page": 200 } }),
        json!({ "method": "DELETE", "uri": "/crm/v8/Leads", "params": { "ids": "1,2" } }),
        json!({ "method": "GET", "uri": "/api/v8/Leads" }),
        json!({ "method": "GET", "uri": "/crm/v8/Leads", "sub_request_id": "_bad" }),
        json!({ "method": "GET", "uri": "/crm/v8/Leads", "headers": { "Authorization": "x" } }),
        json!({ "method": "FETCH", "uri": "/crm/v8/Leads" }),
        json!("not an object"),
    ];
    for (i, c) in cases.iter().enumerate() {
        let err = plan_composite(std::slice::from_ref(c), &CompositeOptions::default())
            .expect_err(&format!("case {i}"));
        assert_eq!(err.code(), "INVALID_ARGUMENT", "case {i}");
        assert!(
            err.details()
                .field
                .as_deref()
                .is_some_and(|f| f.starts_with("subRequests[0]")),
            "case {i}"
        );
    }
    let twice = [
        json!({ "method": "GET", "uri": "/crm/v8/Leads", "sub_request_id": "a" }),
        json!({ "method": "GET", "uri": "/crm/v8/Leads", "sub_request_id": "a" }),
    ];
    assert!(plan_composite(&twice, &CompositeOptions::default()).is_err());
    assert!(plan_composite(
        &[],
        &CompositeOptions {
            rollback_on_fail: true,
            parallel_execution: Some(true),
            ..Default::default()
        }
    )
    .is_err());
}

// ------------------------------------------------------------------ merge

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

// ------------------------------------------------------------------ job

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

// ------------------------------------------------------------------ planning properties

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
    /// batches hold exactly the valid ones (both call paths agree).
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
            let all: Vec<usize> = batches.iter().flat_map(|b| b.indices.clone()).collect();
            prop_assert_eq!(all, (0..records.len()).collect::<Vec<_>>());
            for b in &batches {
                prop_assert!(!b.indices.is_empty());
                prop_assert!(b.indices.len() <= max_records as usize);
                let data = body(b)["data"].as_array().map(Vec::len);
                prop_assert_eq!(data, Some(b.indices.len()));
                if let Some(m) = max_body {
                    if b.indices.len() > 1 { prop_assert!(b.body.as_deref().map_or(0, str::len) <= m); }
                }
            }
        }
        let meta = FieldsMetadata::from_json(
            r#"{"fields":[{"api_name":"Last_Name","data_type":"text","length":5,"system_mandatory":true},{"api_name":"Description","data_type":"textarea"}]}"#,
        ).expect("meta");
        let vo = ValidateOptions::default();
        let by_text = validate_and_plan_text(&op(kind), &text, &meta, &vo, &options);
        let by_slice = validate_and_plan(&op(kind), &raw, &meta, &vo, &options);
        prop_assert_eq!(by_text.is_ok(), by_slice.is_ok());
        if let (Ok(p), Ok(q)) = (by_text, by_slice) {
            let mut seen = vec![0u8; records.len()];
            for &i in &p.validation.valid { seen[i] += 1; }
            for e in &p.validation.errors { seen[e.index] += 1; }
            prop_assert!(seen.iter().all(|&c| c == 1), "an index not valid xor error");
            let planned: Vec<usize> = p.batches.iter().flat_map(|b| b.indices.clone()).collect();
            prop_assert_eq!(&planned, &p.validation.valid);
            prop_assert_eq!(&p, &q);
        }
    }
}
