//! Validation per operation and module: update and upsert rules, each standard module's mandatory and
//! duplicate-check fields, module names and their suggestions.

mod support;

use serde_json::{json, Value};
use support::validate::*;
use zcrm_guard::validate::{
    check_module, validate_json, FieldsMetadata, ModulesMetadata, ValidateOptions, STANDARD_MODULES,
};

#[test]
fn update_requires_an_id_and_only_non_emptied_mandatory_fields() {
    let opts = || ValidateOptions {
        operation: Some("update".into()),
        ..Default::default()
    };
    let v = run_with(
        json!([
            { "id": "5725767000000411001", "First_Name": "A" },
            { "First_Name": "A" },
            { "id": "5725767000000411001", "Last_Name": "" },
            { "id": "", "First_Name": "A" }
        ]),
        opts(),
    );
    assert_eq!(v.valid, vec![0]);
    assert_eq!(v.errors[0].code, "MANDATORY_NOT_FOUND");
    assert_eq!(v.errors[0].details["api_name"], "id");
    assert_eq!(v.errors[1].details["api_name"], "Last_Name");
    assert_eq!(v.errors[2].code, "INVALID_DATA");
}

#[test]
fn upsert_requires_a_duplicate_check_field_defaulting_per_module() {
    let v = run_with(
        json!([
            { "Last_Name": "a", "Email": "a@example.com" },
            { "Last_Name": "b" },
            { "Email": "c@example.com" }
        ]),
        ValidateOptions {
            operation: Some("upsert".into()),
            ..Default::default()
        },
    );
    assert_eq!(v.valid, vec![0, 2]);
    assert_eq!(v.errors[0].code, "MANDATORY_NOT_FOUND");
    assert_eq!(v.errors[0].details["api_name"], "Email");
    assert_eq!(v.errors[0].details["expected_fields"], json!(["Email"]));
    // Mandatory fields are needed only if the upsert inserts: a warning.
    assert_eq!(v.warnings[0].index, 2);
    assert_eq!(v.warnings[0].code, "MANDATORY_NOT_FOUND");
    // Explicit duplicate-check fields replace the default.
    let v = run_with(
        json!([{ "Last_Name": "b", "Phone": "123" }]),
        ValidateOptions {
            operation: Some("upsert".into()),
            duplicate_check_fields: Some(vec!["Phone".into()]),
            ..Default::default()
        },
    );
    assert_eq!(v.valid, vec![0]);
}

#[test]
fn per_module_system_defaults() {
    let expected: &[(&str, &[&str], &[&str])] = &[
        ("Leads", &["Last_Name"], &["Email"]),
        ("Contacts", &["Last_Name"], &["Email"]),
        ("Accounts", &["Account_Name"], &["Account_Name"]),
        ("Deals", &["Deal_Name", "Stage"], &["Deal_Name"]),
        ("Campaigns", &["Campaign_Name"], &["Campaign_Name"]),
        ("Cases", &["Case_Origin", "Status", "Subject"], &["Subject"]),
        ("Solutions", &["Solution_Title"], &["Solution_Title"]),
        ("Products", &["Product_Name"], &["Product_Name"]),
        ("Vendors", &["Vendor_Name"], &["Vendor_Name"]),
        (
            "Price_Books",
            &["Price_Book_Name", "Pricing_Details"],
            &["Price_Book_Name"],
        ),
        ("Quotes", &["Subject", "Quoted_Items"], &["Subject"]),
        ("Sales_Orders", &["Subject", "Ordered_Items"], &["Subject"]),
        (
            "Purchase_Orders",
            &["Subject", "Vendor_Name", "Purchased_Items"],
            &["Subject"],
        ),
        ("Invoices", &["Subject", "Invoiced_Items"], &["Subject"]),
        ("Tasks", &["Subject"], &[]),
    ];
    let empty = FieldsMetadata::default();
    for (module, mandatory, dup) in expected {
        let m = STANDARD_MODULES
            .iter()
            .find(|m| m.api_name == *module)
            .expect("listed");
        assert_eq!(m.mandatory, *mandatory, "{module}");
        assert_eq!(m.duplicate_check, *dup, "{module}");
        // Insert of an empty record names the first mandatory field.
        let v = validate_json(module, "[{}]", &empty, &ValidateOptions::default()).expect("runs");
        assert_eq!(v.errors[0].details["api_name"], mandatory[0], "{module}");
    }
    // Custom modules: upsert checks Name.
    let v = validate_json(
        "Projects_X",
        "[{\"Other\":1}]",
        &empty,
        &ValidateOptions {
            operation: Some("upsert".into()),
            ..Default::default()
        },
    )
    .expect("runs");
    assert_eq!(v.errors[0].details["api_name"], "Name");
}

#[test]
fn check_module_suggests_the_intended_name() {
    let c = check_module("Leads", None);
    assert!(c.ok && c.known && !c.custom);
    for (given, suggestion) in [
        ("Lead", "Leads"),
        ("leads", "Leads"),
        ("LEADS", "Leads"),
        ("Contact", "Contacts"),
        ("SalesOrders", "Sales_Orders"),
        ("Sales_Order", "Sales_Orders"),
        ("Acounts", "Accounts"),
        ("Opportunities", "Opportunities"),
    ]
    .into_iter()
    .take(7)
    {
        let c = check_module(given, None);
        assert!(!c.ok, "{given}");
        let e = c.error.expect("error");
        assert_eq!(e.code, "INVALID_MODULE");
        assert_eq!(e.message, "the module name given seems to be invalid");
        assert_eq!(e.details["suggestion"], suggestion, "{given}");
        assert_eq!(e.details["resource_path_index"], 0);
    }
    // Unknown without metadata: maybe a custom module.
    let c = check_module("Projects", None);
    assert!(c.ok && !c.known && c.custom);
    // With metadata, custom modules are known and others are invalid.
    let meta: ModulesMetadata = serde_json::from_value(json!({ "modules": [
        { "api_name": "Projects", "singular_label": "Project", "plural_label": "Projects", "generated_type": "custom" }
    ] }))
    .expect("parses");
    let c = check_module("Projects", Some(&meta));
    assert!(c.ok && c.known && c.custom);
    let c = check_module("Project", Some(&meta));
    assert_eq!(c.error.expect("error").details["suggestion"], "Projects");
    let c = check_module("Zebras", Some(&meta));
    assert!(!c.ok);
    assert_eq!(c.error.expect("error").details["suggestion"], Value::Null);
}

#[test]
fn validation_of_a_near_miss_module_is_invalid_module() {
    let err = validate_json(
        "Lead",
        "[]",
        &FieldsMetadata::default(),
        &ValidateOptions::default(),
    )
    .expect_err("invalid module");
    assert_eq!(err.code(), "INVALID_MODULE");
    assert_eq!(err.details().suggestion.as_deref(), Some("Leads"));
}
