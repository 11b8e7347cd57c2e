//! Bindings of `crate::batch`.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::catalog::operation_arg;
use super::validate::{fields_arg, json_arg, records_text};
use super::{optional_arg, required_arg, throw, to_js, JsResult};
use crate::batch::{
    self, Batch, BatchIndices, BatchOptions, CompositeOptions, JobOptions, MergeOptions, VerdictIn,
};
use crate::catalog::{CostOverrides, OperationKind};
use crate::classify::RecordResult;
use crate::error::Error;
use crate::validate::{self, ValidateOptions};

/// `options.as`: bodies as objects (default) or as ready-to-send JSON text.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Output {
    #[serde(rename = "as")]
    form: Option<String>,
}

fn as_text(options: &JsValue) -> Result<bool, JsValue> {
    let out: Output = optional_arg(options.clone(), "options")?;
    match out.form.as_deref() {
        None | Some("object") => Ok(false),
        Some("text") => Ok(true),
        Some(other) => Err(throw(&Error::invalid(
            "options.as",
            format!("{other:?} is not \"object\" or \"text\""),
        ))),
    }
}

/// The fields of a batch that go through the serializer; `indices` and `body` are set
/// directly (a typed-array copy and one string or `JSON.parse` each).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BatchOut<'a> {
    kind: OperationKind,
    ids: &'a Option<Vec<String>>,
    credits: u32,
    complex: bool,
}

/// Indices as a JS array: one copy into a `Uint32Array`, then `Array.from`, instead of
/// one boundary crossing per number.
pub(crate) fn indices_to_js(indices: &[usize]) -> JsValue {
    let v: Vec<u32> = indices
        .iter()
        .map(|&i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect();
    js_sys::Array::from(&js_sys::Uint32Array::from(v.as_slice())).into()
}

fn batch_to_js(batch: &Batch, text: bool) -> JsResult {
    let obj = to_js(&BatchOut {
        kind: batch.kind,
        ids: &batch.ids,
        credits: batch.credits,
        complex: batch.complex,
    })?;
    let _ = js_sys::Reflect::set(&obj, &"indices".into(), &indices_to_js(&batch.indices));
    let body = match &batch.body {
        None => JsValue::NULL,
        Some(b) if text => JsValue::from_str(b),
        Some(b) => {
            js_sys::JSON::parse(b).map_err(|_| throw(&Error::invalid("body", "not JSON")))?
        }
    };
    // Reflect.set on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(&obj, &"body".into(), &body);
    Ok(obj)
}

fn batches_to_js(batches: &[Batch], text: bool) -> JsResult {
    let arr = js_sys::Array::new_with_length(u32::try_from(batches.len()).unwrap_or(u32::MAX));
    for (i, b) in batches.iter().enumerate() {
        arr.set(u32::try_from(i).unwrap_or(u32::MAX), batch_to_js(b, text)?);
    }
    Ok(arr.into())
}

/// `planBatches(operation, records, { maxRecords, maxBodyBytes, trigger, duplicateCheckFields, costOverrides, as })`.
#[wasm_bindgen(js_name = planBatches)]
pub fn plan_batches(operation: JsValue, records: JsValue, options: JsValue) -> JsResult {
    let op = operation_arg(operation, "operation")?;
    let text = records_text(&records, "records")?;
    let form = as_text(&options)?;
    let opts: BatchOptions = optional_arg(options, "options")?;
    let raw = validate::parse_records(&text).map_err(|e| throw(&e))?;
    let batches = batch::plan_batches(&op, &raw, &opts).map_err(|e| throw(&e))?;
    batches_to_js(&batches, form)
}

/// `validateAndPlan(operation, records, fieldsMetadata, options)`: validation options and
/// batch options in one object; returns `{ validation, batches }` (batches of the valid records).
#[wasm_bindgen(js_name = validateAndPlan)]
pub fn validate_and_plan(
    operation: JsValue,
    records: JsValue,
    fields_metadata: JsValue,
    options: JsValue,
) -> JsResult {
    let op = operation_arg(operation, "operation")?;
    let text = records_text(&records, "records")?;
    let meta = fields_arg(fields_metadata)?;
    let form = as_text(&options)?;
    let vopts: ValidateOptions = optional_arg(options.clone(), "options")?;
    let bopts: BatchOptions = optional_arg(options, "options")?;
    let plan =
        batch::validate_and_plan_text(&op, &text, &meta, &vopts, &bopts).map_err(|e| throw(&e))?;
    let out = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &out,
        &"validation".into(),
        &super::validate::validation_to_js(&plan.validation)?,
    );
    let _ = js_sys::Reflect::set(
        &out,
        &"batches".into(),
        &batches_to_js(&plan.batches, form)?,
    );
    Ok(out.into())
}

