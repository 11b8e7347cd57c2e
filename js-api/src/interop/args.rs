//! Reading arguments: objects and arrays as JSON text (see the module docs), strings
//! and numbers checked before anything is copied into wasm memory.

use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{clip_message, is_absent, keys, throw, type_name};
use zcrm_guard::catalog::{Operation, RawOperation};
use zcrm_guard::error::Error;
use zcrm_guard::guard::MAX_SAFE_INTEGER;

#[wasm_bindgen(module = "/js/wire.js")]
extern "C" {
    /// `JSON.stringify` refusing non-finite numbers; caught (see the module docs).
    #[wasm_bindgen(catch, js_name = strictJson)]
    fn strict_json(value: &JsValue) -> Result<JsValue, JsValue>;
}

/// Largest JSON text of one argument read through [`json_arg`], in UTF-16 units.
pub const MAX_ARG_JSON_CHARS: u32 = 64 * 1024 * 1024;

/// Deserializes an options object; `undefined` and `null` give the type's default.
pub fn optional_arg<T: DeserializeOwned + Default>(
    value: &JsValue,
    field: &str,
) -> Result<T, JsValue> {
    if is_absent(value) {
        return Ok(T::default());
    }
    required_arg(value, field)
}

/// Deserializes a required object argument (not an array, function or primitive:
/// checked first, so a 100 MB string is refused without being copied).
pub fn required_arg<T: DeserializeOwned>(value: &JsValue, field: &str) -> Result<T, JsValue> {
    if is_absent(value) {
        return Err(throw(&Error::invalid(field, "is required")));
    }
    if !value.is_object() || value.is_function() {
        return Err(throw(&Error::invalid(
            field,
            format!("expected an object, got {}", type_name(value)),
        )));
    }
    let text = json_text(value, field, MAX_ARG_JSON_CHARS)?;
    if text.starts_with('[') {
        return Err(throw(&Error::invalid(
            field,
            "expected an object, got array",
        )));
    }
    from_json(&text, field)
}

/// Deserializes any required JSON-like argument (object, array, string, number).
pub fn json_arg<T: DeserializeOwned>(value: &JsValue, field: &str) -> Result<T, JsValue> {
    if is_absent(value) {
        return Err(throw(&Error::invalid(field, "is required")));
    }
    let text = json_text(value, field, MAX_ARG_JSON_CHARS)?;
    from_json(&text, field)
}

/// Deserializes an optional JSON-like argument: `None` for `undefined` and `null`.
pub fn optional_json_arg<T: DeserializeOwned>(
    value: &JsValue,
    field: &str,
) -> Result<Option<T>, JsValue> {
    if is_absent(value) {
        return Ok(None);
    }
    json_arg(value, field).map(Some)
}

/// A required array argument (read as JSON text).
pub fn array_arg<T: DeserializeOwned>(value: &JsValue, field: &str) -> Result<T, JsValue> {
    if !js_sys::Array::is_array(value) {
        return Err(throw(&Error::invalid(field, "expected an array")));
    }
    json_arg(value, field)
}

/// The JSON text of a JS value, at most `max_chars` UTF-16 units.
pub fn json_text(value: &JsValue, field: &str, max_chars: u32) -> Result<String, JsValue> {
    let text = strict_json(value).map_err(|e| {
        let why = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "it cannot be read".into());
        throw(&Error::invalid(
            field,
            format!("cannot be read as JSON data: {}", clip_message(&why)),
        ))
    })?;
    // `JSON.stringify` gives `undefined` for a Symbol, a function or `undefined`.
    let Some(text) = text.dyn_ref::<js_sys::JsString>() else {
        return Err(throw(&Error::invalid(
            field,
            format!("cannot be read as JSON data: got {}", type_name(value)),
        )));
    };
    check_length(text.length(), max_chars, field, "JSON text")?;
    Ok(String::from(text))
}

/// Refuses a text of `units` UTF-16 units above `max_chars`, before it is copied into
/// wasm memory (a 100 MB string by mistake costs nothing).
pub fn check_length(units: u32, max_chars: u32, field: &str, what: &str) -> Result<(), JsValue> {
    if units > max_chars {
        return Err(throw(&Error::invalid(
            field,
            format!("{what} of {units} characters exceeds {max_chars}"),
        )));
    }
    Ok(())
}

/// Parses JSON text read from an argument.
pub fn from_json<T: DeserializeOwned>(text: &str, field: &str) -> Result<T, JsValue> {
    serde_json::from_str(text).map_err(|e| match keys::from_serde(&e, text, field) {
        Some(unknown) => throw(&unknown),
        None => throw(&Error::invalid(field, clip_message(&e.to_string()))),
    })
}

/// A string argument of at most `max_chars` UTF-16 units, checked before it is copied
/// into wasm memory (a 100 MB string is refused without being copied).
pub fn string_arg(value: &JsValue, field: &str, max_chars: u32) -> Result<String, JsValue> {
    let Some(s) = value.dyn_ref::<js_sys::JsString>() else {
        return Err(throw(&Error::invalid(
            field,
            format!("expected a string, got {}", type_name(value)),
        )));
    };
    check_length(s.length(), max_chars, field, "string")?;
    Ok(String::from(s))
}

/// A number argument (a time); anything else is `INVALID_ARGUMENT`.
pub fn number_arg(value: &JsValue, field: &str) -> Result<f64, JsValue> {
    value
        .as_f64()
        .ok_or_else(|| throw(&Error::invalid(field, "expected a number")))
}

/// A whole number in 0..=2^53-1.
pub fn count_arg(value: &JsValue, field: &str) -> Result<u64, JsValue> {
    value
        .as_f64()
        .filter(|c| c.is_finite() && *c >= 0.0 && c.fract() == 0.0 && *c <= MAX_SAFE_INTEGER as f64)
        .map(|c| c as u64)
        .ok_or_else(|| {
            throw(&Error::invalid(
                field,
                "expected a non-negative whole number",
            ))
        })
}

/// A ticket: a whole number in 1..=2^53-1.
pub fn ticket_arg(value: &JsValue, field: &str) -> Result<u64, JsValue> {
    let v = number_arg(value, field)?;
    if !(v.is_finite() && v.fract() == 0.0 && v >= 1.0 && v <= MAX_SAFE_INTEGER as f64) {
        return Err(throw(&Error::invalid(
            field,
            format!("expected a ticket number, got {v}"),
        )));
    }
    Ok(v as u64)
}

/// An operation object (`{ kind, module?, recordCount?, … }`), checked by the core.
pub fn operation_arg(value: &JsValue, field: &str) -> Result<Operation, JsValue> {
    let raw: RawOperation = required_arg(value, field)?;
    Operation::try_from(raw).map_err(|e| throw(&e))
}
