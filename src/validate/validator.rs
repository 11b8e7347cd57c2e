//! The driver of a validation: each record's fields in their own key order (id,
//! read-only, value, mandatory and unique checks), then what the record lacks
//! (mandatory fields, id, duplicate-check fields), then in-input duplicates of
//! unique fields. One finding per record, the first found.

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use serde_json::json;
use serde_json::value::RawValue;

use super::fields::FieldsMetadata;
use super::findings::{self, expected, invalid, mandatory_missing, Warnings};
use super::formats::{is_empty_value, is_id};
use super::slots::Slots;
use super::values::{check_value, Picklist};
use super::{module, raw, ValidateOptions, Validation, DEFAULT_MAX_WARNINGS};
use crate::catalog::OperationKind;
use crate::classify::RecordResult;
use crate::error::{Error, Result};

/// Prepared metadata and the state of one validation run.
pub(super) struct Validator<'m> {
    kind: OperationKind,
    slots: Slots<'m>,
    mandatory: Vec<String>,
    duplicate_check: Vec<String>,
    allow_new_picklist: bool,
    check_read_only: bool,
    warn_unknown: bool,
    /// Scratch buffers reused from record to record.
    seen_mandatory: Vec<bool>,
    uniques: Vec<(&'m str, String)>,
    /// (field, normalised value) → first caller index that used it.
    unique_seen: FxHashMap<(&'m str, String), usize>,
    /// What the current record's fields held, for the checks at its end.
    has_id: bool,
    has_duplicate_check: bool,
    valid: Vec<usize>,
    errors: Vec<RecordResult>,
    warnings: Warnings,
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

impl<'m> Validator<'m> {
    /// Prepares a run over about `records` records (tables are sized for them).
    pub(super) fn new(
        module: &str,
        meta: &'m FieldsMetadata,
        options: &ValidateOptions,
        records: usize,
    ) -> Result<Self> {
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
        let slots = Slots::new(meta, &mandatory, &duplicate_check);
        let mut unique_seen = FxHashMap::default();
        if slots.any_unique() {
            unique_seen.reserve(records);
        }
        Ok(Validator {
            kind,
            slots,
            mandatory,
            duplicate_check,
            allow_new_picklist: options.allow_new_picklist_values,
            check_read_only: options.check_read_only.unwrap_or(true),
            warn_unknown: options.warn_unknown_fields.unwrap_or(true),
            seen_mandatory: Vec::new(),
            uniques: Vec::new(),
            unique_seen,
            has_id: false,
            has_duplicate_check: false,
            valid: Vec::with_capacity(records),
            errors: Vec::new(),
            warnings: Warnings::new(options.max_warnings.unwrap_or(DEFAULT_MAX_WARNINGS)),
        })
    }

    /// The result: every index seen is in `valid` or `errors`.
    pub(super) fn finish(self) -> Validation {
        Validation {
            valid: self.valid,
            errors: self.errors,
            warnings: self.warnings.kept,
            warnings_dropped: self.warnings.dropped,
        }
    }

    /// Checks one record given as its JSON text; `fields` is a reused buffer.
    pub(super) fn record<'r>(
        &mut self,
        index: usize,
        raw: &'r RawValue,
        fields: &mut Vec<(Cow<'r, str>, &'r RawValue)>,
    ) {
        let kind = raw::kind(raw);
        if kind == raw::Kind::Object && !raw::fill_object(raw, fields) {
            return self.errors.push(expected(index, "", "jsonobject"));
        }
        self.element(index, kind, fields);
    }

    /// Checks one element of the input, parsed: its kind and, for an object, its fields.
    pub(super) fn element(
        &mut self,
        index: usize,
        kind: raw::Kind,
        fields: &[(Cow<'_, str>, &RawValue)],
    ) {
        match self.check_element(index, kind, fields) {
            None => self.valid.push(index),
            Some(e) => self.errors.push(e),
        }
    }

    fn check_element(
        &mut self,
        index: usize,
        kind: raw::Kind,
        fields: &[(Cow<'_, str>, &RawValue)],
    ) -> Option<RecordResult> {
        if kind != raw::Kind::Object {
            return Some(findings::not_an_object(index));
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
            let Some(slot) = self.slots.find(pos, key) else {
                if self.warn_unknown && !key.starts_with('$') {
                    self.warnings.push(findings::unknown_field(index, key));
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
                    self.warnings.push(findings::unknown_field(index, key));
                }
                continue;
            };
            if self.check_read_only && f.is_read_only() {
                return Some(invalid(index, key, &[("read_only", json!(true))]));
            }
            let picklist = Picklist {
                allow_new: self.allow_new_picklist,
                warnings: &mut self.warnings,
            };
            if let Some(e) = check_value(index, f, value, picklist) {
                return Some(e);
            }
            if let (Some(case_sensitive), false) = (unique, empty) {
                uniques.push((f.api_name.as_str(), unique_key(value, case_sensitive)));
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
        let mut missing = self
            .mandatory
            .iter()
            .zip(seen_mandatory)
            .filter(|(_, seen)| !**seen)
            .map(|(m, _)| m);
        match self.kind {
            OperationKind::Update if !self.has_id => return Some(mandatory_missing(index, "id")),
            OperationKind::Insert => {
                if let Some(m) = missing.next() {
                    return Some(mandatory_missing(index, m));
                }
            }
            OperationKind::Upsert => {
                if !self.has_id && !self.has_duplicate_check {
                    return Some(findings::duplicate_check_missing(
                        index,
                        &self.duplicate_check,
                    ));
                }
                for m in missing {
                    self.warnings
                        .push(findings::mandatory_if_inserted(index, m));
                }
            }
            _ => {}
        }
        uniques.iter().find_map(|key| {
            let first = self.unique_seen.get(key)?;
            Some(findings::duplicate(index, key.0, *first))
        })
    }
}

/// A unique field's value as compared: its text, lower-cased unless case matters.
fn unique_key(value: &RawValue, case_sensitive: bool) -> String {
    let text = raw::as_str(value).unwrap_or(Cow::Borrowed(value.get()));
    match (case_sensitive, text.is_ascii()) {
        (true, _) => text.into_owned(),
        (false, true) => text.to_ascii_lowercase(),
        (false, false) => text.to_lowercase(),
    }
}
