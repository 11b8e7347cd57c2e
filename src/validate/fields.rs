//! Field metadata exactly as Zoho returns it from `GET /crm/{v}/settings/fields?module=…`
//! (`{"fields":[…]}`; V7DOC `Fields.md`, sources §9). Only the keys validation needs are
//! read; every other key is ignored, so a newer Zoho response still parses.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::error::{Error, Result};

/// Most fields accepted in one metadata body (Zoho modules have a few hundred; the
/// bound only keeps a wrong argument from costing unbounded memory).
pub const MAX_FIELDS: usize = 100_000;

/// Default maximum length of a single-line text field (V7DOC insert "Sample Attributes":
/// "Single line: ≤ 255 chars"), used when the metadata gives no `length`.
pub const DEFAULT_TEXT_LENGTH: u64 = 255;

/// Maximum length of a small multi-line field (V7DOC Fields.md `textarea.type` small: 2000).
pub const TEXTAREA_SMALL_LENGTH: u64 = 2_000;
/// Maximum length of a large multi-line field (V7DOC Fields.md: large 32000).
pub const TEXTAREA_LARGE_LENGTH: u64 = 32_000;
/// Maximum length of a rich-text multi-line field (V7DOC Fields.md: rich_text 50000).
pub const TEXTAREA_RICH_TEXT_LENGTH: u64 = 50_000;

/// Default maximum length of a phone field (V7DOC insert: "Phone ≤ 30 chars (configurable)").
pub const DEFAULT_PHONE_LENGTH: u64 = 30;

/// Digits of a Number (integer) field (V7DOC insert: "Number ≤ 9 digits").
pub const INTEGER_MAX_DIGITS: u32 = 9;

/// Digits of a Long Integer (bigint) field, sent as a string (V7DOC insert: "string of ≤ 18 digits").
pub const BIGINT_MAX_DIGITS: u32 = 18;

/// Digits before the point of a currency/decimal field (V7DOC insert: "≤ 16 digits
/// before the point, ≤ 9 after (configurable)").
pub const DECIMAL_MAX_INTEGER_DIGITS: u32 = 16;
/// Digits after the point of a currency/decimal field when `decimal_place` is absent (V7DOC insert).
pub const DECIMAL_MAX_FRACTION_DIGITS: u32 = 9;

/// Digits of a percent field (V7DOC insert: "Percent ≤ 5 digits", read as the integer part).
pub const PERCENT_MAX_INTEGER_DIGITS: u32 = 5;

/// A field's `data_type`: the values seen in Zoho samples (sources §9), with a fallback
/// for any other, since Zoho adds types over time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataType {
    /// Single-line text.
    Text,
    /// Multi-line text (`textarea.type` small/large/rich_text).
    Textarea,
    /// E-mail address.
    Email,
    /// Phone number.
    Phone,
    /// URL.
    Website,
    /// Number of at most 9 digits.
    Integer,
    /// Long integer, a string of at most 18 digits.
    Bigint,
    /// Decimal number.
    Double,
    /// Currency amount.
    Currency,
    /// Decimal field (some responses say `decimal`).
    Decimal,
    /// Percentage.
    Percent,
    /// Checkbox.
    Boolean,
    /// `yyyy-MM-dd`.
    Date,
    /// ISO 8601 with an offset.
    Datetime,
    /// Pick list.
    Picklist,
    /// Multi-select pick list (JSON array of strings).
    Multiselectpicklist,
    /// Lookup `{ id }`.
    Lookup,
    /// Owner `{ id }`.
    Ownerlookup,
    /// User `{ id }`.
    Userlookup,
    /// Multi-select lookup (array).
    Multiselectlookup,
    /// Multi-user lookup (array).
    Multiuserlookup,
    /// Subform (array of rows).
    Subform,
    /// Formula: computed by Zoho, never written.
    Formula,
    /// Auto number: computed by Zoho, never written.
    Autonumber,
    /// Roll-up summary: computed by Zoho, never written.
    RollupSummary,
    /// Any other type; only `json_type` is checked.
    Unknown(String),
}

/// Zoho's `data_type` strings of the known types.
static NAMED: [(&str, DataType); 25] = [
    ("text", DataType::Text),
    ("textarea", DataType::Textarea),
    ("email", DataType::Email),
    ("phone", DataType::Phone),
    ("website", DataType::Website),
    ("integer", DataType::Integer),
    ("bigint", DataType::Bigint),
    ("double", DataType::Double),
    ("currency", DataType::Currency),
    ("decimal", DataType::Decimal),
    ("percent", DataType::Percent),
    ("boolean", DataType::Boolean),
    ("date", DataType::Date),
    ("datetime", DataType::Datetime),
    ("picklist", DataType::Picklist),
    ("multiselectpicklist", DataType::Multiselectpicklist),
    ("lookup", DataType::Lookup),
    ("ownerlookup", DataType::Ownerlookup),
    ("userlookup", DataType::Userlookup),
    ("multiselectlookup", DataType::Multiselectlookup),
    ("multiuserlookup", DataType::Multiuserlookup),
    ("subform", DataType::Subform),
    ("formula", DataType::Formula),
    ("autonumber", DataType::Autonumber),
    ("rollup_summary", DataType::RollupSummary),
];

