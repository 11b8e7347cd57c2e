//! The JavaScript bindings: conversion and error mapping only, no logic.
//!
//! Every export takes `JsValue`s and converts them itself, so that a wrong type from
//! JavaScript becomes a `ZcrmGuardError` with code `INVALID_ARGUMENT` instead of a
//! glue-code exception, and every result goes out through the one serializer below.

pub mod batch;
pub mod catalog;
pub mod classify;
pub mod graphql;
pub mod guard;
pub mod validate;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{Error, ErrorDetails};

/// What every export returns: a value, or a thrown `ZcrmGuardError`.
pub(crate) type JsResult = Result<JsValue, JsValue>;

/// Serializes a result for JavaScript: the package's one serializer configuration.
///
/// Results cross as JSON text written by serde_json (camelCase keys from the
/// derives, `null` for absent values, never `undefined`, plain objects for maps,
/// numbers for integers) and parsed by the engine's `JSON.parse`. Measured against
/// serde-wasm-bindgen, which builds JS objects one property at a time through the
/// boundary, this is faster (the Guard's figures: 1.7x) and smaller in wasm; the
/// shapes are the same.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> JsResult {
    let text = serde_json::to_string(value)
        .map_err(|e| throw(&Error::invalid("result", clip_message(&e.to_string()))))?;
    js_sys::JSON::parse(&text).map_err(|_| throw(&Error::invalid("result", "not JSON")))
}

#[wasm_bindgen(module = "/pkg-template/lib/wire.js")]
extern "C" {
    /// `JSON.stringify` refusing non-finite numbers; caught, so a throwing getter,
    /// a Proxy, a cycle or a BigInt becomes an error value here, never an unwind
    /// through wasm frames (which would leave the instance broken).
    #[wasm_bindgen(catch, js_name = strictJson)]
    fn strict_json(value: &JsValue) -> Result<JsValue, JsValue>;
}

/// Largest JSON text of one argument read through [`json_arg`], in UTF-16 units.
pub(crate) const MAX_ARG_JSON_CHARS: u32 = 64 * 1024 * 1024;

/// Deserializes an options object; `undefined` and `null` give the type's default.
pub(crate) fn optional_arg<T: DeserializeOwned + Default>(
    value: JsValue,
    field: &str,
) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    required_arg(value, field)
}

/// Deserializes a required object argument (not an array, function or primitive:
/// checked first, so a 100 MB string is refused without being copied).
pub(crate) fn required_arg<T: DeserializeOwned>(value: JsValue, field: &str) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Err(throw(&Error::invalid(field, "is required")));
    }
    if !value.is_object() || value.is_function() {
        return Err(throw(&Error::invalid(
            field,
            format!("expected an object, got {}", type_name(&value)),
        )));
    }
    let text = json_text(&value, field)?;
    if text.starts_with('[') {
        return Err(throw(&Error::invalid(
            field,
            "expected an object, got array",
        )));
    }
    from_json(&text, field)
}

/// Deserializes any required JSON-like argument (object, array, string, number).
///
/// Every JS argument is read the same way: once, as JSON text, by the engine (see
/// [`strict_json`]), then parsed by serde_json, whose depth limit turns a deeply
/// nested value into a typed error instead of a stack overflow in wasm. `undefined`
/// properties are absent, as JavaScript users expect; `NaN` and `Infinity` are errors.
pub(crate) fn json_arg<T: DeserializeOwned>(value: &JsValue, field: &str) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Err(throw(&Error::invalid(field, "is required")));
    }
    let text = json_text(value, field)?;
    from_json(&text, field)
}

/// The JSON text of a JS value (see [`json_arg`]).
pub(crate) fn json_text(value: &JsValue, field: &str) -> Result<String, JsValue> {
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
    if text.length() > MAX_ARG_JSON_CHARS {
        return Err(throw(&Error::invalid(
            field,
            format!(
                "JSON text of {} characters exceeds {MAX_ARG_JSON_CHARS}",
                text.length()
            ),
        )));
    }
    Ok(String::from(text))
}

fn from_json<T: DeserializeOwned>(text: &str, field: &str) -> Result<T, JsValue> {
    serde_json::from_str(text)
        .map_err(|e| throw(&Error::invalid(field, clip_message(&e.to_string()))))
}

/// Longest serde message kept in an error, in characters (serde echoes values).
const MAX_MESSAGE_CHARS: usize = 300;

pub(crate) fn clip_message(message: &str) -> String {
    match message.char_indices().nth(MAX_MESSAGE_CHARS) {
        None => message.to_owned(),
        Some((cut, _)) => format!("{}…", message.get(..cut).unwrap_or_default()),
    }
}

/// A string argument of at most `max_chars` UTF-16 units, checked before it is copied
/// into wasm memory (a 100 MB string is refused without being copied).
pub(crate) fn string_arg(value: &JsValue, field: &str, max_chars: u32) -> Result<String, JsValue> {
    let Some(s) = value.dyn_ref::<js_sys::JsString>() else {
        return Err(throw(&Error::invalid(
            field,
            format!("expected a string, got {}", type_name(value)),
        )));
    };
    if s.length() > max_chars {
        return Err(throw(&Error::invalid(
            field,
            format!("string of {} characters exceeds {max_chars}", s.length()),
        )));
    }
    Ok(String::from(s))
}

pub(crate) fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if js_sys::Array::is_array(value) {
        "array".into()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

/// Turns a core error into a real JS `Error` with `name: "ZcrmGuardError"`, a stable
/// `code` and `details`.
pub(crate) fn throw(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name("ZcrmGuardError");
    let obj: &JsValue = js.as_ref();
    // Reflect.set on a fresh Error cannot fail; ignore the boolean it returns.
    let _ = js_sys::Reflect::set(obj, &"code".into(), &error.code().into());
    let details = error.details();
    let details = to_js_details(&details);
    let _ = js_sys::Reflect::set(obj, &"details".into(), &details);
    js.into()
}

fn to_js_details(details: &ErrorDetails) -> JsValue {
    to_js(details).unwrap_or(JsValue::NULL)
}

/// The codes a `ZcrmGuardError` can carry, for the type guard and the docs.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> JsResult {
    to_js(Error::ALL_CODES)
}
