//! The check of one value against its field's metadata: one function per family of
//! data types, chosen by [`check_value`]. Each returns the record's error, if any;
//! pick-list values Zoho accepts with a caveat become warnings on the way.

use serde_json::json;
use serde_json::value::RawValue;

use super::fields::{self, DataType, FieldMeta};
use super::findings::{self, expected, expected_type, invalid, Warnings};
use super::formats::{self, number_digits};
use super::raw::{self, Kind};
use crate::classify::RecordResult;

/// Digits of an integer field unless `length` says fewer (V7DOC: "Number ≤ 9 digits").
const INTEGER_DIGITS: u32 = fields::INTEGER_MAX_DIGITS;

/// What a pick-list check needs from the run: whether values outside the list pass,
/// and where the warnings of accepted values go.
pub(super) struct Picklist<'w> {
    pub allow_new: bool,
    pub warnings: &'w mut Warnings,
}

/// The error of one value, if any (warnings are recorded on the way). Null is always
/// accepted here: whether the field may be empty is the mandatory check's business.
pub(super) fn check_value(
    index: usize,
    f: &FieldMeta,
    raw: &RawValue,
    mut picklist: Picklist<'_>,
) -> Option<RecordResult> {
    let k = raw::kind(raw);
    if k == Kind::Null {
        return None;
    }
    match &f.data_type {
        DataType::Text
        | DataType::Textarea
        | DataType::Email
        | DataType::Phone
        | DataType::Website => text(index, f, raw),
        DataType::Integer => integer(index, f, raw, k),
        DataType::Bigint => bigint(index, f, raw, k),
        DataType::Double | DataType::Currency | DataType::Decimal => {
            decimal(index, f, raw, fields::DECIMAL_MAX_INTEGER_DIGITS)
        }
        DataType::Percent => decimal(index, f, raw, fields::PERCENT_MAX_INTEGER_DIGITS),
        DataType::Boolean => (k != Kind::Bool).then(|| expected_type(index, f)),
        DataType::Date => formatted(index, f, raw, formats::is_date),
        DataType::Datetime => formatted(index, f, raw, formats::is_datetime),
        DataType::Picklist => match raw::as_str(raw) {
            Some(s) => picklist.value(index, f, &s),
            None => Some(expected_type(index, f)),
        },
        DataType::Multiselectpicklist => multiselect(index, f, raw, k, picklist),
        DataType::Lookup | DataType::Ownerlookup | DataType::Userlookup => lookup(index, f, raw, k),
        DataType::Multiselectlookup | DataType::Multiuserlookup | DataType::Subform => {
            (k != Kind::Array).then(|| expected_type(index, f))
        }
        DataType::Formula
        | DataType::Autonumber
        | DataType::RollupSummary
        | DataType::Unknown(_) => by_json_type(index, f, k),
    }
}

/// Text, e-mail, phone, website: a string within the field's length, of the right
/// syntax (an empty string passes: it clears the field).
fn text(index: usize, f: &FieldMeta, raw: &RawValue) -> Option<RecordResult> {
    let Some(s) = raw::as_str(raw) else {
        return Some(expected_type(index, f));
    };
    if let Some(e) = text_len(index, f, &s) {
        return Some(e);
    }
    let ok = match f.data_type {
        DataType::Email => s.is_empty() || formats::is_email(&s),
        DataType::Phone => s.is_empty() || formats::is_phone(&s),
        DataType::Website => s.is_empty() || formats::is_website(&s),
        _ => true,
    };
    (!ok).then(|| expected_type(index, f))
}

fn text_len(index: usize, f: &FieldMeta, s: &str) -> Option<RecordResult> {
    let max = f.max_length();
    // Bytes bound characters from above: count only when the bytes could be too many.
    if s.len() as u64 <= max {
        return None;
    }
    let len = s.chars().count() as u64;
    (len > max).then(|| invalid(index, &f.api_name, &[("maximum_length", json!(max))]))
}

/// A whole JSON number of at most the field's digits.
fn integer(index: usize, f: &FieldMeta, raw: &RawValue, k: Kind) -> Option<RecordResult> {
    let max = f.length.map_or(INTEGER_DIGITS, |l| {
        u32::try_from(l)
            .unwrap_or(INTEGER_DIGITS)
            .min(INTEGER_DIGITS)
    });
    match number_digits(raw.get()) {
        Some(d) if d.integral && k == Kind::Number => (d.integer > max)
            .then(|| invalid(index, &f.api_name, &[("maximum_length", json!(max))])),
        _ => Some(expected_type(index, f)),
    }
}

