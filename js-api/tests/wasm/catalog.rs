use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;
use zcrm_guard_js::catalog::*;

use super::{assert_code, get, json};

#[wasm_bindgen_test]
fn edition_limits_returns_plain_camel_case_objects() {
    let l = edition_limits("enterprise".into(), json(r#"{"licenses": 10}"#)).unwrap();
    assert_eq!(get(&l, "credits.available").as_f64(), Some(60_000.0));
    assert_eq!(get(&l, "subConcurrency").as_f64(), Some(10.0));
    assert!(get(&l, "alias").is_null(), "absent is null, not undefined");
    let proto = js_sys::Object::get_prototype_of(&l);
    assert_eq!(
        proto,
        js_sys::Object::get_prototype_of(&js_sys::Object::new())
    );
}

#[wasm_bindgen_test]
fn wrong_js_types_become_invalid_argument_and_the_instance_survives() {
    let bad: Vec<Result<JsValue, JsValue>> = vec![
        edition_limits(JsValue::UNDEFINED, JsValue::UNDEFINED),
        edition_limits(JsValue::from_f64(3.0), JsValue::UNDEFINED),
        edition_limits("standard".into(), json(r#"{"licenses": -1}"#)),
        edition_limits("standard".into(), JsValue::from_str("ten")),
        edition_limits("standard".into(), json(r#"{"licenses": "ten"}"#)),
        credit_cost(JsValue::NULL, JsValue::UNDEFINED),
        credit_cost(json(r#"{"kind": 5}"#), JsValue::UNDEFINED),
        operation_limits(JsValue::from_str("insert")),
        data_center_for(js_sys::Symbol::for_("x").into()),
    ];
    for result in bad {
        assert_code(result, "INVALID_ARGUMENT");
        let ok = edition_limits("free".into(), JsValue::UNDEFINED).unwrap();
        assert_eq!(get(&ok, "concurrency").as_f64(), Some(5.0));
    }
    assert_code(
        edition_limits("gold".into(), JsValue::NULL),
        "UNKNOWN_EDITION",
    );
    assert_code(
        credit_cost(json(r#"{"kind": "launch"}"#), JsValue::UNDEFINED),
        "UNKNOWN_OPERATION_KIND",
    );
}

#[wasm_bindgen_test]
fn huge_strings_are_refused_before_being_copied() {
    let huge = "x".repeat(10_000_000);
    assert_code(
        edition_limits(huge.as_str().into(), JsValue::UNDEFINED),
        "INVALID_ARGUMENT",
    );
}

#[wasm_bindgen_test]
fn cost_overrides_map_from_a_plain_object() {
    let cost = credit_cost(
        json(r#"{"kind": "search"}"#),
        json(r#"{"perCall": {"search": 3}}"#),
    )
    .unwrap();
    assert_eq!(get(&cost, "credits").as_f64(), Some(3.0));
    let dcs = data_centers().unwrap();
    assert_eq!(js_sys::Array::from(&dcs).length(), 8);
    let dc = data_center_for("https://www.zohoapis.in".into()).unwrap();
    assert_eq!(get(&dc, "id").as_string().as_deref(), Some("in"));
}

#[wasm_bindgen_test]
fn zoho_facts_are_one_plain_object_of_the_core_figures() {
    let f = zoho_facts().unwrap();
    assert_eq!(get(&f, "paging.maxPerPage").as_f64(), Some(200.0));
    assert_eq!(
        get(&f, "paging.maxRecordsWithoutPageToken").as_f64(),
        Some(2_000.0)
    );
    assert_eq!(get(&f, "coql.maxLimit").as_f64(), Some(2_000.0));
    assert_eq!(get(&f, "coql.maxRows").as_f64(), Some(100_000.0));
    assert_eq!(get(&f, "maxRecordsPerWrite").as_f64(), Some(100.0));
    let leads = js_sys::Array::from(&get(&f, "duplicateCheck.modules.Leads"));
    assert_eq!(leads.get(0).as_string().as_deref(), Some("Email"));
    let custom = js_sys::Array::from(&get(&f, "duplicateCheck.customModule"));
    assert_eq!(custom.get(0).as_string().as_deref(), Some("Name"));
    assert_eq!(get(&f, "codeStatus.INVALID_TOKEN").as_f64(), Some(401.0));
    assert_eq!(
        js_sys::Object::get_prototype_of(&f),
        js_sys::Object::get_prototype_of(&js_sys::Object::new())
    );
}
