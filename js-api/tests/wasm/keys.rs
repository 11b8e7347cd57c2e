//! Unknown keys through real JS objects: refused with INVALID_ARGUMENT, the key most
//! likely meant in `details.suggestion`, and where it is (`field`, `json_path`).

use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;
use zcrm_guard_js::batch::{plan_batches, plan_composite, plan_job, validate_and_plan};
use zcrm_guard_js::catalog::{credit_cost, edition_limits};
use zcrm_guard_js::classify::classify;
use zcrm_guard_js::errors::{error_catalog, error_codes};
use zcrm_guard_js::graphql::analyze_graphql;
use zcrm_guard_js::guard::JsGuard;
use zcrm_guard_js::validate::validate_records;

use super::{get, json};

/// The details of a refused unknown key: (field, suggestion, json_path, api_name).
fn unknown(result: Result<JsValue, JsValue>) -> (String, Option<String>, String, String) {
    let e = result.expect_err("an unknown key is refused");
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("INVALID_ARGUMENT")
    );
    let s = |k: &str| get(&e, &format!("details.{k}")).as_string();
    (
        s("field").unwrap(),
        s("suggestion"),
        s("json_path").unwrap(),
        s("api_name").unwrap(),
    )
}

#[wasm_bindgen_test]
fn a_mistyped_record_count_is_refused_not_charged_as_one_credit() {
    let (field, suggestion, path, key) = unknown(credit_cost(
        json(r#"{"kind":"insert","recordcount":100}"#),
        JsValue::UNDEFINED,
    ));
    assert_eq!(
        (field.as_str(), path.as_str(), key.as_str()),
        ("operation.recordcount", "$.recordcount", "recordcount")
    );
    assert_eq!(suggestion.as_deref(), Some("recordCount"));
    let ok = credit_cost(
        json(r#"{"kind":"insert","recordCount":100}"#),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(get(&ok, "credits").as_f64(), Some(10.0));
}

#[wasm_bindgen_test]
fn retry_of_inside_an_operation_is_refused() {
    let mut g = JsGuard::new(json(r#"{"edition":"enterprise"}"#)).unwrap();
    let e = g
        .admit(
            json(r#"{"kind":"get","retryOf":1}"#),
            JsValue::from_f64(0.0),
            JsValue::UNDEFINED,
        )
        .expect_err("retryOf belongs to admit's third argument");
    assert_eq!(
        get(&e, "details.api_name").as_string().as_deref(),
        Some("retryOf")
    );
    let message = js_sys::Reflect::get(&e, &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(message.contains("third argument"), "{message}");
    let snap = g.snapshot(JsValue::from_f64(0.0)).unwrap();
    assert_eq!(
        get(&snap, "inFlight").as_f64(),
        Some(0.0),
        "no request started"
    );
}

#[wasm_bindgen_test]
fn nested_and_combined_options_name_the_path() {
    let (field, suggestion, path, _) = unknown(
        JsGuard::new(json(r#"{"edition":"free","retry":{"maxAttemps":5}}"#)).map(|_| JsValue::NULL),
    );
    assert_eq!(
        (field.as_str(), path.as_str()),
        ("config.retry.maxAttemps", "$.retry.maxAttemps")
    );
    assert_eq!(suggestion.as_deref(), Some("maxAttempts"));
    let op = json(r#"{"kind":"insert","module":"Leads"}"#);
    let records = json(r#"[{"Last_Name":"x"}]"#);
    let meta = json(r#"{"fields":[{"api_name":"Last_Name","data_type":"text","length":80}]}"#);
    let (field, suggestion, ..) = unknown(validate_and_plan(
        op.clone(),
        records.clone(),
        meta.clone(),
        json(r#"{"maxrecords":10}"#),
    ));
    assert_eq!(
        (field.as_str(), suggestion.as_deref()),
        ("options.maxrecords", Some("maxRecords"))
    );
    let (_, suggestion, ..) = unknown(plan_batches(
        op.clone(),
        records.clone(),
        json(r#"{"As":"text"}"#),
    ));
    assert_eq!(suggestion.as_deref(), Some("as"));
    let (field, suggestion, path, _) = unknown(plan_batches(
        op.clone(),
        records.clone(),
        json(r#"{"costOverrides":{"perCal":{}}}"#),
    ));
    assert_eq!(
        (field.as_str(), path.as_str()),
        ("options.costOverrides.perCal", "$.costOverrides.perCal")
    );
    assert_eq!(suggestion.as_deref(), Some("perCall"));
    let (_, suggestion, ..) = unknown(validate_records(
        "Leads".into(),
        records.clone(),
        meta,
        json(r#"{"opertion":"insert"}"#),
    ));
    assert_eq!(suggestion.as_deref(), Some("operation"));
    let (_, suggestion, ..) = unknown(plan_composite(
        json(r#"[{"method":"GET","uri":"/crm/v8/Leads"}]"#),
        json(r#"{"rollbackonfial":true}"#),
    ));
    assert_eq!(suggestion.as_deref(), Some("rollbackOnFail"));
    let (field, suggestion, ..) = unknown(plan_composite(
        json(r#"[{"method":"GET","url":"/crm/v8/Leads"}]"#),
        JsValue::UNDEFINED,
    ));
    assert_eq!(
        (field.as_str(), suggestion.as_deref()),
        ("subRequests[0].url", Some("uri"))
    );
    let (_, suggestion, ..) = unknown(analyze_graphql(
        "{ a }".into(),
        JsValue::UNDEFINED,
        json(r#"{"maxcredits":3}"#),
    ));
    assert_eq!(suggestion.as_deref(), Some("maxCredits"));
    let (_, suggestion, ..) = unknown(classify(
        json(r#"{"status":200}"#),
        JsValue::UNDEFINED,
        json(r#"{"nowms":1}"#),
    ));
    assert_eq!(suggestion.as_deref(), Some("nowMs"));
    let (_, suggestion, ..) = unknown(edition_limits("free".into(), json(r#"{"licences":3}"#)));
    assert_eq!(suggestion.as_deref(), Some("licenses"));
    let (_, suggestion, ..) = unknown(plan_job(
        op,
        JsValue::from_f64(10.0),
        json(r#"{"edition":"free","speed":3}"#),
    ));
    assert_eq!(suggestion, None, "nothing near: null");
}

#[wasm_bindgen_test]
fn write_records_per_credit_zero_reports_its_own_basis() {
    let c = credit_cost(
        json(r#"{"kind":"insert","recordCount":100}"#),
        json(r#"{"writeRecordsPerCredit":0}"#),
    )
    .unwrap();
    assert_eq!(get(&c, "credits").as_f64(), Some(1.0));
    assert_eq!(
        get(&c, "basis").as_string().as_deref(),
        Some("write_per_call")
    );
}

#[wasm_bindgen_test]
fn the_catalog_lists_core_and_client_codes_with_meanings() {
    let codes: Vec<String> = js_sys::Array::from(&error_codes().unwrap())
        .iter()
        .map(|c| c.as_string().unwrap())
        .collect();
    for code in [
        "INVALID_ARGUMENT",
        "AMBIGUOUS_WRITE",
        "NOT_SENT",
        "TOKEN_REFRESH_FAILED",
        "NO_RESULT",
        "ZOHO_ERROR",
        "NO_RESPONSE",
    ] {
        assert!(codes.iter().any(|c| c == code), "{code}");
    }
    let catalog = js_sys::Array::from(&error_catalog().unwrap());
    assert_eq!(catalog.length() as usize, codes.len());
    for entry in catalog.iter() {
        assert!(!get(&entry, "meaning").as_string().unwrap().is_empty());
    }
}
