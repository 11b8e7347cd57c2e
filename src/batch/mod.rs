//! Batching: the calls a list of records becomes, within Zoho's per-call limits, and
//! the way every result finds its way back to the caller's own record.
//!
//! Records are kept as borrowed slices of the caller's JSON text (`&RawValue`), so a
//! body is the caller's own bytes joined by commas, never re-serialised: the same
//! text, whether it goes out as a string or is parsed into an object by the binding.

mod composite;
mod job;
mod merge;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::catalog::{credit_cost, CostOverrides, Operation, OperationKind, MAX_RECORDS_PER_WRITE};
use crate::error::{Error, Result};
use crate::validate::{self, raw, FieldsMetadata, ValidateOptions, Validation};

pub use composite::{
    plan_composite, CompositeOptions, MAX_RECORDS_PER_READ_SUB_REQUEST,
    MAX_RECORDS_PER_WRITE_SUB_REQUEST,
};
pub use job::{plan_job, BulkWriteForecast, JobOptions, JobPlan};
pub use merge::{
    check_merge_count, merge_results, MergeOptions, Reply, MAX_MERGE_COUNT, NOT_PLANNED, NO_REPLY,
    NO_RESULT,
};

/// Triggers Zoho accepts in `trigger` (V7DOC insert: workflow, approval, blueprint,
/// pathfinder, orchestration).
pub const TRIGGERS: &[&str] = &[
    "workflow",
    "approval",
    "blueprint",
    "pathfinder",
    "orchestration",
];

/// Options of [`plan_batches`], as JavaScript passes them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct BatchOptions {
    /// Records per call, at most (and by default) 100.
    pub max_records: Option<u32>,
    /// Maximum body size in bytes (UTF-8 of the JSON text).
    pub max_body_bytes: Option<usize>,
    /// `trigger` of the body (`workflow`, `approval`, `blueprint`, `pathfinder`,
    /// `orchestration`); absent runs every automation, `[]` none.
    pub trigger: Option<Vec<String>>,
    /// `duplicate_check_fields` of an upsert body.
    pub duplicate_check_fields: Option<Vec<String>>,
    /// Overrides of the credit table.
    pub cost_overrides: Option<CostOverrides>,
}

/// One planned call.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "BatchCall"))]
pub struct Batch {
    /// The call's kind.
    pub kind: OperationKind,
    /// The caller's indices of the records in the call, in body order.
    pub indices: Vec<usize>,
    /// The body as JSON text (`null` for delete). The binding hands it out as text or
    /// as an object.
    #[serde(skip)]
    pub body: Option<String>,
    /// Record ids of a delete call (`?ids=`), else `null`.
    pub ids: Option<Vec<String>>,
    /// Credits the call costs (catalog).
    pub credits: u32,
    /// Whether the call counts against the complex-API pool (catalog).
    pub complex: bool,
}

fn cost_of(kind: OperationKind, n: usize, overrides: &CostOverrides) -> (u32, bool) {
    let op = Operation::new(kind).with_records(u32::try_from(n).unwrap_or(u32::MAX));
    (credit_cost(&op, overrides).credits, op.is_complex())
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn json_array(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| json_string(s)).collect();
    format!("[{}]", parts.join(","))
}

/// The text after `data` in every body: `,"trigger":[…],"duplicate_check_fields":[…]}`.
fn body_suffix(kind: OperationKind, options: &BatchOptions) -> Result<String> {
    let mut s = String::new();
    if let Some(trigger) = &options.trigger {
        if let Some(bad) = trigger.iter().find(|t| !TRIGGERS.contains(&t.as_str())) {
            return Err(Error::invalid(
                "options.trigger",
                format!("{bad:?} is not one of {}", TRIGGERS.join(", ")),
            ));
        }
        s.push_str(",\"trigger\":");
        s.push_str(&json_array(trigger));
    }
    if let Some(fields) = &options.duplicate_check_fields {
        if kind != OperationKind::Upsert {
            return Err(Error::invalid(
                "options.duplicateCheckFields",
                "applies to upsert only",
            ));
        }
        s.push_str(",\"duplicate_check_fields\":");
        s.push_str(&json_array(fields));
    }
    s.push('}');
    Ok(s)
}

const BODY_PREFIX: &str = "{\"data\":[";

/// A record as its JSON text: a `&RawValue` or a `&str` slice of the caller's text.
pub trait RecordText {
    /// The record's JSON text.
    fn json(&self) -> &str;
}

impl RecordText for &RawValue {
    fn json(&self) -> &str {
        self.get()
    }
}

impl RecordText for &str {
    fn json(&self) -> &str {
        self
    }
}

fn build_body<R: RecordText>(records: &[R], suffix: &str) -> String {
    let len: usize = records
        .iter()
        .map(|r| r.json().len().saturating_add(1))
        .sum();
    let mut body = String::with_capacity(len.saturating_add(BODY_PREFIX.len() + suffix.len() + 1));
    body.push_str(BODY_PREFIX);
    for (i, r) in records.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(r.json());
    }
    body.push(']');
    body.push_str(suffix);
    body
}

