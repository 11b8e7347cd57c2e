//! Error codes: every code of Zoho's OpenAPI specs has a deliberate entry and classifies by the
//! table, at top level and per record; status fallbacks; token-endpoint and network errors.

// Helpers outside #[test] functions may fail loudly too (clippy.toml allows it in tests).
#![allow(clippy::unwrap_used)]

mod support;

use std::fs;

use serde_json::json;
use support::classify::*;
use support::fixture_dir;
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::classify::codes::{lookup, CODE_TABLE};
use zcrm_guard::classify::{
    classify, Category, ClassifyOptions, Outcome, Response, RetryHint, Verdict,
};

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
