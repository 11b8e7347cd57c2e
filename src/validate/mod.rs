//! Validation of records against Zoho's own field metadata, before anything is sent.
//!
//! Every finding has the shape Zoho itself returns for the record
//! (`MANDATORY_NOT_FOUND` / `INVALID_DATA` / `DUPLICATE_DATA`, Zoho's message,
//! `details.api_name` and `details.json_path: "$.data[<caller index>].<Field>"`),
//! so that an error caught here and one returned by Zoho are handled by one code path.
//!
//! One error per record, as Zoho reports one per record: the first field found at
//! fault in the record's own key order, then missing mandatory fields, then in-input
//! duplicates. Every input index ends in `valid` or `errors`.
//!
//! Crates: `time` (calendar dates and RFC 3339 date-times; small with `parsing` only,
//! no tz database, unlike `jiff`; less code than `chrono` for the same two checks) and
//! `email_address` (RFC 5321/5322 syntax, no dependencies).
//!
//! - `validator`: the driver over records (mandatory, id, unique and duplicate-check
//!   fields), with `slots`, what it knows about each key;
//! - `values`: one value against its data type, one function per family of types,
//!   on the syntax predicates of `formats`;
//! - `findings`: the errors and warnings in Zoho's shape.

pub mod fields;
mod findings;
mod formats;
pub mod module;
pub mod raw;
mod slots;
mod validator;
mod values;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::classify::RecordResult;
use crate::error::{Error, Result};
use validator::Validator;

pub use fields::{DataType, FieldMeta, FieldsMetadata};
pub use findings::{MSG_DUPLICATE, MSG_INVALID, MSG_MANDATORY};
pub use module::{check_module, ModuleCheck, ModuleMeta, ModulesMetadata, STANDARD_MODULES};
pub use raw::{parse_records, RawRecords};

/// Warnings kept by default; beyond, they are counted in `warnings_dropped` (a million
/// records with one unknown field each would otherwise make a million objects).
pub const DEFAULT_MAX_WARNINGS: usize = 10_000;

/// Options of [`validate_records`], as JavaScript passes them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct ValidateOptions {
    /// `insert` (default: mandatory fields required), `update` (an `id` required) or
    /// `upsert` (a duplicate-check field required).
    #[cfg_attr(feature = "ts", ts(optional = nullable, type = "'insert' | 'update' | 'upsert' | null"))]
    pub operation: Option<String>,
    /// Upsert's duplicate-check fields; default: the module's system-defined ones
    /// (Leads: Email, Accounts: Account_Name, …; custom modules: Name).
    pub duplicate_check_fields: Option<Vec<String>>,
    /// Pick-list values that are not in `pick_list_values` become warnings instead of
    /// INVALID_DATA (for orgs whose pick lists accept new values).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub allow_new_picklist_values: bool,
    /// Whether read-only fields sent on write are errors (default true).
    pub check_read_only: Option<bool>,
    /// Unknown field names as warnings (default true).
    pub warn_unknown_fields: Option<bool>,
    /// Most warnings returned (default 10,000, [`DEFAULT_MAX_WARNINGS`]); the rest are
    /// counted in `warningsDropped`.
    pub max_warnings: Option<usize>,
    /// The org's modules metadata (`GET /settings/modules`), to know custom modules.
    #[cfg_attr(feature = "ts", ts(optional = nullable, type = "ModulesMetadata | null"))]
    pub modules_metadata: Option<ModulesMetadata>,
}

/// The result of a validation: every caller index is in `valid` or in `errors`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Validation {
    /// Indices of the records that pass, ascending.
    pub valid: Vec<usize>,
    /// One error per failing record, ascending by index, in Zoho's shape.
    pub errors: Vec<RecordResult>,
    /// Findings Zoho would accept (unknown fields, unused pick-list values, …).
    pub warnings: Vec<RecordResult>,
    /// Warnings beyond `maxWarnings`, counted but not returned.
    pub warnings_dropped: usize,
}

/// Validates records given as their JSON text (see [`parse_records`]).
pub fn validate_records(
    module: &str,
    records: &[&RawValue],
    meta: &FieldsMetadata,
    options: &ValidateOptions,
) -> Result<Validation> {
    let mut v = Validator::new(module, meta, options, records.len())?;
    let mut fields = Vec::new();
    for (index, raw) in records.iter().enumerate() {
        v.record(index, raw, &mut fields);
    }
    Ok(v.finish())
}

/// Bytes per record assumed when sizing tables from the text length.
const TYPICAL_RECORD_BYTES: usize = 200;
/// Most records tables are sized for up front.
const MAX_RESERVED_RECORDS: usize = 1 << 20;

/// Validates a JSON array of records given as text.
pub fn validate_json(
    module: &str,
    records: &str,
    meta: &FieldsMetadata,
    options: &ValidateOptions,
) -> Result<Validation> {
    validate_text(module, records, meta, options).map(|(v, _)| v)
}

/// Validates a JSON array of records given as text, in one pass that parses each
/// record once; also returns each record's own text (for the batch bodies).
pub fn validate_text<'a>(
    module: &str,
    records: &'a str,
    meta: &FieldsMetadata,
    options: &ValidateOptions,
) -> Result<(Validation, Vec<&'a str>)> {
    // A guess at the record count (records are rarely under ~200 bytes), to size the
    // tables once instead of rehashing as they grow.
    let guess = (records.len() / TYPICAL_RECORD_BYTES).min(MAX_RESERVED_RECORDS);
    let mut v = Validator::new(module, meta, options, guess)?;
    let mut texts: Vec<&'a str> = Vec::with_capacity(guess);
    raw::each_element(records, |index, text, element| {
        texts.push(text);
        v.element(index, element.kind, &element.fields);
    })?;
    Ok((v.finish(), texts))
}

/// Validates records given as `serde_json::Value`s (serialised once to reuse the text path).
pub fn validate_values(
    module: &str,
    records: &[Value],
    meta: &FieldsMetadata,
    options: &ValidateOptions,
) -> Result<Validation> {
    let text =
        serde_json::to_string(records).map_err(|e| Error::invalid("records", e.to_string()))?;
    validate_json(module, &text, meta, options)
}
