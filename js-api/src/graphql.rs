//! Bindings of `zcrm_guard::graphql`: `analyzeGraphql(query, variables?, options?)`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::interop::args::{from_json, json_text};
use crate::interop::{is_absent, throw, to_js, type_name, JsResult};
use zcrm_guard::error::Error;
use zcrm_guard::graphql::{self, GraphqlOptions};

/// Longest `variables` or `options` accepted, as JSON text in UTF-16 units (4 MiB).
const MAX_VARIABLES_CHARS: u32 = 4 * 1024 * 1024;

/// An object argument as JSON text (`None` for `undefined` and `null`).
fn object_text(value: &JsValue, field: &str) -> Result<Option<String>, JsValue> {
    if is_absent(value) {
        return Ok(None);
    }
    if !value.is_object() || value.is_function() {
        return Err(throw(&Error::invalid(
            field,
            format!("expected an object, got {}", type_name(value)),
        )));
    }
    json_text(value, field, MAX_VARIABLES_CHARS).map(Some)
}

/// `analyzeGraphql(query, variables?, options?)`: `query` is a string or UTF-8 bytes.
#[wasm_bindgen(js_name = analyzeGraphql)]
pub fn analyze_graphql(query: JsValue, variables: JsValue, options: JsValue) -> JsResult {
    let options: GraphqlOptions = match object_text(&options, "options")? {
        None => GraphqlOptions::default(),
        Some(text) => from_json(&text, "options")?,
    };
    let variables = match object_text(&variables, "variables")? {
        None => None,
        Some(text) => {
            graphql::variables_from_json(from_json(&text, "variables")?).map_err(|e| throw(&e))?
        }
    };
    let limit = options.max_query_bytes;
    let too_large = |size: u32| {
        throw(&Error::QueryTooLarge {
            size: size as usize,
            limit: limit as usize,
        })
    };
    let analysis = if let Some(text) = query.dyn_ref::<js_sys::JsString>() {
        // A UTF-8 byte per UTF-16 unit at least: refuse before copying.
        if text.length() > limit {
            return Err(too_large(text.length()));
        }
        graphql::analyze_graphql(&String::from(text), variables.as_ref(), &options)
    } else if let Some(bytes) = query.dyn_ref::<js_sys::Uint8Array>() {
        if bytes.length() > limit {
            return Err(too_large(bytes.length()));
        }
        graphql::analyze_graphql_bytes(&bytes.to_vec(), variables.as_ref(), &options)
    } else {
        return Err(throw(&Error::invalid(
            "query",
            format!(
                "expected a string or a Uint8Array, got {}",
                type_name(&query)
            ),
        )));
    };
    to_js(&analysis.map_err(|e| throw(&e))?)
}
