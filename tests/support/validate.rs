//! The Leads field metadata of the validation tests, and validation of a record list.

use serde_json::{json, Value};
use zcrm_guard::validate::{validate_values, FieldsMetadata, ValidateOptions, Validation};

/// Leads field metadata with one field of each data type the checks know.
pub fn leads_meta() -> FieldsMetadata {
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

/// Validation of a JSON array of Leads records with the default options.
pub fn run(records: Value) -> Validation {
    run_with(records, ValidateOptions::default())
}

/// Validation of a JSON array of Leads records.
pub fn run_with(records: Value, options: ValidateOptions) -> Validation {
    let Value::Array(records) = records else {
        panic!("test records must be an array")
    };
    validate_values("Leads", &records, &leads_meta(), &options).expect("validation runs")
}

/// The single error of a one-record input.
pub fn error_of(record: Value) -> zcrm_guard::classify::RecordResult {
    let v = run(json!([record]));
    assert!(v.valid.is_empty(), "record unexpectedly valid");
    assert_eq!(v.errors.len(), 1);
    v.errors.into_iter().next().expect("one error")
}
