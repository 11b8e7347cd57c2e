//! Every JavaScript wire shape, in one place: how arguments are read, how results
//! and errors are written. The exports beside this module read their arguments
//! here, call one core function and write its result here; the core knows no JS.
//!
//! Reading rule: every JS argument is read once, as JSON text, by a caught
//! `JSON.stringify` (see `js/wire.js`), then parsed by serde_json. A throwing getter,
//! a Proxy, a cycle or a BigInt thus becomes an error value, never an unwind through
//! wasm frames (which would leave the instance broken), and serde_json's depth limit
//! turns a deeply nested value into a typed error instead of a stack overflow.
//!
//! Writing rule: results cross as JSON text written by serde_json (camelCase keys
//! from the derives, `null` for absent values, plain objects for maps) and parsed by
//! the engine's `JSON.parse`: measured faster than building objects one property at
//! a time through the boundary, and smaller in wasm.

pub mod args;
pub mod batches;
pub mod keys;
pub mod merge;
pub mod records;
pub mod response;
pub mod verdict;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use zcrm_guard::error::Error;

/// What every export returns: a value, or a thrown `ZcrmGuardError`.
pub type JsResult = Result<JsValue, JsValue>;

/// Serializes a result for JavaScript: the package's one serializer configuration.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsResult {
    let text = serde_json::to_string(value)
        .map_err(|e| throw(&Error::invalid("result", clip_message(&e.to_string()))))?;
    js_sys::JSON::parse(&text).map_err(|_| throw(&Error::invalid("result", "not JSON")))
}

/// Sets `obj[key] = value` on an object this module just created.
pub fn set(obj: &JsValue, key: &str, value: &JsValue) {
    // Reflect.set on a fresh plain object cannot fail; ignore the boolean it returns.
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str(key), value);
}

/// Turns a core error into a real JS `Error` with `name: "ZcrmGuardError"`, a stable
/// `code` and `details`.
pub fn throw(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name("ZcrmGuardError");
    let obj: &JsValue = js.as_ref();
    set(obj, "code", &error.code().into());
    set(
        obj,
        "details",
        &to_js(&error.details()).unwrap_or(JsValue::NULL),
    );
    js.into()
}

/// Longest serde message kept in an error, in characters (serde echoes values).
const MAX_MESSAGE_CHARS: usize = 300;

/// A message cut to [`MAX_MESSAGE_CHARS`].
pub fn clip_message(message: &str) -> String {
    match message.char_indices().nth(MAX_MESSAGE_CHARS) {
        None => message.to_owned(),
        Some((cut, _)) => format!("{}…", message.get(..cut).unwrap_or_default()),
    }
}

/// The JS type of a value, for error messages (`array` and `null` told apart).
pub fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if js_sys::Array::is_array(value) {
        "array".into()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

/// Whether an optional argument was left out.
pub fn is_absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}
