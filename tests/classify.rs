//! Classification against Zoho's documented samples (tests/fixtures/classify), over
//! every code of Zoho's OpenAPI specs, and against malformed input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::borrow::Cow;
use std::fs;
use std::path::Path;

use proptest::prelude::*;
use serde_json::{json, Value};
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::classify::codes::{lookup, CODE_TABLE};
use zcrm_guard::classify::{
    classify, classify_lean, Body, Category, ClassifyOptions, Outcome, Response, RetryHint, Verdict,
};

fn fixture_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
}

/// `expected` is a subset of `actual`: objects by key, arrays element-wise and of equal length.
fn assert_subset(actual: &Value, expected: &Value, path: &str) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (k, ev) in e {
                let av = a
                    .get(k)
                    .unwrap_or_else(|| panic!("{path}.{k} missing in {actual}"));
                assert_subset(av, ev, &format!("{path}.{k}"));
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            assert_eq!(a.len(), e.len(), "{path}: length of {actual}");
            for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                assert_subset(av, ev, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(actual, expected, "{path}"),
    }
}

fn run_fixture(fx: &Value, body_as_json: bool) -> Verdict {
    let r = &fx["response"];
    let status = r["status"].as_u64().unwrap() as u16;
    let headers: Vec<(Cow<str>, Cow<str>)> = r["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                Cow::Borrowed(p[0].as_str().unwrap()),
                Cow::Borrowed(p[1].as_str().unwrap()),
            )
        })
        .collect();
    let text;
    let body = match &r["body"] {
        Value::Null => Body::None,
        Value::String(s) => Body::Text(s),
        v if body_as_json => Body::Json(v),
        v => {
            text = serde_json::to_string(v).unwrap();
            Body::Text(&text)
        }
    };
    let network_error = r
        .get("error")
        .map(|e| serde_json::from_value(e.clone()).unwrap());
    let response = Response {
        status,
        headers,
        body,
        network_error,
    };
    let op: Option<Operation> = match &fx["operation"] {
        Value::Null => None,
        v => Some(serde_json::from_value(v.clone()).unwrap()),
    };
    classify(&response, op.as_ref(), &ClassifyOptions::default()).unwrap()
}

#[test]
fn documented_samples_classify_as_expected() {
    let mut n = 0;
    for entry in fs::read_dir(fixture_dir().join("classify")).unwrap() {
        let path = entry.unwrap().path();
        let fx: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        for as_json in [false, true] {
            let verdict = run_fixture(&fx, as_json);
            let actual = serde_json::to_value(&verdict).unwrap();
            assert_subset(&actual, &fx["expect"], &path.display().to_string());
        }
        n += 1;
    }
    assert!(n >= 25, "only {n} fixtures");
}

