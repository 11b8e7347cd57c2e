//! Reading a response (`{ status, headers?, body?, error? }`) for `classify` and the
//! Guard's `settle`: properties through `Reflect.get` (caught), headers through a caught
//! helper, sizes checked before any copy, strings copied by the engine's encoder.

use std::borrow::Cow;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::args::string_arg;
use super::throw;
use zcrm_guard::classify::{Body, ClassifyOptions, NetworkError, Response};
use zcrm_guard::error::Error;

#[wasm_bindgen(module = "/js/wire.js")]
extern "C" {
    /// Headers (object, pairs, `Headers`, `Map`) as one JSON text of a flat
    /// `[name, value, …]` array of strings (integers as their text): one string crosses,
    /// not two per header. Throws on a malformed entry, a non-string, a text over its
    /// bound or past `max` pairs. Caught: a hostile getter or Proxy must not unwind
    /// through wasm frames.
    #[wasm_bindgen(catch, js_name = headerText)]
    fn header_text(
        headers: &JsValue,
        max: u32,
        max_name: u32,
        max_value: u32,
    ) -> Result<js_sys::JsString, JsValue>;

    /// `TextEncoder.encodeInto(text, dest)` as `[read, written]`.
    #[wasm_bindgen(js_name = encodeInto)]
    fn encode_into(text: &js_sys::JsString, dest: &mut [u8]) -> js_sys::Array;
}

/// A JS string as UTF-8, copied by the engine's native encoder: wasm-bindgen's own
/// string passing copies ASCII one character at a time in JavaScript, which cost a
/// fifth of `classify` on a 26 kB body. Room for the ASCII case first; the rest,
/// if any, at up to 3 bytes per UTF-16 unit.
pub fn utf8_of(text: &js_sys::JsString) -> (String, bool) {
    let units = usize::try_from(text.length()).unwrap_or(usize::MAX);
    let mut buf = vec![0u8; units];
    let counts = |a: &js_sys::Array| {
        let n = |i| a.get(i).as_f64().map_or(0, |f| f as usize);
        (n(0), n(1))
    };
    let (read, mut written) = counts(&encode_into(text, &mut buf));
    // One byte per UTF-16 unit throughout: the text is ASCII.
    let ascii = read == units && written == units;
    if read < units {
        let rest = text.slice(u32::try_from(read).unwrap_or(u32::MAX), text.length());
        buf.resize(written.saturating_add((units - read).saturating_mul(3)), 0);
        let tail = buf.get_mut(written..).unwrap_or_default();
        written = written.saturating_add(counts(&encode_into(&rest, tail)).1);
    }
    buf.truncate(written);
    // encodeInto writes well-formed UTF-8 (lone surrogates become U+FFFD).
    (String::from_utf8(buf).unwrap_or_default(), ascii)
}

/// Most headers read from one response.
const MAX_HEADERS: u32 = 1_000;
/// Longest header name, in UTF-16 units.
const MAX_HEADER_NAME_CHARS: u32 = 256;
/// Longest header value, in UTF-16 units.
const MAX_HEADER_VALUE_CHARS: u32 = 16_384;
/// Longest network error name or message copied in.
const MAX_ERROR_CHARS: u32 = 4_096;
fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A JS response read into owned parts, for `classify` and the Guard's `settle`.
pub struct ReadResponse {
    status: u16,
    headers: Vec<HeaderPair>,
    network_error: Option<NetworkError>,
    /// The body as UTF-8 text (a string, or the JSON of a parsed value).
    pub text: Option<String>,
    /// The body as bytes (`Uint8Array`, `ArrayBuffer`, views).
    pub bytes: Option<Vec<u8>>,
    /// The JS value record spans point into.
    pub source: JsValue,
    /// Byte offsets are UTF-16 offsets (ASCII text).
    pub ascii: bool,
}

impl ReadResponse {
    /// The core's view of it.
    pub fn response(&self) -> Response<'_> {
        let body = match (&self.text, &self.bytes) {
            (Some(t), _) => Body::Text(t),
            (None, Some(b)) => Body::Bytes(b),
            (None, None) => Body::None,
        };
        Response {
            status: self.status,
            headers: self.headers.clone(),
            body,
            network_error: self.network_error.clone(),
        }
    }
}