/// `planComposite(subRequests, { rollbackOnFail, parallelExecution, maxSubRequests, as })`.
#[wasm_bindgen(js_name = planComposite)]
pub fn plan_composite(sub_requests: JsValue, options: JsValue) -> JsResult {
    if !js_sys::Array::is_array(&sub_requests) {
        return Err(throw(&Error::invalid("subRequests", "expected an array")));
    }
    // Through JSON text: serde_json's `Value` parser is in the module already, a
    // serde-wasm-bindgen `Value` deserializer would add its own copy (~12 KiB).
    let text = js_sys::JSON::stringify(&sub_requests).map_err(|_| {
        throw(&Error::invalid(
            "subRequests",
            "cannot be serialised to JSON",
        ))
    })?;
    let subs: Vec<serde_json::Value> = serde_json::from_str(&String::from(text))
        .map_err(|e| throw(&Error::invalid("subRequests", e.to_string())))?;
    let form = as_text(&options)?;
    let opts: CompositeOptions = optional_arg(options, "options")?;
    let batches = batch::plan_composite(&subs, &opts).map_err(|e| throw(&e))?;
    batches_to_js(&batches, form)
}

#[derive(Debug, Deserialize)]
struct BatchIn {
    kind: OperationKind,
    indices: Vec<usize>,
    #[serde(default)]
    ids: Option<Vec<String>>,
}

/// `splitBatch(batch, { costOverrides }?)`: two halves, bodies in the batch's own form.
#[wasm_bindgen(js_name = splitBatch)]
pub fn split_batch(batch: JsValue, options: JsValue) -> JsResult {
    let body = if batch.is_object() {
        js_sys::Reflect::get(&batch, &"body".into()).unwrap_or(JsValue::NULL)
    } else {
        JsValue::NULL
    };
    let text_form = body.is_string();
    let body_text = if body.is_null() || body.is_undefined() {
        None
    } else if text_form {
        Some(super::string_arg(
            &body,
            "batch.body",
            super::validate::MAX_TEXT_CHARS,
        )?)
    } else {
        let s = js_sys::JSON::stringify(&body)
            .map_err(|_| throw(&Error::invalid("batch.body", "not JSON")))?;
        Some(String::from(s))
    };
    let b: BatchIn = required_arg(batch, "batch")?;
    #[derive(Default, Deserialize)]
    #[serde(rename_all = "camelCase", default)]
    struct SplitOptions {
        cost_overrides: Option<CostOverrides>,
    }
    let opts: SplitOptions = optional_arg(options, "options")?;
    let core = Batch {
        kind: b.kind,
        indices: b.indices,
        body: body_text,
        ids: b.ids,
        credits: 0,
        complex: false,
    };
    let halves = batch::split_batch(&core, &opts.cost_overrides.unwrap_or_default())
        .map_err(|e| throw(&e))?;
    batches_to_js(&halves, text_form)
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct MergeIn {
    count: Option<usize>,
    prior: Vec<crate::batch::RecordIn>,
}

/// An array argument, read once by `JSON.stringify` first (see `probe`).
fn array_arg<T: serde::de::DeserializeOwned>(value: JsValue, field: &str) -> Result<T, JsValue> {
    if !js_sys::Array::is_array(&value) {
        return Err(throw(&Error::invalid(field, "expected an array")));
    }
    json_arg(&value, field)
}

/// `mergeResults(batches, verdicts, { count, prior })`: one RecordResult per caller index.
#[wasm_bindgen(js_name = mergeResults)]
pub fn merge_results(batches: JsValue, verdicts: JsValue, options: JsValue) -> JsResult {
    let batches: Vec<BatchIndices> = array_arg(batches, "batches")?;
    let verdicts: Vec<Option<VerdictIn>> = array_arg(verdicts, "verdicts")?;
    let opts: MergeIn = if options.is_undefined() || options.is_null() {
        MergeIn::default()
    } else {
        json_arg(&options, "options")?
    };
    let indices: Vec<Vec<usize>> = batches.into_iter().map(|b| b.indices).collect();
    let replies: Vec<Option<batch::Reply>> =
        verdicts.into_iter().map(|v| v.map(Into::into)).collect();
    let merge = MergeOptions {
        count: opts.count,
        prior: opts.prior.into_iter().map(RecordResult::from).collect(),
    };
    let merged = batch::merge_results(&indices, &replies, &merge).map_err(|e| throw(&e))?;
    to_js(&merged)
}

/// `planJob(operation, count, { edition, licenses, addOnCredits, creditCap, creditsRemaining, maxRecords, costOverrides })`.
#[wasm_bindgen(js_name = planJob)]
pub fn plan_job(operation: JsValue, count: JsValue, options: JsValue) -> JsResult {
    let op = operation_arg(operation, "operation")?;
    let count = count
        .as_f64()
        .filter(|c| c.is_finite() && *c >= 0.0 && c.fract() == 0.0)
        .ok_or_else(|| {
            throw(&Error::invalid(
                "count",
                "expected a non-negative whole number",
            ))
        })?;
    let opts: JobOptions = required_arg(options, "options")?;
    let plan = batch::plan_job(&op, count as u64, &opts).map_err(|e| throw(&e))?;
    to_js(&plan)
}
