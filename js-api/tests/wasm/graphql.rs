//! analyzeGraphql through real JS values, on wasm's own (small) stack: the deepest
//! inputs must become violations or typed errors, never a trap.

use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;
use zcrm_guard_js::graphql::analyze_graphql;

use super::{assert_code, get, json};

const SUBFORM: &str = "{ Records { Leads(limit: 5) { _data { id { value } Subform_1__r { _data { Parent_Id { Email { value } } } } } } } }";

#[wasm_bindgen_test]
fn analysis_is_a_plain_object_with_null_for_absent_values() {
    let a = analyze_graphql(SUBFORM.into(), JsValue::UNDEFINED, JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&a, "ok").as_bool(), Some(true));
    assert_eq!(get(&a, "complexity").as_f64(), Some(175.0));
    assert_eq!(get(&a, "credits").as_f64(), Some(2.0));
    assert_eq!(get(&a, "depth.records").as_f64(), Some(3.0));
    assert!(get(&a, "operation").is_null());
    let bytes = js_sys::Uint8Array::from(SUBFORM.as_bytes());
    let b = analyze_graphql(bytes.into(), JsValue::NULL, JsValue::NULL).unwrap();
    assert_eq!(get(&b, "rootRecords").as_f64(), Some(5.0));
}

#[wasm_bindgen_test]
fn deep_and_large_inputs_do_not_trap() {
    let deep = format!("{}{}", "{ a ".repeat(10_000), "}".repeat(10_000));
    let a = analyze_graphql(deep.as_str().into(), JsValue::NULL, JsValue::NULL).unwrap();
    assert_eq!(
        get(&a, "violations.0.code").as_string().as_deref(),
        Some("NESTING_LIMIT_EXCEEDED")
    );
    // The largest nesting allowed still parses on the wasm stack.
    let options = json(r#"{"maxNesting": 256}"#);
    let deep = format!("{}{}", "{ a ".repeat(250), "}".repeat(250));
    let a = analyze_graphql(deep.as_str().into(), JsValue::NULL, options).unwrap();
    assert_eq!(get(&a, "ok").as_bool(), Some(true));
    let lists = format!(
        "{{ Records {{ Leads(where: {}1{}) {{ _data {{ id }} }} }} }}",
        "[".repeat(250),
        "]".repeat(250)
    );
    let options = json(r#"{"maxNesting": 256}"#);
    let a = analyze_graphql(lists.as_str().into(), JsValue::NULL, options).unwrap();
    assert_eq!(get(&a, "ok").as_bool(), Some(true));
    // 1 MiB: refused before it is copied; accepted and analysed when allowed.
    let big = format!(
        "{{ Records {{ Leads {{ _data {{ {} }} }} }} }}",
        "id { value } ".repeat(90_000)
    );
    assert!(big.len() > 1024 * 1024);
    assert_code(
        analyze_graphql(big.as_str().into(), JsValue::NULL, JsValue::NULL),
        "QUERY_TOO_LARGE",
    );
    let options = json(r#"{"maxQueryBytes": 2000000, "maxExpandedFields": 1000000}"#);
    let a = analyze_graphql(big.as_str().into(), JsValue::NULL, options).unwrap();
    assert_eq!(get(&a, "ok").as_bool(), Some(true));
}

#[wasm_bindgen_test]
fn bad_arguments_are_typed_errors() {
    let bad_utf8 = js_sys::Uint8Array::from(&b"{ \xff }"[..]);
    assert_code(
        analyze_graphql(bad_utf8.into(), JsValue::NULL, JsValue::NULL),
        "INVALID_UTF8",
    );
    assert_code(
        analyze_graphql(JsValue::from_f64(1.0), JsValue::NULL, JsValue::NULL),
        "INVALID_ARGUMENT",
    );
    assert_code(
        analyze_graphql("{ a }".into(), json("[1]"), JsValue::NULL),
        "INVALID_ARGUMENT",
    );
    assert_code(
        analyze_graphql("{ a }".into(), JsValue::NULL, json(r#"{"maxDepth": 3}"#)),
        "INVALID_ARGUMENT",
    );
    // Variables nested beyond serde_json's limit of 128.
    let nested = format!("{{\"v\": {}1{}}}", "[".repeat(200), "]".repeat(200));
    assert_code(
        analyze_graphql("{ a }".into(), json(&nested), JsValue::NULL),
        "INVALID_ARGUMENT",
    );
    let ok = analyze_graphql(SUBFORM.into(), JsValue::NULL, JsValue::NULL).unwrap();
    assert_eq!(get(&ok, "ok").as_bool(), Some(true));
}