/// Reads `{ status, headers?, body?, error? }` from JavaScript. Properties are read
/// with `Reflect.get` (caught) and headers through a caught helper, so a hostile
/// getter or Proxy cannot unwind through wasm frames.
pub fn read_response(
    response: &JsValue,
    options: &ClassifyOptions,
) -> Result<ReadResponse, JsValue> {
    if !response.is_object() {
        return Err(throw(&Error::invalid(
            "response",
            "expected an object { status, headers?, body? }",
        )));
    }
    let status = status_arg(&get(response, "status"))?;
    let headers = headers_arg(&get(response, "headers"))?;
    let network_error = network_error_arg(&get(response, "error"))?;
    let body = get(response, "body");

    // The body as text or bytes, and the JS value the record spans point into.
    // `ascii`: byte offsets are UTF-16 offsets (known for free from encodeInto).
    let (text, bytes, source, ascii) = if body.is_undefined() || body.is_null() {
        (None, None, JsValue::NULL, true)
    } else if let Some(s) = body.dyn_ref::<js_sys::JsString>() {
        check_js_length(s.length(), options)?;
        let (text, ascii) = utf8_of(s);
        (Some(text), None, body.clone(), ascii)
    } else if let Some(bytes) = bytes_of(&body) {
        check_js_length(bytes.length(), options)?;
        let vec = bytes.to_vec();
        let source = js_sys::Uint8Array::from(vec.as_slice());
        (None, Some(vec), source.into(), true)
    } else {
        // An already parsed value: its JSON text is what the spans point into.
        let s = js_sys::JSON::stringify(&body).map_err(|_| {
            throw(&Error::invalid(
                "response.body",
                "cannot be converted to JSON (cyclic or BigInt)",
            ))
        })?;
        check_js_length(s.length(), options)?;
        let (text, ascii) = utf8_of(&s);
        (Some(text), None, s.into(), ascii)
    };
    Ok(ReadResponse {
        status,
        headers,
        network_error,
        text,
        bytes,
        source,
        ascii,
    })
}

fn check_js_length(units: u32, options: &ClassifyOptions) -> Result<(), JsValue> {
    // A string of n UTF-16 units has at least n UTF-8 bytes: refuse before copying.
    let size = usize::try_from(units).unwrap_or(usize::MAX);
    if size > options.max_body_bytes {
        return Err(throw(&Error::BodyTooLarge {
            size,
            limit: options.max_body_bytes,
        }));
    }
    Ok(())
}

fn bytes_of(body: &JsValue) -> Option<js_sys::Uint8Array> {
    if let Some(u8s) = body.dyn_ref::<js_sys::Uint8Array>() {
        return Some(u8s.clone());
    }
    if let Some(buf) = body.dyn_ref::<js_sys::ArrayBuffer>() {
        return Some(js_sys::Uint8Array::new(buf));
    }
    if js_sys::ArrayBuffer::is_view(body) {
        let buffer = get(body, "buffer");
        let offset = get(body, "byteOffset").as_f64().unwrap_or(0.0);
        let length = get(body, "byteLength").as_f64().unwrap_or(0.0);
        return Some(js_sys::Uint8Array::new_with_byte_offset_and_length(
            &buffer,
            offset as u32,
            length as u32,
        ));
    }
    None
}

fn status_arg(value: &JsValue) -> Result<u16, JsValue> {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=999.0).contains(&n) => Ok(n as u16),
        _ => Err(throw(&Error::invalid(
            "response.status",
            "expected an integer HTTP status from 0 to 999 (0: no response)",
        ))),
    }
}

type HeaderPair = (Cow<'static, str>, Cow<'static, str>);

/// Headers as a plain object, an array of pairs, or any iterable of pairs (`Headers`, `Map`).
fn headers_arg(value: &JsValue) -> Result<Vec<HeaderPair>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if !value.is_object() {
        return Err(throw(&Error::invalid(
            "response.headers",
            "expected an object, an array of pairs or a Headers instance",
        )));
    }
    let text = header_text(
        value,
        MAX_HEADERS,
        MAX_HEADER_NAME_CHARS,
        MAX_HEADER_VALUE_CHARS,
    )
    .map_err(|e| {
        let why = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "cannot be read".into());
        throw(&Error::invalid(
            "response.headers",
            zcrm_guard::error::clip(&why),
        ))
    })?;
    let (text, _) = utf8_of(&text);
    let flat: Vec<String> = serde_json::from_str(&text)
        .map_err(|e| throw(&Error::invalid("response.headers", e.to_string())))?;
    let mut out = Vec::with_capacity(flat.len() / 2);
    let mut flat = flat.into_iter();
    while let (Some(name), Some(value)) = (flat.next(), flat.next()) {
        out.push((Cow::Owned(name), Cow::Owned(value)));
    }
    Ok(out)
}

fn network_error_arg(value: &JsValue) -> Result<Option<NetworkError>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if !value.is_object() {
        return Err(throw(&Error::invalid(
            "response.error",
            "expected an Error or { name, message }",
        )));
    }
    let text = |key: &str| -> Result<String, JsValue> {
        let v = get(value, key);
        if v.is_undefined() || v.is_null() {
            Ok(String::new())
        } else {
            string_arg(&v, &format!("response.error.{key}"), MAX_ERROR_CHARS)
        }
    };
    Ok(Some(NetworkError {
        name: text("name")?,
        message: text("message")?,
    }))
}
