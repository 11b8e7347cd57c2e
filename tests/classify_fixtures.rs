//! Classification of Zoho's documented samples (tests/fixtures/classify), read as text and as JSON.

// Helpers outside #[test] functions may fail loudly too (clippy.toml allows it in tests).
#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use std::borrow::Cow;
use std::fs;

use serde_json::Value;
use support::fixture_dir;
use zcrm_guard::catalog::Operation;
use zcrm_guard::classify::{classify, Body, ClassifyOptions, Response, Verdict};

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