fn per_call(options: &BatchOptions) -> Result<usize> {
    let n = options.max_records.unwrap_or(MAX_RECORDS_PER_WRITE);
    if n == 0 || n > MAX_RECORDS_PER_WRITE {
        return Err(Error::invalid(
            "options.maxRecords",
            format!("{n} is outside 1..={MAX_RECORDS_PER_WRITE} (records per call, V7DOC)"),
        ));
    }
    Ok(n as usize)
}

/// A record id: a string or integer, or an object with `id`.
fn record_id_text(text: &str) -> Option<String> {
    record_id(serde_json::from_str::<&RawValue>(text).ok()?)
}

fn record_id(raw: &RawValue) -> Option<String> {
    match raw::kind(raw) {
        raw::Kind::String => raw::as_str(raw)
            .map(|s| s.into_owned())
            .filter(|s| !s.is_empty()),
        raw::Kind::Number => {
            Some(raw.get().to_owned()).filter(|s| s.bytes().all(|c| c.is_ascii_digit()))
        }
        raw::Kind::Object => raw::as_object(raw)?
            .0
            .into_iter()
            .find(|(k, _)| k == "id")
            .and_then(|(_, v)| record_id(v)),
        _ => None,
    }
}

/// Plans the calls for the records at `selected` (caller indices into `records`).
pub fn plan_selected<R: RecordText>(
    op: &Operation,
    records: &[R],
    selected: &[usize],
    options: &BatchOptions,
) -> Result<Vec<Batch>> {
    let kind = op.kind;
    let overrides = options.cost_overrides.clone().unwrap_or_default();
    let per = per_call(options)?;
    if kind == OperationKind::Delete {
        let mut ids = Vec::with_capacity(selected.len());
        for &i in selected {
            let id = records
                .get(i)
                .and_then(|r| record_id_text(r.json()))
                .ok_or_else(|| Error::invalid(format!("records[{i}]"), "expected a record id"))?;
            ids.push(id);
        }
        return Ok(selected
            .chunks(per)
            .zip(ids.chunks(per))
            .map(|(idx, ids)| {
                let (credits, complex) = cost_of(kind, idx.len(), &overrides);
                Batch {
                    kind,
                    indices: idx.to_vec(),
                    body: None,
                    ids: Some(ids.to_vec()),
                    credits,
                    complex,
                }
            })
            .collect());
    }
    if !kind.is_record_write() {
        return Err(Error::invalid(
            "operation.kind",
            format!(
                "batches are planned for insert, update, upsert and delete, not {}",
                kind.name()
            ),
        ));
    }
    let suffix = body_suffix(kind, options)?;
    let overhead = BODY_PREFIX
        .len()
        .saturating_add(1)
        .saturating_add(suffix.len());
    let limit = options.max_body_bytes;
    let mut out = Vec::with_capacity(selected.len() / per + 1);
    let mut indices: Vec<usize> = Vec::with_capacity(per);
    let mut chunk: Vec<&str> = Vec::with_capacity(per);
    let mut size = overhead;
    let flush = |indices: &mut Vec<usize>, chunk: &mut Vec<&str>, out: &mut Vec<Batch>| {
        if chunk.is_empty() {
            return;
        }
        let (credits, complex) = cost_of(kind, chunk.len(), &overrides);
        out.push(Batch {
            kind,
            indices: std::mem::take(indices),
            body: Some(build_body(chunk, &suffix)),
            ids: None,
            credits,
            complex,
        });
        chunk.clear();
    };
    for &i in selected {
        let Some(r) = records.get(i).map(RecordText::json) else {
            return Err(Error::invalid(
                "indices",
                format!("{i} is not a record index"),
            ));
        };
        let add = r.len().saturating_add(usize::from(!chunk.is_empty()));
        if let Some(limit) = limit {
            if overhead.saturating_add(r.len()) > limit {
                return Err(Error::RecordTooLarge {
                    index: i,
                    size: r.len(),
                    limit,
                });
            }
            if !chunk.is_empty() && size.saturating_add(add) > limit {
                flush(&mut indices, &mut chunk, &mut out);
                size = overhead;
            }
        }
        let add = r.len().saturating_add(usize::from(!chunk.is_empty()));
        chunk.push(r);
        indices.push(i);
        size = size.saturating_add(add);
        if chunk.len() >= per {
            flush(&mut indices, &mut chunk, &mut out);
            size = overhead;
        }
    }
    flush(&mut indices, &mut chunk, &mut out);
    Ok(out)
}

/// Plans the calls for every record, in order.
pub fn plan_batches(
    op: &Operation,
    records: &[&RawValue],
    options: &BatchOptions,
) -> Result<Vec<Batch>> {
    let all: Vec<usize> = (0..records.len()).collect();
    plan_selected(op, records, &all, options)
}

