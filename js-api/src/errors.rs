//! `errorCodes()` and `errorCatalog()`: the one catalog of codes, the core's and the
//! JavaScript client's (see `zcrm_guard::error::catalog`).

use wasm_bindgen::prelude::*;

use crate::interop::{to_js, JsResult};
use zcrm_guard::error::catalog;

/// Every code the package raises: thrown by any export (core and client), or written
/// by the client into a write job's per-record results.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> JsResult {
    to_js(&catalog::codes().collect::<Vec<_>>())
}

/// The same codes with their meaning, who raises them and how (`thrown` or `result`).
#[wasm_bindgen(js_name = errorCatalog)]
pub fn error_catalog() -> JsResult {
    to_js(catalog::CATALOG)
}
