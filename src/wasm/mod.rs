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

/// The package's one serializer configuration: plain objects for maps, `null` for
/// absent optional values (never `undefined`), numbers for 64-bit integers.
const SERIALIZER: serde_wasm_bindgen::Serializer =
    serde_wasm_bindgen::Serializer::json_compatible();

/// What every export returns: a value, or a thrown `ZcrmGuardError`.
pub(crate) type JsResult = Result<JsValue, JsValue>;

/// Serializes a result for JavaScript.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> JsResult {
    value
        .serialize(&SERIALIZER)
        .map_err(|e| throw(&Error::invalid("result", e.to_string())))
}

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

/// Deserializes a required object argument. A plain object is checked for first (not
/// an array, function or primitive), so a 100 MB string is refused without a copy.
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
    probe(&value, field)?;
    if js_sys::Array::is_array(&value) {
        return Err(throw(&Error::invalid(
            field,
            "expected an object, got array",
        )));
    }
    deserialize(value, field)
}

/// Reads a value once with `JSON.stringify`, whose exceptions wasm-bindgen catches.
///
/// serde-wasm-bindgen reads objects through imports that do not catch, so a getter
/// or a Proxy that throws would unwind through wasm frames and leave the instance
/// broken (a later call traps). Cycles, BigInts, throwing getters and revoked or
/// hostile Proxies are refused here, before serde touches the value.
pub(crate) fn probe(value: &JsValue, field: &str) -> Result<(), JsValue> {
    js_sys::JSON::stringify(value).map(drop).map_err(|e| {
        let why = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "it cannot be read".into());
        throw(&Error::invalid(
            field,
            format!("cannot be read as JSON data: {}", clip_message(&why)),
        ))
    })
}

/// Deserializes any value through the one deserializer (after [`probe`]). Serde's
/// messages echo the offending value, which may be huge: they are clipped.
pub(crate) fn deserialize<T: DeserializeOwned>(value: JsValue, field: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| throw(&Error::invalid(field, clip_message(&e.to_string()))))
}

/// Longest serde message kept in an error, in characters.
const MAX_MESSAGE_CHARS: usize = 300;

fn clip_message(message: &str) -> String {
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
    details.serialize(&SERIALIZER).unwrap_or(JsValue::NULL)
}

/// The codes a `ZcrmGuardError` can carry, for the type guard and the docs.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> JsResult {
    to_js(Error::ALL_CODES)
}