impl DataType {
    /// Parses Zoho's `data_type` string.
    pub fn parse(name: &str) -> Self {
        NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map_or_else(|| DataType::Unknown(name.to_owned()), |(_, t)| t.clone())
    }

    /// Zoho's `data_type` string, the inverse of [`DataType::parse`] (a finding's
    /// `expected_data_type`).
    pub(super) fn name(&self) -> &str {
        match self {
            DataType::Unknown(s) => s,
            known => NAMED
                .iter()
                .find(|(_, t)| t == known)
                .map_or("", |(n, _)| n),
        }
    }

    /// Whether Zoho computes the value itself, so a write of it is refused.
    pub fn is_computed(&self) -> bool {
        matches!(
            self,
            DataType::Formula | DataType::Autonumber | DataType::RollupSummary
        )
    }
}

impl<'de> Deserialize<'de> for DataType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(DataType::parse(&s))
    }
}

/// One value of `pick_list_values[]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct PickListValue {
    /// The value sent through the API.
    pub actual_value: Option<String>,
    /// The label shown in the UI.
    pub display_value: Option<String>,
    /// `used` or `unused`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// `textarea` of a multi-line field.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Textarea {
    /// `small`, `large` or `rich_text`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// One field of the metadata.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FieldMeta {
    /// The field's API name.
    pub api_name: String,
    /// Zoho's `data_type`.
    #[serde(default = "unknown_type")]
    pub data_type: DataType,
    /// `string`, `integer`, `double`, `boolean`, `jsonobject`, `jsonarray`.
    #[serde(default)]
    pub json_type: Option<String>,
    /// Mandatory for every layout.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub system_mandatory: bool,
    /// Maximum length (characters or digits).
    #[serde(default)]
    pub length: Option<u64>,
    /// Digits after the point.
    #[serde(default)]
    pub decimal_place: Option<u32>,
    /// `{}` when not unique; `{"case_sensitive": false}` when unique.
    #[serde(default)]
    pub unique: Option<BTreeMap<String, Value>>,
    /// Values of a pick list, used and unused.
    #[serde(default)]
    pub pick_list_values: Option<Vec<PickListValue>>,
    /// Read-only for the current user.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub read_only: bool,
    /// Read-only for everyone.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub field_read_only: bool,
    /// Multi-line settings.
    #[serde(default)]
    pub textarea: Option<Textarea>,
}

fn unknown_type() -> DataType {
    DataType::Unknown(String::new())
}

/// `null` reads as false: Zoho sends `null` for some flags of system fields.
fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(d)?.unwrap_or(false))
}

impl FieldMeta {
    /// Whether values must be unique, and whether case matters.
    pub fn uniqueness(&self) -> Option<bool> {
        let unique = self.unique.as_ref()?;
        if unique.is_empty() {
            return None;
        }
        Some(
            unique
                .get("case_sensitive")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        )
    }

    /// Whether a write of this field is refused.
    pub fn is_read_only(&self) -> bool {
        self.read_only || self.field_read_only || self.data_type.is_computed()
    }

    /// Maximum length in characters of a text-like value.
    pub fn max_length(&self) -> u64 {
        match self.data_type {
            DataType::Textarea => match self.textarea.as_ref().and_then(|t| t.kind.as_deref()) {
                Some("small") => TEXTAREA_SMALL_LENGTH,
                Some("rich_text") => TEXTAREA_RICH_TEXT_LENGTH,
                Some("large") => TEXTAREA_LARGE_LENGTH,
                _ => self.length.unwrap_or(TEXTAREA_LARGE_LENGTH),
            },
            DataType::Phone => self.length.unwrap_or(DEFAULT_PHONE_LENGTH),
            _ => self.length.unwrap_or(DEFAULT_TEXT_LENGTH),
        }
    }
}

/// The body of `GET /settings/fields`: `{"fields":[…]}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct FieldsMetadata {
    /// The module's fields.
    pub fields: Vec<FieldMeta>,
}

impl FieldsMetadata {
    /// Parses the metadata from Zoho's JSON text.
    pub fn from_json(text: &str) -> Result<Self> {
        let meta: FieldsMetadata = serde_json::from_str(text).map_err(|e| {
            Error::invalid(
                "fieldsMetadata",
                format!("expected Zoho's {{\"fields\":[…]}} body: {e}"),
            )
        })?;
        meta.checked()
    }

    /// Checks bounds after deserialising (from JSON text or from JavaScript).
    pub fn checked(self) -> Result<Self> {
        if self.fields.len() > MAX_FIELDS {
            return Err(Error::invalid(
                "fieldsMetadata.fields",
                format!("{} fields exceed {MAX_FIELDS}", self.fields.len()),
            ));
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_parse_are_inverse() {
        for (name, t) in &NAMED {
            assert_eq!(DataType::parse(name), *t);
            assert_eq!(t.name(), *name);
        }
        assert_eq!(DataType::parse("geo"), DataType::Unknown("geo".into()));
        assert_eq!(DataType::Unknown("geo".into()).name(), "geo");
    }
}
