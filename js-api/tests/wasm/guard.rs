//! The Guard through real JS values: `tokenRefreshFailed`, patient operations, the
//! Retry-After ceiling.

use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;
use zcrm_guard_js::guard::JsGuard;

use super::{assert_code, get, json};

fn guard() -> JsGuard {
    JsGuard::new(json(r#"{"edition":"enterprise"}"#)).unwrap()
}

#[wasm_bindgen_test]
fn token_refresh_failed_reads_the_failure_and_answers_its_decision() {
    let mut g = guard();
    let d = g
        .token_refresh_failed(
            JsValue::from_f64(0.0),
            json(r#"{"error":"invalid_code","status":200,"extra":"ignored"}"#),
        )
        .unwrap();
    assert_eq!(
        js_sys::JSON::stringify(&d).unwrap(),
        r#"{"action":"give_up","delayMs":0,"reason":"token_revoked","delayBasis":null,"failures":1}"#
    );
    let d = g
        .token_refresh_failed(JsValue::from_f64(10.0), JsValue::UNDEFINED)
        .unwrap();
    assert_eq!(
        get(&d, "reason").as_string().as_deref(),
        Some("network_error")
    );
    assert_eq!(
        get(&d, "delayBasis").as_string().as_deref(),
        Some("transient")
    );
    let d = g
        .token_refresh_failed(JsValue::from_f64(20.0), json(r#"{"status":429}"#))
        .unwrap();
    assert_eq!(
        get(&d, "delayBasis").as_string().as_deref(),
        Some("token_rate_limit")
    );
    // Refused, typed: a bad time, a status that is not a whole number, a non-object.
    assert_code(
        g.token_refresh_failed(JsValue::from_f64(f64::NAN), JsValue::UNDEFINED),
        "INVALID_ARGUMENT",
    );
    assert_code(
        g.token_refresh_failed(JsValue::from_f64(0.0), json(r#"{"status":"x"}"#)),
        "INVALID_ARGUMENT",
    );
    assert_code(
        g.token_refresh_failed(JsValue::from_f64(0.0), JsValue::from_str("Access Denied")),
        "INVALID_ARGUMENT",
    );
}

#[wasm_bindgen_test]
fn a_patient_operation_and_the_ceiling_cross_as_json() {
    let mut g = guard();
    let op = json(r#"{"kind":"get","module":"Leads","patient":true}"#);
    let a = g
        .admit(op.clone(), JsValue::from_f64(0.0), JsValue::UNDEFINED)
        .unwrap();
    let verdict = json(
        r#"{"outcome":"failure","httpStatus":429,"category":"rate_limit","retry":"backoff","error":null,"records":[],"credits":null,"retryAfterMs":2592000000,"tokenExpiresAt":null}"#,
    );
    let d = g
        .settle_verdict(get(&a, "ticket"), verdict, JsValue::from_f64(1.0))
        .unwrap();
    assert_eq!(
        get(&d, "reason").as_string().as_deref(),
        Some("retry_after_too_long")
    );
    assert!(
        get(&d, "inputs.maxAttempts").is_null(),
        "a patient call: no cap"
    );
    let r = g
        .admit(op, JsValue::from_f64(1.0), JsValue::UNDEFINED)
        .unwrap();
    assert_eq!(get(&r, "waitMs").as_f64(), Some(600_000.0));
}
