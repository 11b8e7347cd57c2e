//! Per-record results: one record per result entry, composite sub-responses, details kept raw.

// Helpers outside #[test] functions may fail loudly too (clippy.toml allows it in tests).
#![allow(clippy::indexing_slicing)]

mod support;

use proptest::prelude::*;
use serde_json::{json, Value};
use support::classify::*;
use zcrm_guard::classify::codes::CODE_TABLE;
use zcrm_guard::classify::{
    classify, classify_lean, Category, ClassifyOptions, Outcome, Response, RetryHint,
};

/// A result array of `n` entries with arbitrary codes and statuses.
fn results_body(entries: &[(u8, bool)]) -> String {
    let list: Vec<Value> = entries
        .iter()
        .map(|&(i, ok)| {
            let code = CODE_TABLE[i as usize % CODE_TABLE.len()].0;
            json!({"code": code, "details": {"id": i.to_string()}, "message": "m", "status": if ok { "success" } else { "error" }})
        })
        .collect();
    json!({ "data": list }).to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn one_record_per_result_entry(entries in proptest::collection::vec((any::<u8>(), any::<bool>()), 1..120), status in prop_oneof![Just(200u16), Just(207), Just(400)]) {
        let body = results_body(&entries);
        let v = classify(&Response::from_text(status, &[], &body), None, &ClassifyOptions::default()).unwrap();
        prop_assert_eq!(v.records.len(), entries.len());
        for (i, r) in v.records.iter().enumerate() {
            prop_assert_eq!(r.index, i);
            let id = entries[i].0.to_string();
            prop_assert_eq!(r.id.as_deref(), Some(id.as_str()));
        }
        let failed = v.records.iter().filter(|r| !r.ok).count();
        let expected = if failed == 0 { Outcome::Success } else if failed == entries.len() { Outcome::Failure } else { Outcome::Partial };
        if !(failed == 0 && status == 400) {
            prop_assert_eq!(v.outcome, expected);
        }
    }
}

#[test]
fn composite_wrapper_code_and_inner_status() {
    let body = json!({"__composite_requests": [
        {"code": "INVALID_REFERENCE", "details": {}, "message": "m", "status": "error"},
        {"code": "SUCCESS", "details": {"response": {"status_code": 503, "body": "<html>"}}, "message": "m", "status": "success"},
        {"code": "SUCCESS", "details": {"response": {"status_code": 200, "body": {"data": [{"id": "1"}]}}}, "message": "m", "status": "success"},
    ]})
    .to_string();
    let v = classify_text(207, &body);
    let got: Vec<(bool, Category, RetryHint)> = v
        .records
        .iter()
        .map(|r| (r.ok, r.category, r.retry))
        .collect();
    assert_eq!(
        got,
        vec![
            (false, Category::Validation, RetryHint::None),
            (false, Category::Server, RetryHint::Backoff),
            (true, Category::Ok, RetryHint::None),
        ]
    );
    assert_eq!((v.outcome, v.retry), (Outcome::Partial, RetryHint::Records));
}

#[test]
fn retry_after_from_details_and_lean_details_are_raw_slices() {
    let body = r#"{"code":"TOO_MANY_REQUESTS","details":{"retry_after":12},"message":"m","status":"error"}"#;
    assert_eq!(classify_text(429, body).retry_after_ms, Some(12_000));
    let body = r#"{"data":[{"code":"SUCCESS","details":{"id":"7","n":[1,2]},"message":"ok","status":"success"}]}"#;
    let r = Response::from_text(200, &[], body);
    let lean = classify_lean(&r, None, &ClassifyOptions::default()).unwrap();
    assert_eq!(
        lean.records[0].details.unwrap().get(),
        r#"{"id":"7","n":[1,2]}"#
    );
    assert_eq!(lean.records[0].id.as_deref(), Some("7"));
}
