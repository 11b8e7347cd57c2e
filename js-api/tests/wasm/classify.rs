use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;
use zcrm_guard_js::classify::classify;

use super::{assert_code, get, json};

const MIXED: &str = r#"{"data":[{"code":"SUCCESS","details":{"id":"1","n":"é😀"},"message":"record added","status":"success"},{"code":"INVALID_DATA","details":{"api_name":"X"},"message":"invalid data","status":"error"}]}"#;

fn response(status: u16, body: &str) -> JsValue {
    let r = json(r#"{"headers":{"X-API-CREDITS-REMAINING":"7"}}"#);
    js_sys::Reflect::set(&r, &"status".into(), &JsValue::from(status)).unwrap();
    js_sys::Reflect::set(&r, &"body".into(), &JsValue::from_str(body)).unwrap();
    r
}

#[wasm_bindgen_test]
fn a_207_gives_lazy_plain_records_with_details_from_the_body() {
    let v = classify(response(207, MIXED), JsValue::UNDEFINED, JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&v, "outcome").as_string().as_deref(), Some("partial"));
    assert_eq!(get(&v, "credits.remaining").as_f64(), Some(7.0));
    assert!(get(&v, "error").is_null());
    let records = get(&v, "records");
    assert_eq!(get(&records, "length").as_f64(), Some(2.0));
    assert_eq!(
        get(&records, "0.details.n").as_string().as_deref(),
        Some("é😀")
    );
    assert_eq!(get(&records, "0.id").as_string().as_deref(), Some("1"));
    assert_eq!(
        get(&records, "1.category").as_string().as_deref(),
        Some("validation")
    );
}

#[wasm_bindgen_test]
fn bad_input_is_a_typed_error_and_the_instance_survives() {
    assert_code(
        classify(JsValue::from_f64(1.0), JsValue::NULL, JsValue::NULL),
        "INVALID_ARGUMENT",
    );
    assert_code(
        classify(json(r#"{"status":"200"}"#), JsValue::NULL, JsValue::NULL),
        "INVALID_ARGUMENT",
    );
    assert_code(
        classify(
            response(200, &"x".repeat(100)),
            JsValue::NULL,
            json(r#"{"maxBodyBytes":10}"#),
        ),
        "BODY_TOO_LARGE",
    );
    let v = classify(
        response(502, "<html>bad gateway</html>"),
        JsValue::NULL,
        JsValue::NULL,
    )
    .unwrap();
    assert_eq!(
        get(&v, "error.code").as_string().as_deref(),
        Some("HTTP_502")
    );
}
