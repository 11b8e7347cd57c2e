//! Validation: one test per check, against Zoho's documented error shapes
//! (facts §4.2: `code`, `message`, `details.api_name`, `details.json_path`, …).
// Test helpers outside #[test] functions may fail loudly too.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::{json, Value};
use zcrm_guard::classify::{Category, RetryHint};
use zcrm_guard::validate::{
    check_module, validate_json, validate_values, FieldsMetadata, ModulesMetadata, ValidateOptions,
    Validation, STANDARD_MODULES,
};

fn leads_meta() -> FieldsMetadata {
    FieldsMetadata::from_json(
        &json!({ "fields": [
            { "api_name": "Last_Name", "data_type": "text", "json_type": "string", "length": 80, "system_mandatory": true, "unique": {} },
            { "api_name": "First_Name", "data_type": "text", "length": 40 },
            { "api_name": "Email", "data_type": "email", "length": 100, "unique": { "case_sensitive": false } },
            { "api_name": "Secondary_Email", "data_type": "email" },
            { "api_name": "Phone", "data_type": "phone", "length": 30 },
            { "api_name": "Website", "data_type": "website" },
            { "api_name": "Description", "data_type": "textarea", "textarea": { "type": "small" } },
            { "api_name": "No_of_Employees", "data_type": "integer", "json_type": "integer" },
            { "api_name": "Big", "data_type": "bigint" },
            { "api_name": "Annual_Revenue", "data_type": "currency", "decimal_place": 2 },
            { "api_name": "Ratio", "data_type": "double" },
            { "api_name": "Probability", "data_type": "percent" },
            { "api_name": "Email_Opt_Out", "data_type": "boolean" },
            { "api_name": "Birthday", "data_type": "date" },
            { "api_name": "Call_Time", "data_type": "datetime" },
            { "api_name": "Rating", "data_type": "picklist", "pick_list_values": [
                { "actual_value": "Hot", "display_value": "Hot", "type": "used" },
                { "actual_value": "Old", "display_value": "Old", "type": "unused" }
            ] },
            { "api_name": "Tags_Pick", "data_type": "multiselectpicklist", "pick_list_values": [
                { "actual_value": "A" }, { "actual_value": "B" }
            ] },
            { "api_name": "Owner", "data_type": "ownerlookup" },
            { "api_name": "Account", "data_type": "lookup" },
            { "api_name": "Items", "data_type": "subform" },
            { "api_name": "Lead_No", "data_type": "autonumber" },
            { "api_name": "Created_Time", "data_type": "datetime", "read_only": true },
            { "api_name": "Score", "data_type": "integer", "field_read_only": true },
            { "api_name": "Custom_Code", "data_type": "text", "unique": { "case_sensitive": true } },
            { "api_name": "Odd", "data_type": "event_reminder", "json_type": "string" }
        ] })
        .to_string(),
    )
    .expect("metadata parses")
}

fn run(records: Value) -> Validation {
    run_with(records, ValidateOptions::default())
}

fn run_with(records: Value, options: ValidateOptions) -> Validation {
    let Value::Array(records) = records else {
        panic!("test records must be an array")
    };
    validate_values("Leads", &records, &leads_meta(), &options).expect("validation runs")
}

/// The single error of a one-record input.
fn error_of(record: Value) -> zcrm_guard::classify::RecordResult {
    let v = run(json!([record]));
    assert!(v.valid.is_empty(), "record unexpectedly valid");
    assert_eq!(v.errors.len(), 1);
    v.errors.into_iter().next().expect("one error")
}

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

#[test]
fn robustness_bad_inputs_are_typed_errors() {
    let meta = leads_meta();
    let o = ValidateOptions::default();
    for bad in ["{}", "nope", "[1,", "", "\"x\""] {
        let err = validate_json("Leads", bad, &meta, &o).expect_err(bad);
        assert_eq!(err.code(), "INVALID_ARGUMENT", "{bad}");
    }
    for bad in [
        r#"{"field":[]}"#,
        r#"[]"#,
        r#"{"fields":{}}"#,
        r#"{"fields":[{"data_type":"text"}]}"#,
    ] {
        let err = FieldsMetadata::from_json(bad).expect_err(bad);
        assert_eq!(err.code(), "INVALID_ARGUMENT", "{bad}");
    }
    let err = validate_json(
        "Leads",
        "[]",
        &meta,
        &ValidateOptions {
            operation: Some("get".into()),
            ..Default::default()
        },
    )
    .expect_err("get");
    assert_eq!(err.code(), "INVALID_ARGUMENT");
}

