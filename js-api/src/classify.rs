//! Bindings of `zcrm_guard::classify`: `classify(response, operation?, options?)`.

use wasm_bindgen::prelude::*;

use crate::interop::args::{operation_arg, optional_arg};
use crate::interop::response::read_response;
use crate::interop::verdict::verdict_to_js;
use crate::interop::{is_absent, throw, JsResult};
use zcrm_guard::classify::{self, ClassifyOptions};

/// `classify(response, operation?, options?)`: the verdict, records built on first access.
#[wasm_bindgen(js_name = classify)]
pub fn classify(response: JsValue, operation: JsValue, options: JsValue) -> JsResult {
    let options: ClassifyOptions = optional_arg(&options, "options")?;
    let operation = if is_absent(&operation) {
        None
    } else {
        Some(operation_arg(&operation, "operation")?)
    };
    let read = read_response(&response, &options)?;
    let classified = classify::classify_lean(&read.response(), operation.as_ref(), &options)
        .map_err(|e| throw(&e))?;
    verdict_to_js(&classified, &read)
}
