//! Bindings of `zcrm_guard::batch`: planning calls within Zoho's per-call limits and
//! merging their replies back into one result per caller index.

use wasm_bindgen::prelude::*;

use crate::interop::args::{array_arg, count_arg, operation_arg, optional_arg, required_arg};
use crate::interop::batches::{as_text, batch_arg, batches_to_js, SplitOptions, AS};
use crate::interop::keys::{check_options, fields_of};
use crate::interop::merge::{BatchIndices, MergeIn, VerdictIn};
use crate::interop::records::{fields_arg, records_text, validation_to_js};
use crate::interop::{set, throw, to_js, JsResult};
use zcrm_guard::batch::{self, BatchOptions, CompositeOptions, JobOptions, Reply};
use zcrm_guard::validate::ValidateOptions;

/// `planBatches(operation, records, { maxRecords, maxBodyBytes, trigger, duplicateCheckFields, costOverrides, as })`.
#[wasm_bindgen(js_name = planBatches)]
pub fn plan_batches(operation: JsValue, records: JsValue, options: JsValue) -> JsResult {
    let op = operation_arg(&operation, "operation")?;
    let text = records_text(&records, "records")?;
    check_options(&options, "options", &[fields_of::<BatchOptions>(), AS])?;
    let form = as_text(&options)?;
    let opts: BatchOptions = optional_arg(&options, "options")?;
    let batches = batch::plan_json(&op, &text, &opts).map_err(|e| throw(&e))?;
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
    let op = operation_arg(&operation, "operation")?;
    let text = records_text(&records, "records")?;
    let meta = fields_arg(&fields_metadata)?;
    let known = [
        fields_of::<ValidateOptions>(),
        fields_of::<BatchOptions>(),
        AS,
    ];
    check_options(&options, "options", &known)?;
    let form = as_text(&options)?;
    let vopts: ValidateOptions = optional_arg(&options, "options")?;
    let bopts: BatchOptions = optional_arg(&options, "options")?;
    let plan =
        batch::validate_and_plan_text(&op, &text, &meta, &vopts, &bopts).map_err(|e| throw(&e))?;
    let out: JsValue = js_sys::Object::new().into();
    set(&out, "validation", &validation_to_js(&plan.validation)?);
    set(&out, "batches", &batches_to_js(&plan.batches, form)?);
    Ok(out)
}

/// `planComposite(subRequests, { rollbackOnFail, parallelExecution, maxSubRequests, as })`.
#[wasm_bindgen(js_name = planComposite)]
pub fn plan_composite(sub_requests: JsValue, options: JsValue) -> JsResult {
    let subs: Vec<serde_json::Value> = array_arg(&sub_requests, "subRequests")?;
    check_options(&options, "options", &[fields_of::<CompositeOptions>(), AS])?;
    let form = as_text(&options)?;
    let opts: CompositeOptions = optional_arg(&options, "options")?;
    let batches = batch::plan_composite(&subs, &opts).map_err(|e| throw(&e))?;
    batches_to_js(&batches, form)
}

/// `splitBatch(batch, { costOverrides }?)`: two halves, bodies in the batch's own form.
#[wasm_bindgen(js_name = splitBatch)]
pub fn split_batch(batch: JsValue, options: JsValue) -> JsResult {
    let back = batch_arg(&batch, "batch")?;
    let opts: SplitOptions = optional_arg(&options, "options")?;
    let halves = batch::split_batch(&back.batch, &opts.cost_overrides.unwrap_or_default())
        .map_err(|e| throw(&e))?;
    batches_to_js(&halves, back.text)
}

/// `mergeResults(batches, verdicts, { count, prior })`: one RecordResult per caller index,
/// at most `MAX_MERGE_COUNT` (1,000,000), checked before the batches are read.
#[wasm_bindgen(js_name = mergeResults)]
pub fn merge_results(batches: JsValue, verdicts: JsValue, options: JsValue) -> JsResult {
    let opts: MergeIn = optional_arg(&options, "options")?;
    if let Some(count) = opts.count() {
        batch::check_merge_count(count).map_err(|e| throw(&e))?;
    }
    let batches: Vec<BatchIndices> = array_arg(&batches, "batches")?;
    let verdicts: Vec<Option<VerdictIn>> = array_arg(&verdicts, "verdicts")?;
    let indices: Vec<Vec<usize>> = batches.into_iter().map(|b| b.indices).collect();
    let replies: Vec<Option<Reply>> = verdicts.into_iter().map(|v| v.map(Into::into)).collect();
    let merged = batch::merge_results(&indices, &replies, &opts.into()).map_err(|e| throw(&e))?;
    to_js(&merged)
}

/// `planJob(operation, count, { edition, licenses, addOnCredits, creditCap, creditsRemaining, maxRecords, costOverrides })`.
#[wasm_bindgen(js_name = planJob)]
pub fn plan_job(operation: JsValue, count: JsValue, options: JsValue) -> JsResult {
    let op = operation_arg(&operation, "operation")?;
    let count = count_arg(&count, "count")?;
    let opts: JobOptions = required_arg(&options, "options")?;
    to_js(&batch::plan_job(&op, count, &opts).map_err(|e| throw(&e))?)
}
