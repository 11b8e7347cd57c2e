//! Findings in the shape Zoho itself returns for a record: `code`, Zoho's message,
//! `details.api_name` and `details.json_path: "$.data[<caller index>].<Field>"`, so
//! that an error caught here and one returned by Zoho go down one code path.
//! Warnings have the same shape with `ok: true`.

use serde_json::{json, Map, Value};

use super::FieldMeta;
use crate::classify::{Category, RecordResult, RetryHint};

/// Zoho's message for a missing mandatory field.
pub const MSG_MANDATORY: &str = "required field not found";
/// Zoho's message for a bad value.
pub const MSG_INVALID: &str = "invalid data";
/// Zoho's message for a unique value used twice.
pub const MSG_DUPLICATE: &str = "duplicate data";

fn path(index: usize, field: &str) -> String {
    format!("$.data[{index}].{field}")
}

fn result(
    index: usize,
    code: &str,
    message: &str,
    details: Value,
    category: Category,
) -> RecordResult {
    RecordResult {
        details,
        ..RecordResult::rejected(index, code, message, category, RetryHint::None)
    }
}

fn details(index: usize, field: &str, extra: &[(&str, Value)]) -> Value {
    let mut m = Map::new();
    m.insert("api_name".into(), Value::String(field.to_owned()));
    m.insert("json_path".into(), Value::String(path(index, field)));
    for (k, v) in extra {
        m.insert((*k).to_owned(), v.clone());
    }
    Value::Object(m)
}

pub(super) fn mandatory_missing(index: usize, field: &str) -> RecordResult {
    result(
        index,
        "MANDATORY_NOT_FOUND",
        MSG_MANDATORY,
        details(index, field, &[]),
        Category::Validation,
    )
}

/// An upsert with neither an id nor any duplicate-check field: Zoho cannot tell
/// whether to insert or update.
pub(super) fn duplicate_check_missing(index: usize, fields: &[String]) -> RecordResult {
    let first = fields.first().map_or("id", String::as_str);
    result(
        index,
        "MANDATORY_NOT_FOUND",
        MSG_MANDATORY,
        details(index, first, &[("expected_fields", json!(fields))]),
        Category::Validation,
    )
}

pub(super) fn invalid(index: usize, field: &str, extra: &[(&str, Value)]) -> RecordResult {
    result(
        index,
        "INVALID_DATA",
        MSG_INVALID,
        details(index, field, extra),
        Category::Validation,
    )
}

pub(super) fn expected(index: usize, field: &str, data_type: &str) -> RecordResult {
    invalid(index, field, &[("expected_data_type", json!(data_type))])
}

/// A value that is not of its field's data type.
pub(super) fn expected_type(index: usize, f: &FieldMeta) -> RecordResult {
    expected(index, &f.api_name, f.data_type.name())
}

/// An element of the input array that is not an object (no field to name).
pub(super) fn not_an_object(index: usize) -> RecordResult {
    result(
        index,
        "INVALID_DATA",
        MSG_INVALID,
        json!({ "json_path": format!("$.data[{index}]"), "expected_data_type": "jsonobject" }),
        Category::Validation,
    )
}

/// A unique field's value already used by the record at `first`.
pub(super) fn duplicate(index: usize, field: &str, first: usize) -> RecordResult {
    result(
        index,
        "DUPLICATE_DATA",
        MSG_DUPLICATE,
        details(index, field, &[("duplicate_index", json!(first))]),
        Category::Duplicate,
    )
}

fn warning(index: usize, code: &str, message: &str, field: &str) -> RecordResult {
    RecordResult {
        ok: true,
        ..result(
            index,
            code,
            message,
            details(index, field, &[]),
            Category::Ok,
        )
    }
}

pub(super) fn unknown_field(index: usize, field: &str) -> RecordResult {
    warning(
        index,
        "UNKNOWN_FIELD",
        "the field is not in the module's metadata; Zoho ignores it",
        field,
    )
}

pub(super) fn unused_picklist_value(index: usize, field: &str) -> RecordResult {
    warning(
        index,
        "UNUSED_PICKLIST_VALUE",
        "the value is an unused pick-list value; Zoho accepts it",
        field,
    )
}

pub(super) fn new_picklist_value(index: usize, field: &str) -> RecordResult {
    warning(
        index,
        "NEW_PICKLIST_VALUE",
        "the value is not in the pick list; Zoho adds it unless the list is restricted",
        field,
    )
}

/// A mandatory field missing from an upsert: fine for an update, fatal for an insert.
pub(super) fn mandatory_if_inserted(index: usize, field: &str) -> RecordResult {
    warning(
        index,
        "MANDATORY_NOT_FOUND",
        "required field not found; the upsert fails if it inserts",
        field,
    )
}

/// The warnings of one run: kept up to a maximum, counted beyond it.
#[derive(Debug, Default)]
pub(super) struct Warnings {
    max: usize,
    pub(super) kept: Vec<RecordResult>,
    pub(super) dropped: usize,
}

impl Warnings {
    pub(super) fn new(max: usize) -> Self {
        Warnings {
            max,
            ..Warnings::default()
        }
    }

    pub(super) fn push(&mut self, w: RecordResult) {
        if self.kept.len() < self.max {
            self.kept.push(w);
        } else {
            self.dropped = self.dropped.saturating_add(1);
        }
    }
}
