//! Batches out (`planBatches`, `validateAndPlan`, `planComposite`, `splitBatch`) and
//! back in (`splitBatch`): indices as one typed-array copy, bodies as objects or as
//! ready-to-send JSON text (`options.as`).

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::args::{optional_arg, required_arg, string_arg};
use super::records::MAX_TEXT_CHARS;
use super::{is_absent, set, throw, to_js, JsResult};
use zcrm_guard::batch::Batch;
use zcrm_guard::catalog::{CostOverrides, OperationKind};
use zcrm_guard::error::Error;

/// `options.as`: bodies as objects (default) or as ready-to-send JSON text.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Output {
    #[serde(rename = "as")]
    form: Option<String>,
}

/// The key `options.as` adds to the options of the planning exports.
pub const AS: &[&str] = &["as"];

/// Whether `options.as` asks for bodies as text.
pub fn as_text(options: &JsValue) -> Result<bool, JsValue> {
    let out: Output = optional_arg(options, "options")?;
    match out.form.as_deref() {
        None | Some("object") => Ok(false),
        Some("text") => Ok(true),
        Some(other) => Err(throw(&Error::invalid(
            "options.as",
            format!("{other:?} is not \"object\" or \"text\""),
        ))),
    }
}

/// The fields of a batch that go through the serializer; `indices` and `body` are set
/// directly (a typed-array copy and one string or `JSON.parse` each).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BatchOut<'a> {
    kind: OperationKind,
    ids: &'a Option<Vec<String>>,
    credits: u32,
    complex: bool,
}

/// Indices as a JS array: one copy into a `Uint32Array`, then `Array.from`, instead of
/// one boundary crossing per number.
pub fn indices_to_js(indices: &[usize]) -> JsValue {
    let v: Vec<u32> = indices
        .iter()
        .map(|&i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect();
    js_sys::Array::from(&js_sys::Uint32Array::from(v.as_slice())).into()
}

fn batch_to_js(batch: &Batch, text: bool) -> JsResult {
    let obj = to_js(&BatchOut {
        kind: batch.kind,
        ids: &batch.ids,
        credits: batch.credits,
        complex: batch.complex,
    })?;
    set(&obj, "indices", &indices_to_js(&batch.indices));
    let body = match &batch.body {
        None => JsValue::NULL,
        Some(b) if text => JsValue::from_str(b),
        Some(b) => {
            js_sys::JSON::parse(b).map_err(|_| throw(&Error::invalid("body", "not JSON")))?
        }
    };
    set(&obj, "body", &body);
    Ok(obj)
}

/// Batches as a JS array, bodies as objects or text.
pub fn batches_to_js(batches: &[Batch], text: bool) -> JsResult {
    let arr = js_sys::Array::new_with_length(u32::try_from(batches.len()).unwrap_or(u32::MAX));
    for (i, b) in batches.iter().enumerate() {
        arr.set(u32::try_from(i).unwrap_or(u32::MAX), batch_to_js(b, text)?);
    }
    Ok(arr.into())
}

#[derive(Debug, Deserialize)]
struct BatchIn {
    kind: OperationKind,
    indices: Vec<usize>,
    #[serde(default)]
    ids: Option<Vec<String>>,
}

/// A batch handed back by the caller (for `splitBatch`), and whether its body was text.
pub struct BatchBack {
    /// The batch (credits and pool are recomputed by the core).
    pub batch: Batch,
    /// The body was a string: the halves' bodies are strings too.
    pub text: bool,
}

/// Reads a batch as `planBatches` gave it out.
pub fn batch_arg(value: &JsValue, field: &str) -> Result<BatchBack, JsValue> {
    let body = if value.is_object() {
        js_sys::Reflect::get(value, &"body".into()).unwrap_or(JsValue::NULL)
    } else {
        JsValue::NULL
    };
    let text = body.is_string();
    let body_text = if is_absent(&body) {
        None
    } else if text {
        Some(string_arg(&body, "batch.body", MAX_TEXT_CHARS)?)
    } else {
        let s = js_sys::JSON::stringify(&body)
            .map_err(|_| throw(&Error::invalid("batch.body", "not JSON")))?;
        Some(String::from(s))
    };
    let b: BatchIn = required_arg(value, field)?;
    Ok(BatchBack {
        batch: Batch {
            kind: b.kind,
            indices: b.indices,
            body: body_text,
            ids: b.ids,
            credits: 0,
            complex: false,
        },
        text,
    })
}

/// `splitBatch`'s options.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SplitOptions {
    /// Credit cost overrides for the halves.
    pub cost_overrides: Option<CostOverrides>,
}