#[test]
fn robustness_deep_nesting_and_wide_records() {
    let meta = leads_meta();
    let o = ValidateOptions::default();
    // Deep nesting inside a field value: captured as raw text without recursion.
    let deep = format!(
        "[{{\"Last_Name\":\"L\",\"X\":{}1{}}}]",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let v = validate_json("Leads", &deep, &meta, &o).expect("deep value is fine");
    assert_eq!(v.valid, vec![0]);
    // Deep nesting of the array itself: a typed error, never a stack overflow.
    let deeper = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(
        validate_json("Leads", &deeper, &meta, &o)
            .is_ok_and(|v| v.valid.len() + v.errors.len() == 1)
            || validate_json("Leads", &deeper, &meta, &o).is_err()
    );
    // 10,000 fields on one record.
    let mut rec = serde_json::Map::new();
    rec.insert("Last_Name".into(), json!("L"));
    for i in 0..10_000 {
        rec.insert(format!("F{i}"), json!(i));
    }
    let v = validate_values("Leads", &[Value::Object(rec)], &meta, &o).expect("wide");
    assert_eq!(v.valid, vec![0]);
    assert_eq!(v.warnings.len(), 10_000);
    // Warnings are bounded.
    let v = validate_json(
        "Leads",
        &format!("[{}]", ["{\"Last_Name\":\"L\",\"Zz\":1}"; 20].join(",")),
        &meta,
        &ValidateOptions {
            max_warnings: Some(5),
            ..Default::default()
        },
    )
    .expect("runs");
    assert_eq!(v.warnings.len(), 5);
    assert_eq!(v.warnings_dropped, 15);
}

#[test]
fn robustness_a_million_records_every_index_accounted_for() {
    let meta = leads_meta();
    let mut text = String::from("[");
    for i in 0..1_000_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(if i % 10 == 0 {
            "{}"
        } else {
            "{\"Last_Name\":\"x\"}"
        });
    }
    text.push(']');
    let v = validate_json("Leads", &text, &meta, &ValidateOptions::default()).expect("runs");
    assert_eq!(v.valid.len(), 900_000);
    assert_eq!(v.errors.len(), 100_000);
    let mut all: Vec<usize> = v
        .valid
        .iter()
        .copied()
        .chain(v.errors.iter().map(|e| e.index))
        .collect();
    all.sort_unstable();
    assert!(all.iter().enumerate().all(|(i, &x)| i == x));
}

#[test]
fn one_pass_text_validation_matches_the_raw_value_path() {
    use zcrm_guard::validate::{parse_records, validate_records, validate_text};
    let meta = leads_meta();
    let o = ValidateOptions::default();
    let text = r#" [ {"Last_Name":"a","Email":"x@example.com"} , 1, "s", null, true, [1,[2]], {} ,
        {"Last_Name":"b\u00e9","Email":"X@example.com"}, {"Last_Name" : "c", "Rating":"Hot"} ] "#;
    let (one_pass, texts) = validate_text("Leads", text, &meta, &o).expect("one pass");
    let raw = parse_records(text).expect("raw");
    let two_pass = validate_records("Leads", &raw, &meta, &o).expect("two pass");
    assert_eq!(one_pass, two_pass);
    assert_eq!(texts.len(), raw.len());
    for (t, r) in texts.iter().zip(&raw) {
        assert_eq!(*t, r.get());
    }
    for bad in ["[1 2]", "[1,]", "[", "[1]x", "[{]", "[] []"] {
        assert_eq!(
            validate_text("Leads", bad, &meta, &o)
                .expect_err(bad)
                .code(),
            "INVALID_ARGUMENT",
            "{bad}"
        );
    }
    assert!(validate_text("Leads", " [ ] ", &meta, &o)
        .expect("empty")
        .0
        .valid
        .is_empty());
}
