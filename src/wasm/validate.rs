//! Bindings of `crate::validate`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{json_arg, optional_arg, string_arg, throw, to_js, JsResult};
use crate::error::Error;
use serde::Serialize;

use crate::classify::RecordResult;
use crate::validate::{self, FieldsMetadata, ModulesMetadata, ValidateOptions, Validation};

/// Longest module name accepted from JavaScript.
const MAX_MODULE_CHARS: u32 = 200;
/// Longest JSON text accepted (records or metadata), in UTF-16 units: 1 Gi.
pub(crate) const MAX_TEXT_CHARS: u32 = 1 << 30;

/// A large JS string as UTF-8, through the engine's native encoder (see
/// `classify::utf8_of`), after a length check that refuses it before any copy.
fn utf8_of(value: &JsValue, field: &str) -> Result<String, JsValue> {
    let Some(text) = value.dyn_ref::<js_sys::JsString>() else {
        return Err(throw(&Error::invalid(field, "expected a string")));
    };
    if text.length() > MAX_TEXT_CHARS {
        return Err(throw(&Error::invalid(
            field,
            format!(
                "string of {} characters exceeds {MAX_TEXT_CHARS}",
                text.length()
            ),
        )));
    }
    Ok(super::classify::utf8_of(text).0)
}

/// Records as JSON text: a JS array (stringified by the engine, the fastest way out of
/// JS objects), a string, or UTF-8 bytes (`Uint8Array`, no copy through a JS string).
pub(crate) fn records_text(value: &JsValue, field: &str) -> Result<String, JsValue> {
    if let Some(s) = value.dyn_ref::<js_sys::JsString>() {
        // Refuse what is not an array before copying it (a 100 MB string by mistake).
        if s.trim_start().char_code_at(0) != f64::from(b'[') {
            return Err(throw(&Error::invalid(
                field,
                "expected a JSON array of records",
            )));
        }
        return utf8_of(value, field);
    }
    if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
        return String::from_utf8(bytes.to_vec())
            .map_err(|e| throw(&Error::invalid(field, format!("not UTF-8: {e}"))));
    }
    if js_sys::Array::is_array(value) {
        let text = js_sys::JSON::stringify(value).map_err(|_| {
            throw(&Error::invalid(
                field,
                "cannot be serialised to JSON (cycle or BigInt)",
            ))
        })?;
        return utf8_of(&text.into(), field);
    }
    Err(throw(&Error::invalid(
        field,
        "expected an array of records, JSON text or UTF-8 bytes",
    )))
}

/// Field metadata: Zoho's `{ fields: [...] }` as an object or as JSON text.
pub(crate) fn fields_arg(value: JsValue) -> Result<FieldsMetadata, JsValue> {
    if value.is_string() {
        let text = string_arg(&value, "fieldsMetadata", MAX_TEXT_CHARS)?;
        return FieldsMetadata::from_json(&text).map_err(|e| throw(&e));
    }
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(throw(&Error::invalid(
            "fieldsMetadata",
            "expected Zoho's { fields: [...] } object or its JSON text",
        )));
    }
    let meta: FieldsMetadata = json_arg(&value, "fieldsMetadata")?;
    meta.checked().map_err(|e| throw(&e))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ValidationOut<'a> {
    errors: &'a [RecordResult],
    warnings: &'a [RecordResult],
    warnings_dropped: usize,
}

/// A validation for JavaScript; `valid` goes through a typed-array copy.
pub(crate) fn validation_to_js(v: &Validation) -> JsResult {
    let obj = to_js(&ValidationOut {
        errors: &v.errors,
        warnings: &v.warnings,
        warnings_dropped: v.warnings_dropped,
    })?;
    let _ = js_sys::Reflect::set(
        &obj,
        &"valid".into(),
        &super::batch::indices_to_js(&v.valid),
    );
    Ok(obj)
}

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
    let meta = fields_arg(fields_metadata)?;
    let options: ValidateOptions = optional_arg(options, "options")?;
    let result = validate::validate_json(&module, &text, &meta, &options).map_err(|e| throw(&e))?;
    validation_to_js(&result)
}

/// `checkModule(name, modulesMetadata?)`.
#[wasm_bindgen(js_name = checkModule)]
pub fn check_module(name: JsValue, modules_metadata: JsValue) -> JsResult {
    let name = string_arg(&name, "name", MAX_MODULE_CHARS)?;
    let meta: Option<ModulesMetadata> =
        if modules_metadata.is_undefined() || modules_metadata.is_null() {
            None
        } else {
            Some(json_arg(&modules_metadata, "modulesMetadata")?)
        };
    to_js(&validate::check_module(&name, meta.as_ref()))
}
