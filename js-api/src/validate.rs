//! Bindings of `zcrm_guard::validate`: `validateRecords`, `checkModule`.

use wasm_bindgen::prelude::*;

use crate::interop::args::{optional_arg, optional_json_arg, string_arg};
use crate::interop::keys::{check_options, fields_of};
use crate::interop::records::{fields_arg, records_text, validation_to_js, MAX_MODULE_CHARS};
use crate::interop::{throw, to_js, JsResult};
use zcrm_guard::validate::{self, ModulesMetadata, ValidateOptions};

/// `validateRecords(module, records, fieldsMetadata, options?)`.
#[wasm_bindgen(js_name = validateRecords)]
pub fn validate_records(
    module: JsValue,
    records: JsValue,
    fields_metadata: JsValue,
    options: JsValue,
) -> JsResult {
    let module = string_arg(&module, "module", MAX_MODULE_CHARS)?;
    let text = records_text(&records, "records")?;
    let meta = fields_arg(&fields_metadata)?;
    check_options(&options, "options", &[fields_of::<ValidateOptions>()])?;
    let options: ValidateOptions = optional_arg(&options, "options")?;
    let result = validate::validate_json(&module, &text, &meta, &options).map_err(|e| throw(&e))?;
    validation_to_js(&result)
}

/// `checkModule(name, modulesMetadata?)`.
#[wasm_bindgen(js_name = checkModule)]
pub fn check_module(name: JsValue, modules_metadata: JsValue) -> JsResult {
    let name = string_arg(&name, "name", MAX_MODULE_CHARS)?;
    let meta: Option<ModulesMetadata> = optional_json_arg(&modules_metadata, "modulesMetadata")?;
    to_js(&validate::check_module(&name, meta.as_ref()))
}
