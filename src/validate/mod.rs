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

pub mod fields;
pub mod module;
pub mod raw;

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};

use crate::catalog::OperationKind;
use crate::classify::{Category, RecordResult, RetryHint};
use crate::error::{Error, Result};

pub use fields::{DataType, FieldMeta, FieldsMetadata};
pub use module::{check_module, ModuleCheck, ModuleMeta, ModulesMetadata, STANDARD_MODULES};
pub use raw::{parse_records, RawRecords};

/// Warnings kept by default; beyond, they are counted in `warnings_dropped` (a million
/// records with one unknown field each would otherwise make a million objects).
pub const DEFAULT_MAX_WARNINGS: usize = 10_000;

/// Options of [`validate_records`], as JavaScript passes them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ValidateOptions {
    /// `insert` (default), `update` or `upsert`.
    pub operation: Option<String>,
    /// Upsert's duplicate-check fields; default: the module's system-defined ones.
    pub duplicate_check_fields: Option<Vec<String>>,
    /// Pick-list values that are not in `pick_list_values` become warnings instead of
    /// INVALID_DATA (for orgs whose pick lists accept new values).
    pub allow_new_picklist_values: bool,
    /// Whether read-only fields sent on write are errors (default true).
    pub check_read_only: Option<bool>,
    /// Unknown field names as warnings (default true).
    pub warn_unknown_fields: Option<bool>,
    /// Most warnings returned (default [`DEFAULT_MAX_WARNINGS`]).
    pub max_warnings: Option<usize>,
    /// The org's modules metadata (`GET /settings/modules`), to know custom modules.
    pub modules_metadata: Option<ModulesMetadata>,
}

/// The result of a validation: every caller index is in `valid` or in `errors`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
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
        index,
        ok: false,
        code: code.to_owned(),
        message: message.to_owned(),
        details,
        id: None,
        action: None,
        category,
        retry: RetryHint::None,
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

fn mandatory_missing(index: usize, field: &str) -> RecordResult {
    result(
        index,
        "MANDATORY_NOT_FOUND",
        MSG_MANDATORY,
        details(index, field, &[]),
        Category::Validation,
    )
}

fn invalid(index: usize, field: &str, extra: &[(&str, Value)]) -> RecordResult {
    result(
        index,
        "INVALID_DATA",
        MSG_INVALID,
        details(index, field, extra),
        Category::Validation,
    )
}

fn expected(index: usize, field: &str, data_type: &str) -> RecordResult {
    invalid(index, field, &[("expected_data_type", json!(data_type))])
}

fn warning(index: usize, code: &str, message: &str, field: &str) -> RecordResult {
    RecordResult {
        ok: true,
        category: Category::Ok,
        ..result(
            index,
            code,
            message,
            details(index, field, &[]),
            Category::Ok,
        )
    }
}

/// Digits of a JSON number's text: (integer digits, fraction digits, integral).
/// Leading zeros do not count; an exponent is applied.
fn number_digits(text: &str) -> Option<(u32, u32, bool)> {
    let body = text.strip_prefix('-').unwrap_or(text);
    // Fast path, one pass: plain `123` or `123.45` without an exponent.
    let bytes = body.as_bytes();
    let point = bytes.iter().position(|&c| c == b'.');
    let (int, frac) = match point {
        Some(p) => (bytes.get(..p)?, bytes.get(p.saturating_add(1)..)?),
        None => (bytes, &[][..]),
    };
    if int.iter().chain(frac).all(u8::is_ascii_digit) {
        let int_digits = int.iter().skip_while(|&&c| c == b'0').count();
        let frac_digits = frac
            .len()
            .saturating_sub(frac.iter().rev().take_while(|&&c| c == b'0').count());
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        return Some((clamp(int_digits), clamp(frac_digits), frac_digits == 0));
    }
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(at) => (
            body.get(..at)?,
            body.get(at.saturating_add(1)..)?.parse::<i32>().ok()?,
        ),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // All digits, with the point `p` places from the left after the exponent.
    let all_len = i64::try_from(int.len().saturating_add(frac.len())).ok()?;
    let lead = int
        .bytes()
        .chain(frac.bytes())
        .take_while(|c| *c == b'0')
        .count();
    let trail = frac
        .bytes()
        .rev()
        .chain(int.bytes().rev())
        .take_while(|c| *c == b'0')
        .count();
    let lead = i64::try_from(lead).ok()?;
    let trail = i64::try_from(trail).ok()?;
    if lead == all_len {
        return Some((0, 0, true));
    }
    let p = i64::try_from(int.len())
        .ok()?
        .saturating_add(i64::from(exp));
    let i = p.saturating_sub(lead).max(0);
    let f = all_len.saturating_sub(trail).saturating_sub(p).max(0);
    let clamp = |v: i64| u32::try_from(v.clamp(0, i64::from(u32::MAX))).unwrap_or(u32::MAX);
    Some((clamp(i), clamp(f), f == 0))
}

