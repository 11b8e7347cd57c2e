//! Malformed input: broken, deep, non-UTF-8 and oversized bodies classify without panicking.

mod support;

use std::borrow::Cow;

use proptest::prelude::*;
use support::classify::*;
use zcrm_guard::classify::{classify, Body, Category, ClassifyOptions, Outcome, Response};
use zcrm_guard_fuzz_common::classify::check_verdict;

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

// The verdict's invariants are zcrm-guard-fuzz-common's, shared with the `classify` fuzz target.
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
        check_verdict(&v, status);
    }

    #[test]
    fn never_panics_on_json_shaped_input(body in "[\\[\\]{}\",:0-9a-z_ ]{0,300}", status in 100u16..600) {
        let v = classify(&Response::from_text(status, &[], &body), None, &ClassifyOptions::default()).unwrap();
        check_verdict(&v, status);
    }
}
