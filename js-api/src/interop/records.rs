//! Records and field metadata in, validations out.

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::args::{check_length, json_arg, string_arg};
use super::batches::indices_to_js;
use super::response::utf8_of;
use super::{set, throw, JsResult};
use zcrm_guard::classify::RecordResult;
use zcrm_guard::error::Error;
use zcrm_guard::validate::{FieldsMetadata, Validation};

/// Longest module name accepted from JavaScript.
pub const MAX_MODULE_CHARS: u32 = 200;
/// Longest JSON text accepted (records, metadata or a body), in UTF-16 units: 1 Gi.
pub const MAX_TEXT_CHARS: u32 = 1 << 30;

/// A large JS string as UTF-8, through the engine's native encoder, after a length
/// check that refuses it before any copy.
fn text_of(value: &JsValue, field: &str) -> Result<String, JsValue> {
    let Some(text) = value.dyn_ref::<js_sys::JsString>() else {
        return Err(throw(&Error::invalid(field, "expected a string")));
    };
    check_length(text.length(), MAX_TEXT_CHARS, field, "string")?;
    Ok(utf8_of(text).0)
}

/// Records as JSON text: a JS array (stringified by the engine, the fastest way out of
/// JS objects), a string, or UTF-8 bytes (`Uint8Array`, no copy through a JS string).
pub fn records_text(value: &JsValue, field: &str) -> Result<String, JsValue> {
    if let Some(s) = value.dyn_ref::<js_sys::JsString>() {
        // Refuse what is not an array before copying it (a 100 MB string by mistake).
        if s.trim_start().char_code_at(0) != f64::from(b'[') {
            return Err(throw(&Error::invalid(
                field,
                "expected a JSON array of records",
            )));
        }
        return text_of(value, field);
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
        return text_of(&text.into(), field);
    }
    Err(throw(&Error::invalid(
        field,
        "expected an array of records, JSON text or UTF-8 bytes",
    )))
}

/// Field metadata: Zoho's `{ fields: [...] }` as an object or as JSON text.
pub fn fields_arg(value: &JsValue) -> Result<FieldsMetadata, JsValue> {
    if value.is_string() {
        let text = string_arg(value, "fieldsMetadata", MAX_TEXT_CHARS)?;
        return FieldsMetadata::from_json(&text).map_err(|e| throw(&e));
    }
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(throw(&Error::invalid(
            "fieldsMetadata",
            "expected Zoho's { fields: [...] } object or its JSON text",
        )));
    }
    let meta: FieldsMetadata = json_arg(value, "fieldsMetadata")?;
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
pub fn validation_to_js(v: &Validation) -> JsResult {
    let obj = super::to_js(&ValidationOut {
        errors: &v.errors,
        warnings: &v.warnings,
        warnings_dropped: v.warnings_dropped,
    })?;
    set(&obj, "valid", &indices_to_js(&v.valid));
    Ok(obj)
}
