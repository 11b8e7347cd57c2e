//! `errorCodes()`.

use wasm_bindgen::prelude::*;

use crate::interop::{to_js, JsResult};
use zcrm_guard::error::Error;

/// The codes a `ZcrmGuardError` can carry, for the type guard and the docs.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> JsResult {
    to_js(Error::ALL_CODES)
}
