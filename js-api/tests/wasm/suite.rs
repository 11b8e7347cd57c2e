//! The wasm-bindgen-test suite: the bindings exercised through real JS values, in
//! Node (`js-api/tests/wasm_node.rs`) and in headless Chromium (`js-api/tests/wasm_browser.rs`).
//! Each capability adds its own file below.

#[path = "catalog.rs"]
mod catalog;
#[path = "classify.rs"]
mod classify;
#[path = "graphql.rs"]
mod graphql;
#[path = "guard.rs"]
mod guard;
#[path = "keys.rs"]
mod keys;
#[path = "validate.rs"]
mod validate;

use wasm_bindgen::{JsCast, JsValue};

/// Reads `obj[key]` (a dotted path).
pub fn get(obj: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(obj.clone(), |o, k| {
        js_sys::Reflect::get(&o, &JsValue::from_str(k)).unwrap()
    })
}

/// A JS object from JSON text.
pub fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

/// Asserts a thrown value is a `ZcrmGuardError` with `code`.
pub fn assert_code(result: Result<JsValue, JsValue>, code: &str) {
    let err = result.expect_err("expected a ZcrmGuardError");
    let err: &js_sys::Error = err.dyn_ref().expect("a real JS Error");
    assert_eq!(String::from(err.name()), "ZcrmGuardError");
    assert_eq!(get(err, "code").as_string().as_deref(), Some(code));
}