/// Plans the calls for a JSON array of records given as text.
pub fn plan_json(op: &Operation, records: &str, options: &BatchOptions) -> Result<Vec<Batch>> {
    let raw = validate::parse_records(records)?;
    plan_batches(op, &raw, options)
}

/// Validation and the batches of the valid records, in one pass over the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatedPlan {
    /// The validation (every index in `valid` or `errors`).
    pub validation: Validation,
    /// The calls for the valid records.
    pub batches: Vec<Batch>,
}

/// [`validate_and_plan`] on a JSON array given as text, in one pass over the text:
/// each record is parsed once, for validation, and its text kept for the bodies.
pub fn validate_and_plan_text(
    op: &Operation,
    records: &str,
    meta: &FieldsMetadata,
    validate_options: &ValidateOptions,
    options: &BatchOptions,
) -> Result<ValidatedPlan> {
    let (module, vo) = plan_validation(op, validate_options, options)?;
    let (validation, texts) = validate::validate_text(module, records, meta, &vo)?;
    plan_valid(op, &texts, validation, options)
}

/// The module and validation options of a plan: the operation's kind, and the plan's
/// duplicate-check fields unless validation has its own.
fn plan_validation<'o>(
    op: &'o Operation,
    validate_options: &ValidateOptions,
    options: &BatchOptions,
) -> Result<(&'o str, ValidateOptions)> {
    let module = op
        .module
        .as_deref()
        .ok_or_else(|| Error::invalid("operation.module", "is required to validate"))?;
    let mut vo = validate_options.clone();
    vo.operation = Some(op.kind.name().to_owned());
    if vo.duplicate_check_fields.is_none() {
        vo.duplicate_check_fields
            .clone_from(&options.duplicate_check_fields);
    }
    Ok((module, vo))
}

/// The batches of the records a validation passed.
fn plan_valid<R: RecordText>(
    op: &Operation,
    records: &[R],
    validation: Validation,
    options: &BatchOptions,
) -> Result<ValidatedPlan> {
    let batches = plan_selected(op, records, &validation.valid, options)?;
    Ok(ValidatedPlan {
        validation,
        batches,
    })
}

/// Validates records and plans the calls for those that pass: the one call path from
/// JSON text to ready-to-send bodies. The operation's kind is the validation's.
pub fn validate_and_plan(
    op: &Operation,
    records: &[&RawValue],
    meta: &FieldsMetadata,
    validate_options: &ValidateOptions,
    options: &BatchOptions,
) -> Result<ValidatedPlan> {
    let (module, vo) = plan_validation(op, validate_options, options)?;
    let validation = validate::validate_records(module, records, meta, &vo)?;
    plan_valid(op, records, validation, options)
}

/// Halves a batch (after LIMIT_EXCEEDED or a body-size error), so a record that
/// poisons a batch is isolated in log2(n) steps. A batch of one comes back as is.
pub fn split_batch(batch: &Batch, overrides: &CostOverrides) -> Result<Vec<Batch>> {
    let n = batch.indices.len();
    if n <= 1 {
        return Ok(vec![batch.clone()]);
    }
    let mid = n.div_ceil(2);
    let (left_idx, right_idx) = batch.indices.split_at(mid);
    let make = |indices: &[usize], body: Option<String>, ids: Option<Vec<String>>| {
        let (credits, complex) = cost_of(batch.kind, indices.len(), overrides);
        Batch {
            kind: batch.kind,
            indices: indices.to_vec(),
            body,
            ids,
            credits,
            complex,
        }
    };
    if let Some(ids) = &batch.ids {
        if ids.len() != n {
            return Err(Error::invalid(
                "batch.ids",
                format!("{} ids for {n} indices", ids.len()),
            ));
        }
        let (l, r) = ids.split_at(mid);
        return Ok(vec![
            make(left_idx, None, Some(l.to_vec())),
            make(right_idx, None, Some(r.to_vec())),
        ]);
    }
    let text = batch
        .body
        .as_deref()
        .ok_or_else(|| Error::invalid("batch.body", "is required (or batch.ids)"))?;
    let obj: raw::RawObject = serde_json::from_str(text)
        .map_err(|e| Error::invalid("batch.body", format!("expected a JSON object: {e}")))?;
    let data = obj
        .0
        .iter()
        .find(|(k, _)| k == "data")
        .and_then(|(_, v)| raw::as_array(v))
        .ok_or_else(|| Error::invalid("batch.body.data", "expected an array"))?;
    if data.len() != n {
        return Err(Error::invalid(
            "batch.body.data",
            format!("{} records for {n} indices", data.len()),
        ));
    }
    let mut suffix = String::new();
    for (k, v) in obj.0.iter().filter(|(k, _)| k != "data") {
        suffix.push(',');
        suffix.push_str(&json_string(k));
        suffix.push(':');
        suffix.push_str(v.get());
    }
    suffix.push('}');
    let (l, r) = data.split_at(mid);
    Ok(vec![
        make(left_idx, Some(build_body(l, &suffix)), None),
        make(right_idx, Some(build_body(r, &suffix)), None),
    ])
}
