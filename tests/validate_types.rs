//! Validation of field values by data type: text, e-mail, phone, URL, numbers, dates, picklists,
//! lookups.
//! Errors have Zoho's documented shapes (sources §4.2: `code`, `message`, `details.api_name`,
//! `details.json_path`, …).

mod support;

use serde_json::{json, Value};
use support::validate::*;
use zcrm_guard::classify::{Category, RetryHint};
use zcrm_guard::validate::ValidateOptions;

fn ok(record: Value) {
    let v = run(json!([record]));
    assert_eq!(v.valid, vec![0], "errors: {:?}", v.errors);
}

fn invalid_type(field: &str, value: Value, expected_type: &str) {
    let e = error_of(json!({ "Last_Name": "L", field: value }));
    assert_eq!(e.code, "INVALID_DATA", "{field}");
    assert_eq!(e.message, "invalid data");
    assert_eq!(
        e.details,
        json!({ "api_name": field, "json_path": format!("$.data[0].{field}"), "expected_data_type": expected_type })
    );
    assert_eq!(e.category, Category::Validation);
    assert_eq!(e.retry, RetryHint::None);
    assert!(!e.ok);
}

#[test]
fn text_length_gives_maximum_length() {
    let e = error_of(json!({ "Last_Name": "x".repeat(81) }));
    assert_eq!(e.code, "INVALID_DATA");
    assert_eq!(
        e.details,
        json!({ "api_name": "Last_Name", "json_path": "$.data[0].Last_Name", "maximum_length": 80 })
    );
    ok(json!({ "Last_Name": "é".repeat(80) }));
    let e = error_of(json!({ "Last_Name": "L", "Description": "x".repeat(2001) }));
    assert_eq!(e.details["maximum_length"], 2000);
    invalid_type("First_Name", json!(12), "text");
}

#[test]
fn email_phone_website() {
    ok(
        json!({ "Last_Name": "L", "Email": "ada@example.com", "Phone": "+44 (20) 7946-0000", "Website": "https://example.org/x" }),
    );
    invalid_type("Email", json!("ada@"), "email");
    invalid_type("Secondary_Email", json!("no at sign"), "email");
    invalid_type("Phone", json!("call me"), "phone");
    invalid_type("Website", json!("not a url"), "website");
    let e = error_of(json!({ "Last_Name": "L", "Phone": "1".repeat(31) }));
    assert_eq!(e.details["maximum_length"], 30);
}

#[test]
fn integer_bigint_and_decimals() {
    ok(
        json!({ "Last_Name": "L", "No_of_Employees": 999_999_999, "Big": "123456789012345678", "Annual_Revenue": 12.5, "Ratio": 1.123456789, "Probability": 99.5 }),
    );
    let e = error_of(json!({ "Last_Name": "L", "No_of_Employees": 1_000_000_000 }));
    assert_eq!(e.details["maximum_length"], 9);
    invalid_type("No_of_Employees", json!(1.5), "integer");
    invalid_type("No_of_Employees", json!("12"), "integer");
    let e = error_of(json!({ "Last_Name": "L", "Big": "1234567890123456789" }));
    assert_eq!(e.details["maximum_length"], 18);
    invalid_type("Big", json!("12a"), "bigint");
    let e = error_of(json!({ "Last_Name": "L", "Annual_Revenue": 1.005 }));
    assert_eq!(e.details["decimal_place"], 2);
    let e = error_of(json!({ "Last_Name": "L", "Annual_Revenue": 1e17 }));
    assert_eq!(e.details["maximum_length"], 16);
    let e = error_of(json!({ "Last_Name": "L", "Probability": 123456 }));
    assert_eq!(e.details["maximum_length"], 5);
    invalid_type("Ratio", json!("1.5"), "double");
}

#[test]
fn boolean_date_datetime() {
    ok(
        json!({ "Last_Name": "L", "Email_Opt_Out": false, "Birthday": "2024-02-29", "Call_Time": "2024-05-10T13:45:00+05:30" }),
    );
    invalid_type("Email_Opt_Out", json!("true"), "boolean");
    invalid_type("Birthday", json!("2023-02-29"), "date");
    invalid_type("Birthday", json!("29/02/2024"), "date");
    invalid_type("Call_Time", json!("2024-05-10T13:45:00"), "datetime");
    invalid_type("Call_Time", json!("2024-05-10"), "datetime");
}

#[test]
fn picklists() {
    ok(json!({ "Last_Name": "L", "Rating": "Hot", "Tags_Pick": ["A", "B"] }));
    invalid_type("Rating", json!("Lukewarm"), "picklist");
    invalid_type("Rating", json!(3), "picklist");
    invalid_type("Tags_Pick", json!("A"), "multiselectpicklist");
    invalid_type("Tags_Pick", json!(["A", "Z"]), "picklist");
    // Unused values are accepted by Zoho: a warning.
    let v = run(json!([{ "Last_Name": "L", "Rating": "Old" }]));
    assert_eq!(v.valid, vec![0]);
    assert_eq!(v.warnings[0].code, "UNUSED_PICKLIST_VALUE");
    assert_eq!(v.warnings[0].details["api_name"], "Rating");
    // New values allowed on request.
    let v = run_with(
        json!([{ "Last_Name": "L", "Rating": "Lukewarm" }]),
        ValidateOptions {
            allow_new_picklist_values: true,
            ..Default::default()
        },
    );
    assert_eq!(v.valid, vec![0]);
    assert_eq!(v.warnings[0].code, "NEW_PICKLIST_VALUE");
}

#[test]
fn lookups_and_arrays() {
    ok(
        json!({ "Last_Name": "L", "Owner": { "id": "5725767000000411001" }, "Account": { "id": 5725767000000411001u64 }, "Items": [] }),
    );
    invalid_type("Owner", json!("5725767000000411001"), "ownerlookup");
    invalid_type("Account", json!({ "id": ["x"] }), "lookup");
    invalid_type("Items", json!({}), "subform");
    // Unknown data_type: json_type is checked.
    invalid_type("Odd", json!(5), "string");
}
