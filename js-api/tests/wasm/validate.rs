//! Validation and batching through real JS values.

use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;
use zcrm_guard_js::{batch, validate};

use super::{assert_code, get, json};

const FIELDS: &str = r#"{"fields":[{"api_name":"Last_Name","data_type":"text","length":5,"system_mandatory":true}]}"#;

#[wasm_bindgen_test]
fn validate_records_takes_arrays_text_and_bytes() {
    let recs = r#"[{"Last_Name":"a"},{},{"Last_Name":"toolong"}]"#;
    for records in [
        json(recs),
        JsValue::from_str(recs),
        js_sys::Uint8Array::from(recs.as_bytes()).into(),
    ] {
        let v =
            validate::validate_records("Leads".into(), records, json(FIELDS), JsValue::UNDEFINED)
                .unwrap();
        assert_eq!(js_sys::JSON::stringify(&get(&v, "valid")).unwrap(), "[0]");
        assert_eq!(
            get(&v, "errors.0.code").as_string().as_deref(),
            Some("MANDATORY_NOT_FOUND")
        );
        assert_eq!(
            get(&v, "errors.1.details.maximum_length").as_f64(),
            Some(5.0)
        );
        assert!(get(&v, "errors.0.id").is_null(), "null, never undefined");
    }
    assert_code(
        validate::validate_records("Leads".into(), json("{}"), json(FIELDS), JsValue::UNDEFINED),
        "INVALID_ARGUMENT",
    );
    assert_code(
        validate::validate_records("Lead".into(), json("[]"), json(FIELDS), JsValue::UNDEFINED),
        "INVALID_MODULE",
    );
}

#[wasm_bindgen_test]
fn plan_batches_gives_text_bodies_and_the_instance_survives_bad_input() {
    let op = json(r#"{"kind":"insert","module":"Leads"}"#);
    let recs: String = format!("[{}]", vec![r#"{"Last_Name":"x"}"#; 150].join(","));
    let out = batch::plan_batches(
        op.clone(),
        JsValue::from_str(&recs),
        json(r#"{"as":"text"}"#),
    )
    .unwrap();
    assert_eq!(get(&out, "length").as_f64(), Some(2.0));
    assert!(get(&out, "0.body").is_string());
    assert_eq!(get(&out, "1.indices.49").as_f64(), Some(149.0));
    assert_code(
        batch::plan_batches(op.clone(), JsValue::from_f64(1.0), JsValue::UNDEFINED),
        "INVALID_ARGUMENT",
    );
    assert_code(
        batch::plan_batches(op.clone(), JsValue::from_str("[1,"), JsValue::UNDEFINED),
        "INVALID_ARGUMENT",
    );
    // Still usable after the errors.
    let again = batch::plan_batches(op, json("[{}]"), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&again, "0.body.data.length").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
fn merge_results_stops_at_a_million_before_reading_anything() {
    // (A million results crossing is checked on the release build, in Node:
    // tests/js/node.test.mjs; a debug build takes most of a minute over it.)
    // 10^7 used to exhaust the wasm memory and trap; now a typed error, read first.
    for count in ["1000001", "10000000", "9007199254740991"] {
        let options = json(&format!(r#"{{"count":{count}}}"#));
        assert_code(
            batch::merge_results(json("[]"), json("[]"), options),
            "INVALID_ARGUMENT",
        );
        // The batches are not even read: a bad one is not what is reported.
        let options = json(&format!(r#"{{"count":{count}}}"#));
        let err = batch::merge_results(JsValue::from_f64(1.0), json("[]"), options).unwrap_err();
        let message = String::from(js_sys::Error::from(err).message());
        assert!(message.contains("options.count"), "{message}");
    }
    // The instance lives on.
    let small = batch::merge_results(json("[]"), json("[]"), json(r#"{"count":2}"#)).unwrap();
    assert_eq!(get(&small, "length").as_f64(), Some(2.0));
}