fn is_empty_value(raw: &RawValue) -> bool {
    match raw::kind(raw) {
        raw::Kind::Null => true,
        raw::Kind::String => raw::as_str(raw).is_none_or(|s| s.trim().is_empty()),
        raw::Kind::Array => raw.get().trim_start_matches('[').trim() == "]",
        _ => false,
    }
}

/// `yyyy-MM-dd`, a day that exists on the calendar.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (s.get(0..4), s.get(5..7), s.get(8..10)) else {
        return false;
    };
    if ![y, m, d]
        .iter()
        .all(|p| p.bytes().all(|c| c.is_ascii_digit()))
    {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) else {
        return false;
    };
    let Ok(month) = time::Month::try_from(m) else {
        return false;
    };
    time::Date::from_calendar_date(y, month, d).is_ok()
}

/// ISO 8601 / RFC 3339 date-time with an offset (`2024-05-10T13:45:00+05:30` or `Z`).
fn is_datetime(s: &str) -> bool {
    // `time` also takes RFC 3339's space separator; Zoho's format has the `T`.
    s.as_bytes().get(10) == Some(&b'T')
        && time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).is_ok()
}

/// E-mail syntax. The common case (ASCII dot-atoms, `user.name+tag@sub.example.com`)
/// is recognised by a strict subset check; anything else goes to `email_address`
/// (RFC 5321/5322). The subset only accepts addresses the crate accepts too.
fn is_email(s: &str) -> bool {
    simple_email(s) || email_address::EmailAddress::is_valid(s)
}

/// Longest local part (RFC 5321 §4.5.3.1.1).
const MAX_LOCAL_PART: usize = 64;
/// Longest domain (RFC 5321 §4.5.3.1.2).
const MAX_DOMAIN: usize = 255;
/// Longest domain label (RFC 1035).
const MAX_LABEL: usize = 63;

fn simple_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let atom = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'%' | b'+' | b'-');
    let dotted = |part: &str, ok: &dyn Fn(u8) -> bool, max_label: usize| {
        !part.is_empty()
            && part
                .split('.')
                .all(|l| !l.is_empty() && l.len() <= max_label && l.bytes().all(ok))
    };
    let label = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
    local.len() <= MAX_LOCAL_PART
        && domain.len() <= MAX_DOMAIN
        && dotted(local, &atom, MAX_LOCAL_PART)
        && dotted(domain, &label, MAX_LABEL)
        && domain.contains('.')
        && domain
            .split('.')
            .all(|l| !l.starts_with('-') && !l.ends_with('-'))
}

/// Phone: the characters people write in numbers, with at least one digit. Zoho's own
/// regex is not published in the facts; this one refuses only what no phone contains.
fn is_phone(s: &str) -> bool {
    s.bytes().any(|c| c.is_ascii_digit())
        && s.chars().all(|c| {
            c.is_ascii_digit()
                || matches!(
                    c,
                    '+' | '-'
                        | '('
                        | ')'
                        | '.'
                        | ' '
                        | '/'
                        | '#'
                        | '*'
                        | 'x'
                        | 'X'
                        | 'e'
                        | 'E'
                        | 't'
                        | ','
                        | ';'
                )
        })
}