fn codes_file() -> Vec<String> {
    fs::read_to_string(fixture_dir().join("zoho-error-codes.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_documented_code_has_a_deliberate_entry() {
    let codes = codes_file();
    assert!(codes.len() > 140);
    let missing: Vec<&String> = codes.iter().filter(|c| lookup(c).is_none()).collect();
    assert!(
        missing.is_empty(),
        "codes without a table entry: {missing:?}"
    );
}

fn top_error(status: u16, code: &str) -> Verdict {
    let body = json!({"code": code, "details": {}, "message": "m", "status": "error"}).to_string();
    classify(
        &Response::from_text(status, &[], &body),
        None,
        &ClassifyOptions::default(),
    )
    .unwrap()
}

#[test]
fn every_code_classifies_by_the_table_at_top_level_and_per_record() {
    for &(code, category, retry) in CODE_TABLE {
        let v = top_error(400, code);
        let e = v.error.as_ref().unwrap();
        assert_eq!(e.code, code);
        if category == Category::Ok {
            // Status "error" with a success word: never success.
            assert_eq!(
                (v.outcome, v.category),
                (Outcome::Failure, Category::Unknown),
                "{code}"
            );
        } else {
            assert_eq!(
                (v.category, v.retry, e.category, e.retry),
                (category, retry, category, retry),
                "{code}"
            );
        }
        // Per record, next to a success: partial, the record keeps the code's category.
        let body = json!({"data": [
            {"code": "SUCCESS", "details": {"id": "1"}, "message": "ok", "status": "success"},
            {"code": code, "details": {}, "message": "m", "status": if category == Category::Ok { "success" } else { "error" }},
        ]})
        .to_string();
        let v = classify(
            &Response::from_text(207, &[], &body),
            None,
            &ClassifyOptions::default(),
        )
        .unwrap();
        let r = &v.records[1];
        assert_eq!(
            (r.category, r.retry, r.ok),
            (
                category,
                if category == Category::Ok {
                    RetryHint::None
                } else {
                    retry
                },
                category == Category::Ok
            ),
            "{code}"
        );
        if category != Category::Ok {
            assert_eq!(v.outcome, Outcome::Partial, "{code}");
            let expect_retry = if matches!(retry, RetryHint::Backoff | RetryHint::RefreshToken) {
                RetryHint::Records
            } else {
                RetryHint::None
            };
            assert_eq!(v.retry, expect_retry, "{code}");
        }
    }
}

#[test]
fn the_issue_rules_by_name() {
    use Category as C;
    use RetryHint as R;
    let expect: &[(&[&str], C, R)] = &[
        (
            &[
                "INVALID_DATA",
                "MANDATORY_NOT_FOUND",
                "REQUIRED_PARAM_MISSING",
                "EXPECTED_FIELD_MISSING",
                "DEPENDENT_FIELD_MISSING",
                "DEPENDENT_MISMATCH",
                "PATTERN_NOT_MATCHED",
                "UNABLE_TO_PARSE_DATA_TYPE",
                "JSON_PARSE_ERROR",
                "INVALID_REQUEST_METHOD",
                "AMBIGUITY_DURING_PROCESSING",
                "INVALID_MODULE",
                "INVALID_QUERY",
                "SYNTAX_ERROR",
                "API_NOT_SUPPORTED",
            ],
            C::Validation,
            R::None,
        ),
        (
            &[
                "DUPLICATE_DATA",
                "MULTIPLE_OR_MULTI_ERRORS",
                "ID_ALREADY_CONVERTED",
                "ALREADY_SHARED",
                "ALREADY_USED",
            ],
            C::Duplicate,
            R::None,
        ),
        (
            &[
                "INVALID_TOKEN",
                "AUTHENTICATION_FAILURE",
                "AUTHENTICATION_FAILED",
            ],
            C::Auth,
            R::RefreshToken,
        ),
        (&["OAUTH_SCOPE_MISMATCH"], C::Auth, R::None),
        (
            &[
                "NO_PERMISSION",
                "AUTHORIZATION_FAILED",
                "FEATURE_NOT_ENABLED",
                "FEATURE_NOT_SUPPORTED",
                "NOT_ALLOWED",
                "NOT_SUPPORTED",
                "CANNOT_DELETE",
                "CANNOT_PERFORM_ACTION",
            ],
            C::Permission,
            R::None,
        ),
        (
            &[
                "INVALID_URL_PATTERN",
                "RESOURCE_NOT_FOUND",
                "NOT_FOUND",
                "NO_RECORDS_FOUND",
            ],
            C::NotFound,
            R::None,
        ),
        (&["TOO_MANY_REQUESTS"], C::RateLimit, R::Backoff),
        (
            &[
                "LIMIT_EXCEEDED",
                "LIMIT_REACHED",
                "PAGINATION_LIMIT_EXCEEDED",
                "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
                "CRITERIA_LIMIT_EXCEEDED",
                "FILE_TOO_LARGE",
                "STORAGE_SPACE_EXCEEDED",
            ],
            C::Limit,
            R::None,
        ),
        (
            &[
                "ALREADY_MODIFIED",
                "EXPIRED_VALUE",
                "TOKEN_BOUND_DATA_MISMATCH",
                "REQUEST_TIMEOUT",
                "ROLLBACK_PERFORMED",
                "PROCESSING_STOPPED",
            ],
            C::Conflict,
            R::Conditional,
        ),
        (&["RECORD_LOCKED"], C::Locked, R::Backoff),
        (
            &["NOT_APPROVED", "RECORD_IN_BLUEPRINT", "BLOCKED_RECORD"],
            C::Locked,
            R::None,
        ),
        (
            &["INTERNAL_ERROR", "INTERNAL_SERVER_ERROR"],
            C::Server,
            R::Backoff,
        ),
    ];
    for (codes, c, r) in expect {
        for code in *codes {
            assert_eq!(lookup(code), Some((*c, *r)), "{code}");
        }
    }
}

#[test]
fn status_fallbacks_for_unknown_codes() {
    let cases = [
        (403, Category::Permission, RetryHint::None),
        (404, Category::NotFound, RetryHint::None),
        (413, Category::Limit, RetryHint::None),
        (429, Category::RateLimit, RetryHint::Backoff),
        (503, Category::Server, RetryHint::Backoff),
        (400, Category::Unknown, RetryHint::None),
        (200, Category::Unknown, RetryHint::None),
    ];
    for (status, c, r) in cases {
        let v = top_error(status, "SOMETHING_NEW");
        assert_eq!(
            (v.outcome, v.category, v.retry),
            (Outcome::Failure, c, r),
            "{status}"
        );
    }
    // Family fallbacks apply before the status.
    assert_eq!(
        top_error(400, "NEW_LIMIT_EXCEEDED").category,
        Category::Limit
    );
}

fn classify_text(status: u16, body: &str) -> Verdict {
    classify(
        &Response::from_text(status, &[], body),
        None,
        &ClassifyOptions::default(),
    )
    .unwrap()
}

#[test]
fn malformed_bodies_classify_without_panicking() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_details = format!(
        r#"{{"data":[{{"code":"INVALID_DATA","status":"error","message":"m","details":{}}}]}}"#,
        deep
    );
    for (status, body, category) in [
        (200, "{\"data\":[{\"code\":\"SUCCESS\"", Category::Unknown),
        (502, "<html>bad gateway</html>", Category::Server),
        (200, deep.as_str(), Category::Unknown),
        (500, deep.as_str(), Category::Server),
        (200, "[1,2,3]", Category::Unknown),
        (200, "\"text\"", Category::Unknown),
    ] {
        let v = classify_text(status, body);
        assert_eq!(
            (v.outcome, v.category),
            (Outcome::Failure, category),
            "{status} {}",
            &body[..body.len().min(30)]
        );
    }
    // A too-deep details object inside a result: the record still classifies.
    let v = classify_text(400, &deep_details);
    assert_eq!(v.category, Category::Validation);
    assert_eq!(v.records.len(), 1);

    let invalid_utf8: &[u8] = b"{\"code\":\"INVALID_\xff\"}";
    let r = Response::new(400).with_body(Body::Bytes(invalid_utf8));
    let v = classify(&r, None, &ClassifyOptions::default()).unwrap();
    assert_eq!(
        (v.outcome, v.category),
        (Outcome::Failure, Category::Unknown)
    );

    // data that is not an array, records without codes, non-object entries.
    let v = classify_text(200, r#"{"data":{"code":"SUCCESS"}}"#);
    assert_eq!((v.outcome, v.records.len()), (Outcome::Success, 0));
    let v = classify_text(
        207,
        r#"{"data":[{"code":"SUCCESS","status":"success"},{"status":"error"},7,{"code":42,"status":"error"}]}"#,
    );
    assert_eq!(v.records.len(), 4);
    assert_eq!(v.outcome, Outcome::Partial);
    assert!(v.records[1..]
        .iter()
        .all(|r| !r.ok && r.category == Category::Unknown));
    assert_eq!(v.records[3].code, "42");
    // An unknown code never becomes success.
    let v = classify_text(200, r#"{"data":[{"code":"BRAND_NEW","status":"weird"}]}"#);
    assert_eq!(
        (v.outcome, v.category),
        (Outcome::Failure, Category::Unknown)
    );
}

#[test]
fn body_size_limit_is_a_typed_error() {
    let body = "x".repeat(1025);
    let options = ClassifyOptions {
        max_body_bytes: 1024,
        now_ms: None,
    };
    let e = classify(&Response::from_text(200, &[], &body), None, &options).unwrap_err();
    assert_eq!(e.code(), "BODY_TOO_LARGE");
    assert!(classify(
        &Response::from_text(200, &[], &body[..1024]),
        None,
        &options
    )
    .is_ok());
}

#[test]
fn token_operation_and_network_errors() {
    let token = Operation::new(OperationKind::Token);
    let body =
        r#"{"error":"invalid_client","error_description":"Client ID passed does not exist"}"#;
    let v = classify(
        &Response::from_text(200, &[], body),
        Some(&token),
        &ClassifyOptions::default(),
    )
    .unwrap();
    let e = v.error.unwrap();
    assert_eq!(
        (e.code.as_str(), e.message.as_str(), e.category, e.retry),
        (
            "invalid_client",
            "Client ID passed does not exist",
            Category::Auth,
            RetryHint::None
        )
    );
    let v = classify(
        &Response::network("AbortError", "The operation was aborted."),
        None,
        &ClassifyOptions::default(),
    )
    .unwrap();
    assert_eq!(v.error.unwrap().code, "ABORTED");
    assert_eq!(
        (v.category, v.retry, v.http_status),
        (Category::Network, RetryHint::Backoff, 0)
    );
    let v = classify(&Response::new(0), None, &ClassifyOptions::default()).unwrap();
    assert_eq!(v.error.unwrap().code, "NETWORK_ERROR");
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
    fn never_panics_on_arbitrary_input(
        status in any::<u16>(),
        headers in proptest::collection::vec(("[a-zA-Z-]{0,24}", "\\PC{0,40}"), 0..6),
        body in proptest::collection::vec(any::<u8>(), 0..512),
        now in proptest::option::of(any::<u64>()),
    ) {
        let headers: Vec<(Cow<str>, Cow<str>)> = headers.iter().map(|(k, v)| (Cow::Borrowed(k.as_str()), Cow::Borrowed(v.as_str()))).collect();
        let r = Response { status, headers, body: Body::Bytes(&body), network_error: None };
        let options = ClassifyOptions { now_ms: now, ..ClassifyOptions::default() };
        let v = classify(&r, None, &options).unwrap();
        prop_assert_eq!(v.http_status, status);
        if v.outcome == Outcome::Success { prop_assert_eq!(v.category, Category::Ok); }
    }

    #[test]
    fn never_panics_on_json_shaped_input(body in "[\\[\\]{}\",:0-9a-z_ ]{0,300}", status in 100u16..600) {
        let v = classify(&Response::from_text(status, &[], &body), None, &ClassifyOptions::default()).unwrap();
        prop_assert_eq!(v.http_status, status);
    }

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
fn a_status_error_without_code_is_never_success() {
    let v = classify_text(200, r#"{"status":"error","message":"something failed"}"#);
    assert_eq!(
        (v.outcome, v.category),
        (Outcome::Failure, Category::Unknown)
    );
    assert_eq!(v.error.unwrap().code, "HTTP_200");
    let v = classify_text(403, r#"{"status":"error","message":"nope"}"#);
    assert_eq!(v.category, Category::Permission);
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
