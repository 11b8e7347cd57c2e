//! Bindings of `crate::graphql`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{throw, to_js, type_name, JsResult};
use crate::error::Error;
use crate::graphql::{self, GraphqlOptions};

/// Longest `variables` or `options` accepted, as JSON text in UTF-16 units (4 MiB).
const MAX_VARIABLES_CHARS: u32 = 4 * 1024 * 1024;

/// A JS value as JSON text, via `JSON.stringify` (drops `undefined` members, refuses
/// cycles, BigInt and oversized input); `None` for `undefined` and `null`.
fn json_text(value: &JsValue, field: &str) -> Result<Option<String>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let invalid = |reason: String| throw(&Error::invalid(field, reason));
    if !value.is_object() || value.is_function() {
        return Err(invalid(format!(
            "expected an object, got {}",
            type_name(value)
        )));
    }
    let json: JsValue = js_sys::JSON::stringify(value)
        .map_err(|e| {
            let reason = js_sys::Error::from(e).message();
            invalid(format!(
                "not serializable to JSON: {}",
                String::from(reason)
            ))
        })?
        .into();
    // `JSON.stringify` answers `undefined` for values it cannot represent.
    let Some(json) = json.dyn_ref::<js_sys::JsString>() else {
        return Err(invalid("not representable as JSON".into()));
    };
    if json.length() > MAX_VARIABLES_CHARS {
        return Err(invalid(format!(
            "JSON of {} characters exceeds {MAX_VARIABLES_CHARS}",
            json.length()
        )));
    }
    Ok(Some(String::from(json)))
}

/// `options`: read as JSON so that serde sees every key and `deny_unknown_fields`
/// turns a misspelt option into `INVALID_ARGUMENT` (serde-wasm-bindgen only reads
/// the declared fields of a struct).
fn options_arg(value: &JsValue) -> Result<GraphqlOptions, JsValue> {
    match json_text(value, "options")? {
        None => Ok(GraphqlOptions::default()),
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| throw(&Error::invalid("options", e.to_string()))),
    }
}

/// `variables`: a plain object, `null` or `undefined`; read through `JSON.stringify`
/// so that a deeply nested or cyclic object becomes `INVALID_ARGUMENT` (serde_json
/// caps nesting at 128) instead of exhausting the wasm stack.
fn variables_arg(
    value: &JsValue,
) -> Result<Option<serde_json::Map<String, serde_json::Value>>, JsValue> {
    let Some(text) = json_text(value, "variables")? else {
        return Ok(None);
    };
    let parsed: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| throw(&Error::invalid("variables", e.to_string())))?;
    graphql::variables_from_json(parsed).map_err(|e| throw(&e))
}

/// `analyzeGraphql(query, variables?, options?)`: `query` is a string or UTF-8 bytes.
#[wasm_bindgen(js_name = analyzeGraphql)]
pub fn analyze_graphql(query: JsValue, variables: JsValue, options: JsValue) -> JsResult {
    let options = options_arg(&options)?;
    let variables = variables_arg(&variables)?;
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