/// A string of digits (JavaScript numbers lose digits past 2^53); an integral JSON
/// number is accepted too.
fn bigint(index: usize, f: &FieldMeta, raw: &RawValue, k: Kind) -> Option<RecordResult> {
    let digits = match k {
        Kind::String => raw::as_str(raw).and_then(|s| {
            let d = s.strip_prefix('-').unwrap_or(&s);
            (!d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()))
                .then(|| d.trim_start_matches('0').len() as u64)
        }),
        Kind::Number => number_digits(raw.get())
            .filter(|d| d.integral)
            .map(|d| u64::from(d.integer)),
        _ => None,
    };
    match digits {
        None => Some(expected_type(index, f)),
        Some(d) if d > u64::from(fields::BIGINT_MAX_DIGITS) => Some(invalid(
            index,
            &f.api_name,
            &[("maximum_length", json!(fields::BIGINT_MAX_DIGITS))],
        )),
        Some(_) => None,
    }
}

/// Double, currency, decimal, percent: a JSON number of at most `int_max` digits
/// before the point and the field's `decimal_place` after it.
fn decimal(index: usize, f: &FieldMeta, raw: &RawValue, int_max: u32) -> Option<RecordResult> {
    let frac_max = f
        .decimal_place
        .unwrap_or(fields::DECIMAL_MAX_FRACTION_DIGITS);
    if raw::kind(raw) != Kind::Number {
        return Some(expected_type(index, f));
    }
    let Some(d) = number_digits(raw.get()) else {
        return Some(expected_type(index, f));
    };
    if d.integer > int_max {
        return Some(invalid(
            index,
            &f.api_name,
            &[("maximum_length", json!(int_max))],
        ));
    }
    if d.fraction > frac_max {
        return Some(invalid(
            index,
            &f.api_name,
            &[("decimal_place", json!(frac_max))],
        ));
    }
    None
}

/// Date and date-time: a string of the format `ok` recognises.
fn formatted(
    index: usize,
    f: &FieldMeta,
    raw: &RawValue,
    ok: fn(&str) -> bool,
) -> Option<RecordResult> {
    match raw::as_str(raw) {
        Some(s) if ok(&s) => None,
        _ => Some(expected_type(index, f)),
    }
}

/// A JSON array of strings, each a value of the pick list.
fn multiselect(
    index: usize,
    f: &FieldMeta,
    raw: &RawValue,
    k: Kind,
    mut picklist: Picklist<'_>,
) -> Option<RecordResult> {
    let Some(items) = (k == Kind::Array).then(|| raw::as_array(raw)).flatten() else {
        return Some(expected_type(index, f));
    };
    for item in items {
        let Some(s) = raw::as_str(item) else {
            return Some(expected_type(index, f));
        };
        if let Some(e) = picklist.value(index, f, &s) {
            return Some(e);
        }
    }
    None
}

/// Lookups: an object with a valid `id`, or with a `name` for Zoho to resolve.
fn lookup(index: usize, f: &FieldMeta, raw: &RawValue, k: Kind) -> Option<RecordResult> {
    let ok = k == Kind::Object
        && raw::as_object(raw).is_some_and(|o| {
            o.0.iter().any(|(key, v)| key == "id" && formats::is_id(v))
                || o.0.iter().any(|(key, _)| key == "name")
        });
    (!ok).then(|| expected_type(index, f))
}

/// Computed and unknown types: only the JSON type the metadata gives, if any.
fn by_json_type(index: usize, f: &FieldMeta, k: Kind) -> Option<RecordResult> {
    let json_type = f.json_type.as_deref()?;
    let want = match json_type {
        "string" => Kind::String,
        "integer" | "double" => Kind::Number,
        "boolean" => Kind::Bool,
        "jsonobject" => Kind::Object,
        "jsonarray" => Kind::Array,
        _ => return None,
    };
    (k != want).then(|| expected(index, &f.api_name, json_type))
}

impl Picklist<'_> {
    /// One pick-list value: unused values warn, unknown ones warn or fail as the
    /// options say. No list in the metadata: anything passes.
    fn value(&mut self, index: usize, f: &FieldMeta, value: &str) -> Option<RecordResult> {
        let values = f.pick_list_values.as_deref().unwrap_or(&[]);
        if values.is_empty() {
            return None;
        }
        let hit = values.iter().find(|v| {
            v.actual_value.as_deref() == Some(value) || v.display_value.as_deref() == Some(value)
        });
        match hit {
            Some(v) if v.kind.as_deref() == Some("unused") => {
                let w = findings::unused_picklist_value(index, &f.api_name);
                self.warnings.push(w);
                None
            }
            Some(_) => None,
            None if self.allow_new => {
                let w = findings::new_picklist_value(index, &f.api_name);
                self.warnings.push(w);
                None
            }
            // "picklist" for a multi-select too: the finding names the item's type.
            None => Some(expected(index, &f.api_name, "picklist")),
        }
    }
}