/// Website: no spaces, a dot in the host, an optional http(s) scheme.
fn is_website(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !s.chars().any(char::is_whitespace)
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
}

/// Longest record id (Zoho ids are 18-19 digits; the bound only rejects nonsense).
const MAX_ID_CHARS: usize = 64;

fn is_id(raw: &RawValue) -> bool {
    match raw::kind(raw) {
        raw::Kind::String => raw::as_str(raw).is_some_and(|s| {
            !s.is_empty()
                && s.len() <= MAX_ID_CHARS
                && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
        }),
        raw::Kind::Number => number_digits(raw.get()).is_some_and(|(_, _, integral)| integral),
        _ => false,
    }
}

/// Which operation a validation is for.
fn write_kind(options: &ValidateOptions) -> Result<OperationKind> {
    let kind = match options.operation.as_deref() {
        None => OperationKind::Insert,
        Some(name) => OperationKind::parse(name)?,
    };
    if !kind.is_record_write() {
        return Err(Error::invalid(
            "options.operation",
            format!(
                "validation is for insert, update or upsert, not {}",
                kind.name()
            ),
        ));
    }
    Ok(kind)
}

/// Prepared metadata and the state of one validation run.
struct Validator<'m> {
    kind: OperationKind,
    /// Every name validation knows: metadata fields, mandatory and duplicate-check fields.
    slots: Vec<Slot<'m>>,
    by_name: FxHashMap<String, usize>,
    /// Slot of the key seen at each position of the previous records: records of one
    /// export share their key order, so a lookup is usually one comparison.
    predicted: Vec<usize>,
    /// Scratch buffers reused from record to record.
    seen_mandatory: Vec<bool>,
    uniques: Vec<(&'m str, String)>,
    mandatory: Vec<String>,
    duplicate_check: Vec<String>,
    allow_new_picklist: bool,
    check_read_only: bool,
    warn_unknown: bool,
    max_warnings: usize,
    /// (field, normalised value) → first caller index that used it.
    unique_seen: FxHashMap<(&'m str, String), usize>,
    has_id: bool,
    has_duplicate_check: bool,
    out: Validation,
}

/// What validation knows about one key.
struct Slot<'m> {
    name: String,
    field: Option<&'m FieldMeta>,
    mandatory: Option<usize>,
    duplicate_check: bool,
    /// `Some(case_sensitive)` for a unique field.
    unique: Option<bool>,
}

/// No slot: an unknown key.
const NO_SLOT: usize = usize::MAX;

