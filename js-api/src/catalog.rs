//! Bindings of `zcrm_guard::catalog`: editions, credit costs, per-call limits, data centres
//! and the Zoho facts the JavaScript client reads.

use wasm_bindgen::prelude::*;

use crate::interop::args::{operation_arg, optional_arg, string_arg};
use crate::interop::{throw, to_js, JsResult};
use zcrm_guard::catalog::{self, CostOverrides, EditionOptions};

/// Longest edition name accepted from JavaScript.
const MAX_EDITION_CHARS: u32 = 100;
/// Longest URL accepted by `dataCenterFor`.
const MAX_URL_CHARS: u32 = 2_048;

/// `editionLimits(edition, { licenses, addOnCredits, creditCap, addOnsAboveCap, concurrency })`.
#[wasm_bindgen(js_name = editionLimits)]
pub fn edition_limits(edition: JsValue, options: JsValue) -> JsResult {
    let name = string_arg(&edition, "edition", MAX_EDITION_CHARS)?;
    let options: EditionOptions = optional_arg(&options, "options")?;
    to_js(&catalog::edition_limits(&name, &options).map_err(|e| throw(&e))?)
}

/// `creditCost(operation, { perCall, writeRecordsPerCredit })`.
#[wasm_bindgen(js_name = creditCost)]
pub fn credit_cost(operation: JsValue, overrides: JsValue) -> JsResult {
    let op = operation_arg(&operation, "operation")?;
    let overrides: CostOverrides = optional_arg(&overrides, "overrides")?;
    to_js(&catalog::credit_cost(&op, &overrides))
}

/// `operationLimits(operation)`.
#[wasm_bindgen(js_name = operationLimits)]
pub fn operation_limits(operation: JsValue) -> JsResult {
    let op = operation_arg(&operation, "operation")?;
    to_js(&catalog::operation_limits(&op))
}

/// `dataCenters()`.
#[wasm_bindgen(js_name = dataCenters)]
pub fn data_centers() -> JsResult {
    to_js(&catalog::DATA_CENTERS)
}

/// `dataCenterFor(url)`: the data centre of a Zoho URL, or `null`.
#[wasm_bindgen(js_name = dataCenterFor)]
pub fn data_center_for(url: JsValue) -> JsResult {
    let url = string_arg(&url, "url", MAX_URL_CHARS)?;
    to_js(&catalog::data_center_for(&url))
}

/// `zohoFacts()`: the paging and COQL sizes, duplicate-check fields and code statuses
/// the JavaScript client reads instead of restating them.
#[wasm_bindgen(js_name = zohoFacts)]
pub fn zoho_facts() -> JsResult {
    to_js(&catalog::zoho_facts())
}
