//! Validation of whole records: mandatory fields, JSON paths, read-only and unique fields, records
//! that are not objects, unknown fields.
//! Errors have Zoho's documented shapes (sources §4.2: `code`, `message`, `details.api_name`,
//! `details.json_path`, …).

mod support;

use serde_json::json;
use support::validate::*;
use zcrm_guard::classify::Category;
use zcrm_guard::validate::{validate_json, FieldsMetadata, ValidateOptions};

#[test]
fn missing_mandatory_field_is_zohos_mandatory_not_found() {
    let e = error_of(json!({ "First_Name": "Ada" }));
    assert_eq!(e.code, "MANDATORY_NOT_FOUND");
    assert_eq!(e.message, "required field not found");
    assert_eq!(
        e.details,
        json!({ "api_name": "Last_Name", "json_path": "$.data[0].Last_Name" })
    );
    // Emptied counts as missing.
    assert_eq!(
        error_of(json!({ "Last_Name": "  " })).code,
        "MANDATORY_NOT_FOUND"
    );
    assert_eq!(
        error_of(json!({ "Last_Name": null })).code,
        "MANDATORY_NOT_FOUND"
    );
}

#[test]
fn json_path_uses_the_callers_index() {
    let v = run(json!([{ "Last_Name": "a" }, { "Last_Name": "b" }, { "First_Name": "c" }]));
    assert_eq!(v.valid, vec![0, 1]);
    assert_eq!(v.errors[0].index, 2);
    assert_eq!(v.errors[0].details["json_path"], "$.data[2].Last_Name");
}

#[test]
fn system_mandatory_from_metadata_adds_to_the_module_list() {
    let meta = FieldsMetadata::from_json(
        r#"{"fields":[{"api_name":"Last_Name","data_type":"text"},{"api_name":"Region","data_type":"text","system_mandatory":true}]}"#,
    )
    .expect("parses");
    let v = validate_json(
        "Leads",
        r#"[{"Last_Name":"x"}]"#,
        &meta,
        &ValidateOptions::default(),
    )
    .expect("runs");
    assert_eq!(v.errors[0].details["api_name"], "Region");
}

#[test]
fn read_only_fields_sent_on_write_are_errors() {
    for field in ["Created_Time", "Score", "Lead_No"] {
        let e = error_of(json!({ "Last_Name": "L", field: "x" }));
        assert_eq!(e.code, "INVALID_DATA");
        assert_eq!(e.details["api_name"], field);
        assert_eq!(e.details["read_only"], true);
    }
    let v = run_with(
        json!([{ "Last_Name": "L", "Score": 1 }]),
        ValidateOptions {
            check_read_only: Some(false),
            ..Default::default()
        },
    );
    assert_eq!(v.valid, vec![0]);
}

#[test]
fn unique_values_repeated_in_the_input_are_duplicate_data_with_the_first_index() {
    let v = run(json!([
        { "Last_Name": "a", "Email": "Ada@Example.com" },
        { "Last_Name": "b", "Email": "x@example.com" },
        { "Last_Name": "c", "Email": "ada@example.com" },
        { "Last_Name": "d", "Custom_Code": "K" },
        { "Last_Name": "e", "Custom_Code": "k" }
    ]));
    assert_eq!(v.valid, vec![0, 1, 3, 4], "Custom_Code is case sensitive");
    let e = &v.errors[0];
    assert_eq!(e.code, "DUPLICATE_DATA");
    assert_eq!(e.message, "duplicate data");
    assert_eq!(e.category, Category::Duplicate);
    assert_eq!(
        e.details,
        json!({ "api_name": "Email", "json_path": "$.data[2].Email", "duplicate_index": 0 })
    );
    // An invalid record does not reserve its unique value.
    let v = run(json!([
        { "Email": "a@example.com" },
        { "Last_Name": "b", "Email": "a@example.com" }
    ]));
    assert_eq!(v.valid, vec![1]);
}

#[test]
fn a_record_that_is_not_an_object_is_an_error_not_a_failure() {
    let v = run(json!([1, "x", null, [], { "Last_Name": "ok" }]));
    assert_eq!(v.valid, vec![4]);
    assert_eq!(v.errors.len(), 4);
    for (i, e) in v.errors.iter().enumerate() {
        assert_eq!(e.index, i);
        assert_eq!(e.code, "INVALID_DATA");
        assert_eq!(
            e.details,
            json!({ "json_path": format!("$.data[{i}]"), "expected_data_type": "jsonobject" })
        );
    }
}

#[test]
fn unknown_fields_are_warnings() {
    let v =
        run(json!([{ "Last_Name": "L", "Favourite_Colour": "blue", "$se_module": "Accounts" }]));
    assert_eq!(v.valid, vec![0]);
    assert_eq!(v.warnings.len(), 1);
    assert_eq!(v.warnings[0].code, "UNKNOWN_FIELD");
    assert!(v.warnings[0].ok);
    assert_eq!(
        v.warnings[0].details["json_path"],
        "$.data[0].Favourite_Colour"
    );
}