impl<'m> Validator<'m> {
    fn new(module: &str, meta: &'m FieldsMetadata, options: &ValidateOptions) -> Result<Self> {
        let kind = write_kind(options)?;
        let standard = module::require_module(module, options.modules_metadata.as_ref())?;
        let mut mandatory: Vec<String> = standard
            .map(|m| m.mandatory.iter().map(|s| (*s).to_owned()).collect())
            .unwrap_or_default();
        for f in meta.fields.iter().filter(|f| f.system_mandatory) {
            if !mandatory.contains(&f.api_name) {
                mandatory.push(f.api_name.clone());
            }
        }
        let duplicate_check = match &options.duplicate_check_fields {
            Some(fields) => fields.clone(),
            None => standard
                .map(|m| m.duplicate_check)
                .filter(|d| !d.is_empty())
                .unwrap_or(module::CUSTOM_MODULE_DUPLICATE_CHECK)
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        };
        let mut slots: Vec<Slot> = Vec::new();
        let mut by_name: FxHashMap<String, usize> = FxHashMap::default();
        let mut slot_of = |name: &str, slots: &mut Vec<Slot<'m>>| -> usize {
            *by_name.entry(name.to_owned()).or_insert_with(|| {
                slots.push(Slot {
                    name: name.to_owned(),
                    field: None,
                    mandatory: None,
                    duplicate_check: false,
                    unique: None,
                });
                slots.len().saturating_sub(1)
            })
        };
        for f in &meta.fields {
            let i = slot_of(&f.api_name, &mut slots);
            if let Some(s) = slots.get_mut(i) {
                if s.field.is_none() {
                    s.field = Some(f);
                    s.unique = f.uniqueness();
                }
            }
        }
        for (m, name) in mandatory.iter().enumerate() {
            let i = slot_of(name, &mut slots);
            if let Some(s) = slots.get_mut(i) {
                s.mandatory = Some(m);
            }
        }
        for name in &duplicate_check {
            let i = slot_of(name, &mut slots);
            if let Some(s) = slots.get_mut(i) {
                s.duplicate_check = true;
            }
        }
        Ok(Validator {
            kind,
            slots,
            by_name,
            predicted: Vec::new(),
            seen_mandatory: Vec::new(),
            uniques: Vec::new(),
            mandatory,
            duplicate_check,
            allow_new_picklist: options.allow_new_picklist_values,
            check_read_only: options.check_read_only.unwrap_or(true),
            warn_unknown: options.warn_unknown_fields.unwrap_or(true),
            max_warnings: options.max_warnings.unwrap_or(DEFAULT_MAX_WARNINGS),
            unique_seen: FxHashMap::default(),
            has_id: false,
            has_duplicate_check: false,
            out: Validation::default(),
        })
    }

    fn warn(&mut self, w: RecordResult) {
        if self.out.warnings.len() < self.max_warnings {
            self.out.warnings.push(w);
        } else {
            self.out.warnings_dropped = self.out.warnings_dropped.saturating_add(1);
        }
    }

    fn warn_unknown_field(&mut self, index: usize, key: &str) {
        self.warn(warning(
            index,
            "UNKNOWN_FIELD",
            "the field is not in the module's metadata; Zoho ignores it",
            key,
        ));
    }

    fn picklist_value(&mut self, index: usize, f: &FieldMeta, value: &str) -> Option<RecordResult> {
        let values = f.pick_list_values.as_deref().unwrap_or(&[]);
        if values.is_empty() {
            return None;
        }
        let hit = values.iter().find(|v| {
            v.actual_value.as_deref() == Some(value) || v.display_value.as_deref() == Some(value)
        });
        match hit {
            Some(v) if v.kind.as_deref() == Some("unused") => {
                self.warn(warning(
                    index,
                    "UNUSED_PICKLIST_VALUE",
                    "the value is an unused pick-list value; Zoho accepts it",
                    &f.api_name,
                ));
                None
            }
            Some(_) => None,
            None if self.allow_new_picklist => {
                self.warn(warning(
                    index,
                    "NEW_PICKLIST_VALUE",
                    "the value is not in the pick list; Zoho adds it unless the list is restricted",
                    &f.api_name,
                ));
                None
            }
            None => Some(expected(index, &f.api_name, "picklist")),
        }
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

    fn digits(
        index: usize,
        f: &FieldMeta,
        raw: &RawValue,
        int_max: u32,
        frac_max: u32,
    ) -> Option<RecordResult> {
        if raw::kind(raw) != raw::Kind::Number {
            return Some(expected(index, &f.api_name, type_name(&f.data_type)));
        }
        let Some((i, fr, _)) = number_digits(raw.get()) else {
            return Some(expected(index, &f.api_name, type_name(&f.data_type)));
        };
        if i > int_max {
            return Some(invalid(
                index,
                &f.api_name,
                &[("maximum_length", json!(int_max))],
            ));
        }
        if fr > frac_max {
            return Some(invalid(
                index,
                &f.api_name,
                &[("decimal_place", json!(frac_max))],
            ));
        }
        None
    }

    /// The error of one value, if any (warnings are recorded on the way).
    fn check_value(
        &mut self,
        index: usize,
        f: &'m FieldMeta,
        raw: &RawValue,
    ) -> Option<RecordResult> {
        use raw::Kind;
        let k = raw::kind(raw);
        if k == Kind::Null {
            return None;
        }
        let name = f.api_name.as_str();
        let want = |t: &str| Some(expected(index, name, t));
        match &f.data_type {
            DataType::Text
            | DataType::Textarea
            | DataType::Email
            | DataType::Phone
            | DataType::Website => {
                let Some(s) = raw::as_str(raw) else {
                    return want(type_name(&f.data_type));
                };
                if let Some(e) = Self::text_len(index, f, &s) {
                    return Some(e);
                }
                let ok = match f.data_type {
                    DataType::Email => s.is_empty() || is_email(&s),
                    DataType::Phone => s.is_empty() || is_phone(&s),
                    DataType::Website => s.is_empty() || is_website(&s),
                    _ => true,
                };
                if ok {
                    None
                } else {
                    want(type_name(&f.data_type))
                }
            }
            DataType::Integer => {
                let max = f.length.map_or(INTEGER_DIGITS, |l| {
                    u32::try_from(l)
                        .unwrap_or(INTEGER_DIGITS)
                        .min(INTEGER_DIGITS)
                });
                match number_digits(raw.get()) {
                    Some((_, _, false)) | None => want("integer"),
                    Some(_) if k != Kind::Number => want("integer"),
                    Some((i, _, true)) if i > max => {
                        Some(invalid(index, name, &[("maximum_length", json!(max))]))
                    }
                    Some(_) => None,
                }
            }
            DataType::Bigint => {
                // A string of digits (JavaScript numbers lose digits past 2^53); an
                // integral JSON number is accepted too.
                let digits = match k {
                    Kind::String => raw::as_str(raw).and_then(|s| {
                        let d = s.strip_prefix('-').unwrap_or(&s).to_owned();
                        (!d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()))
                            .then(|| d.trim_start_matches('0').len() as u64)
                    }),
                    Kind::Number => number_digits(raw.get())
                        .filter(|(_, _, integral)| *integral)
                        .map(|(i, _, _)| u64::from(i)),
                    _ => None,
                };
                match digits {
                    None => want("bigint"),
                    Some(d) if d > u64::from(fields::BIGINT_MAX_DIGITS) => Some(invalid(
                        index,
                        name,
                        &[("maximum_length", json!(fields::BIGINT_MAX_DIGITS))],
                    )),
                    Some(_) => None,
                }
            }
            DataType::Double | DataType::Currency | DataType::Decimal => Self::digits(
                index,
                f,
                raw,
                fields::DECIMAL_MAX_INTEGER_DIGITS,
                f.decimal_place
                    .unwrap_or(fields::DECIMAL_MAX_FRACTION_DIGITS),
            ),
            DataType::Percent => Self::digits(
                index,
                f,
                raw,
                fields::PERCENT_MAX_INTEGER_DIGITS,
                f.decimal_place
                    .unwrap_or(fields::DECIMAL_MAX_FRACTION_DIGITS),
            ),
            DataType::Boolean => (k != Kind::Bool).then(|| expected(index, name, "boolean")),
            DataType::Date => match raw::as_str(raw) {
                Some(s) if is_date(&s) => None,
                _ => want("date"),
            },
            DataType::Datetime => match raw::as_str(raw) {
                Some(s) if is_datetime(&s) => None,
                _ => want("datetime"),
            },
            DataType::Picklist => match raw::as_str(raw) {
                Some(s) => self.picklist_value(index, f, &s),
                None => want("picklist"),
            },
            DataType::Multiselectpicklist => {
                let Some(items) = (k == Kind::Array).then(|| raw::as_array(raw)).flatten() else {
                    return want("multiselectpicklist");
                };
                for item in items {
                    let Some(s) = raw::as_str(item) else {
                        return want("multiselectpicklist");
                    };
                    if let Some(e) = self.picklist_value(index, f, &s) {
                        return Some(e);
                    }
                }
                None
            }
            DataType::Lookup | DataType::Ownerlookup | DataType::Userlookup => {
                let ok = k == Kind::Object
                    && raw::as_object(raw).is_some_and(|o| {
                        o.0.iter().any(|(key, v)| key == "id" && is_id(v))
                            || o.0.iter().any(|(key, _)| key == "name")
                    });
                if ok {
                    None
                } else {
                    want(type_name(&f.data_type))
                }
            }
            DataType::Multiselectlookup | DataType::Multiuserlookup | DataType::Subform => {
                (k != Kind::Array).then(|| expected(index, name, type_name(&f.data_type)))
            }
            DataType::Formula
            | DataType::Autonumber
            | DataType::RollupSummary
            | DataType::Unknown(_) => {
                let ok = match f.json_type.as_deref() {
                    Some("string") => k == Kind::String,
                    Some("integer") | Some("double") => k == Kind::Number,
                    Some("boolean") => k == Kind::Bool,
                    Some("jsonobject") => k == Kind::Object,
                    Some("jsonarray") => k == Kind::Array,
                    _ => true,
                };
                if ok {
                    None
                } else {
                    want(f.json_type.as_deref().unwrap_or("unknown"))
                }
            }
        }
    }

    fn slot(&mut self, pos: usize, key: &str) -> usize {
        if let Some(&i) = self.predicted.get(pos) {
            if self.slots.get(i).is_some_and(|s| s.name == key) {
                return i;
            }
        }
        let i = self.by_name.get(key).copied().unwrap_or(NO_SLOT);
        if pos < self.predicted.len() {
            if let Some(p) = self.predicted.get_mut(pos) {
                *p = i;
            }
        } else if pos == self.predicted.len() && pos < MAX_PREDICTED_KEYS {
            self.predicted.push(i);
        }
        i
    }

    fn record<'r>(
        &mut self,
        index: usize,
        raw: &'r RawValue,
        fields: &mut Vec<(Cow<'r, str>, &'r RawValue)>,
    ) -> Option<RecordResult> {
        let kind = raw::kind(raw);
        if kind == raw::Kind::Object && !raw::fill_object(raw, fields) {
            return Some(expected(index, "", "jsonobject"));
        }
        self.element(index, kind, fields)
    }

    /// Checks one element of the input, parsed: its kind and, for an object, its fields.
    fn element(
        &mut self,
        index: usize,
        kind: raw::Kind,
        fields: &[(Cow<'_, str>, &RawValue)],
    ) -> Option<RecordResult> {
        if kind != raw::Kind::Object {
            return Some(result(
                index,
                "INVALID_DATA",
                MSG_INVALID,
                json!({ "json_path": format!("$.data[{index}]"), "expected_data_type": "jsonobject" }),
                Category::Validation,
            ));
        }
        let mut seen_mandatory = std::mem::take(&mut self.seen_mandatory);
        seen_mandatory.clear();
        seen_mandatory.resize(self.mandatory.len(), false);
        let mut uniques = std::mem::take(&mut self.uniques);
        uniques.clear();
        let found = self.record_fields(index, fields, &mut seen_mandatory, &mut uniques);
        let found = found.or_else(|| self.record_end(index, &seen_mandatory, &uniques));
        if found.is_none() {
            for key in uniques.drain(..) {
                self.unique_seen.entry(key).or_insert(index);
            }
        }
        self.seen_mandatory = seen_mandatory;
        self.uniques = uniques;
        found
    }

    fn record_fields(
        &mut self,
        index: usize,
        fields: &[(Cow<'_, str>, &RawValue)],
        seen_mandatory: &mut [bool],
        uniques: &mut Vec<(&'m str, String)>,
    ) -> Option<RecordResult> {
        self.has_id = false;
        self.has_duplicate_check = false;
        for (pos, (key, value)) in fields.iter().enumerate() {
            let key: &str = key;
            let value: &RawValue = value;
            if key == "id" {
                let null_ok =
                    self.kind != OperationKind::Update && raw::kind(value) == raw::Kind::Null;
                if !(is_id(value) || null_ok) {
                    return Some(expected(index, "id", "bigint"));
                }
                self.has_id = raw::kind(value) != raw::Kind::Null;
                continue;
            }
            let slot = self.slot(pos, key);
            let Some(slot) = self.slots.get(slot) else {
                if self.warn_unknown && !key.starts_with('$') {
                    self.warn_unknown_field(index, key);
                }
                continue;
            };
            let (field, mandatory, duplicate_check, unique) = (
                slot.field,
                slot.mandatory,
                slot.duplicate_check,
                slot.unique,
            );
            let empty = is_empty_value(value);
            if let Some(m) = mandatory {
                if empty {
                    if self.kind != OperationKind::Upsert {
                        return Some(mandatory_missing(index, key));
                    }
                } else if let Some(s) = seen_mandatory.get_mut(m) {
                    *s = true;
                }
            }
            if !empty && duplicate_check {
                self.has_duplicate_check = true;
            }
            let Some(f) = field else {
                // Known by name (system mandatory, duplicate check) but absent from the metadata.
                if self.warn_unknown && mandatory.is_none() && !duplicate_check {
                    self.warn_unknown_field(index, key);
                }
                continue;
            };
            if self.check_read_only && f.is_read_only() {
                return Some(invalid(index, key, &[("read_only", json!(true))]));
            }
            if let Some(e) = self.check_value(index, f, value) {
                return Some(e);
            }
            if let (Some(case_sensitive), false) = (unique, empty) {
                let text = raw::as_str(value).unwrap_or(Cow::Borrowed(value.get()));
                let norm = match (case_sensitive, text.is_ascii()) {
                    (true, _) => text.into_owned(),
                    (false, true) => text.to_ascii_lowercase(),
                    (false, false) => text.to_lowercase(),
                };
                uniques.push((f.api_name.as_str(), norm));
            }
        }
        None
    }

    fn record_end(
        &mut self,
        index: usize,
        seen_mandatory: &[bool],
        uniques: &[(&'m str, String)],
    ) -> Option<RecordResult> {
        let (has_id, has_duplicate_check) = (self.has_id, self.has_duplicate_check);
        match self.kind {
            OperationKind::Update if !has_id => return Some(mandatory_missing(index, "id")),
            OperationKind::Insert => {
                let missing = self
                    .mandatory
                    .iter()
                    .zip(seen_mandatory)
                    .find(|(_, s)| !**s);
                if let Some((m, _)) = missing {
                    return Some(mandatory_missing(index, m));
                }
            }
            OperationKind::Upsert => {
                if !has_id && !has_duplicate_check {
                    let first = self.duplicate_check.first().map_or("id", String::as_str);
                    let mut e = mandatory_missing(index, first);
                    if let Some(obj) = e.details.as_object_mut() {
                        obj.insert("expected_fields".into(), json!(self.duplicate_check));
                    }
                    return Some(e);
                }
                let missing: Vec<String> = self
                    .mandatory
                    .iter()
                    .zip(seen_mandatory)
                    .filter(|(_, s)| !**s)
                    .map(|(m, _)| m.clone())
                    .collect();
                for m in missing {
                    self.warn(warning(
                        index,
                        "MANDATORY_NOT_FOUND",
                        "required field not found; the upsert fails if it inserts",
                        &m,
                    ));
                }
            }
            _ => {}
        }
        for key in uniques {
            if let Some(&first) = self.unique_seen.get(key) {
                return Some(result(
                    index,
                    "DUPLICATE_DATA",
                    MSG_DUPLICATE,
                    details(index, key.0, &[("duplicate_index", json!(first))]),
                    Category::Duplicate,
                ));
            }
        }
        None
    }
}

/// Key positions remembered for prediction (records wider than this look the rest up).
const MAX_PREDICTED_KEYS: usize = 1_024;

/// Digits of an integer field unless `length` says fewer (V7DOC: "Number ≤ 9 digits").
const INTEGER_DIGITS: u32 = fields::INTEGER_MAX_DIGITS;

fn type_name(t: &DataType) -> &str {
    match t {
        DataType::Text => "text",
        DataType::Textarea => "textarea",
        DataType::Email => "email",
        DataType::Phone => "phone",
        DataType::Website => "website",
        DataType::Integer => "integer",
        DataType::Bigint => "bigint",
        DataType::Double => "double",
        DataType::Currency => "currency",
        DataType::Decimal => "decimal",
        DataType::Percent => "percent",
        DataType::Boolean => "boolean",
        DataType::Date => "date",
        DataType::Datetime => "datetime",
        DataType::Picklist => "picklist",
        DataType::Multiselectpicklist => "multiselectpicklist",
        DataType::Lookup => "lookup",
        DataType::Ownerlookup => "ownerlookup",
        DataType::Userlookup => "userlookup",
        DataType::Multiselectlookup => "multiselectlookup",
        DataType::Multiuserlookup => "multiuserlookup",
        DataType::Subform => "subform",
        DataType::Formula => "formula",
        DataType::Autonumber => "autonumber",
        DataType::RollupSummary => "rollup_summary",
        DataType::Unknown(s) => s,
    }
}

/// Validates records given as their JSON text (see [`parse_records`]).
pub fn validate_records(
    module: &str,
    records: &[&RawValue],
    meta: &FieldsMetadata,
    options: &ValidateOptions,
) -> Result<Validation> {
    let mut v = Validator::new(module, meta, options)?;
    if v.slots.iter().any(|s| s.unique.is_some()) {
        v.unique_seen.reserve(records.len());
    }
    v.out.valid.reserve(records.len());
    let mut fields = Vec::new();
    for (index, raw) in records.iter().enumerate() {
        match v.record(index, raw, &mut fields) {
            None => v.out.valid.push(index),
            Some(e) => v.out.errors.push(e),
        }
    }
    Ok(v.out)
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
    let mut v = Validator::new(module, meta, options)?;
    // A guess at the record count (records are rarely under ~200 bytes), to size the
    // tables once instead of rehashing as they grow.
    let guess = (records.len() / TYPICAL_RECORD_BYTES).min(MAX_RESERVED_RECORDS);
    if v.slots.iter().any(|s| s.unique.is_some()) {
        v.unique_seen.reserve(guess);
    }
    v.out.valid.reserve(guess);
    let mut texts: Vec<&'a str> = Vec::with_capacity(guess);
    raw::each_element(records, |index, text, element| {
        texts.push(text);
        match v.element(index, element.kind, &element.fields) {
            None => v.out.valid.push(index),
            Some(e) => v.out.errors.push(e),
        }
    })?;
    Ok((v.out, texts))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_digits_counts_both_parts_and_applies_exponents() {
        assert_eq!(number_digits("123.45"), Some((3, 2, false)));
        assert_eq!(number_digits("-0.5"), Some((0, 1, false)));
        assert_eq!(number_digits("1e3"), Some((4, 0, true)));
        assert_eq!(number_digits("1.25e1"), Some((2, 1, false)));
        assert_eq!(number_digits("12e-1"), Some((1, 1, false)));
        assert_eq!(number_digits("10.0"), Some((2, 0, true)));
        assert_eq!(number_digits("1e999999999999"), None);
    }

    #[test]
    fn the_email_fast_path_accepts_only_what_the_crate_accepts() {
        for s in [
            "ada@example.com",
            "a.b+c-d_e%f@sub.example.co.uk",
            "x@a-b.io",
            "a..b@example.com",
            ".a@example.com",
            "a.@example.com",
            "a@example",
            "a@-x.com",
            "a@x-.com",
            "a@x..com",
            "@x.com",
            "a@",
            "a b@x.com",
        ] {
            if simple_email(s) {
                assert!(email_address::EmailAddress::is_valid(s), "{s}");
            }
        }
        assert!(simple_email("ada@example.com"));
        assert!(!simple_email("a..b@example.com"));
        assert!(
            is_email("\"quoted\"@example.com")
                == email_address::EmailAddress::is_valid("\"quoted\"@example.com")
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        #[test]
        fn the_email_fast_path_is_a_subset_of_the_crate(s in "[a-zA-Z0-9._%+@-]{1,24}") {
            if simple_email(&s) {
                proptest::prop_assert!(email_address::EmailAddress::is_valid(&s), "{}", s);
            }
        }
    }

    #[test]
    fn dates_must_exist_on_the_calendar() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2024-13-01"));
        assert!(!is_date("2024-1-01"));
        assert!(is_datetime("2024-05-10T13:45:00+05:30"));
        assert!(!is_datetime("2024-05-10T13:45:00"));
        assert!(!is_datetime("2024-05-10 13:45:00+05:30"));
    }
}
