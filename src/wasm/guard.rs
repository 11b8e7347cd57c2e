//! Bindings of `crate::guard`: the `Guard` class.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{throw, JsResult};
use crate::catalog::{Operation, RawOperation};
use crate::classify::{ClassifyOptions, Verdict};
use crate::error::{clip, Error};
use crate::guard::{
    self, DecisionLog, GuardState, RawGuardConfig, TokenResponse, MAX_SAFE_INTEGER,
};

/// Longest JSON text accepted for a hot-path argument (an operation or a verdict),
/// in UTF-16 units; checked before the text is copied into wasm memory.
const MAX_ARG_JSON_CHARS: u32 = 16 * 1024 * 1024;

/// The Guard's bindings read and write JSON text instead of walking objects
/// through serde-wasm-bindgen, which costs about half a microsecond per field each
/// way (issue 5, Speed; classify's binding does the same for verdicts), and would
/// instantiate a second (de)serializer for every state type (wasm size). The shape
/// is exactly what `to_js` gives: serde_json writes camelCase keys from the same
/// derives, `null` for `None`, plain objects for maps, numbers for integers.
///
/// `JSON.stringify` is also what `probe` uses to refuse hostile values: its
/// exceptions (throwing getters, Proxies, cycles, BigInt) are caught here.
fn json_arg<T: DeserializeOwned>(value: &JsValue, field: &str) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Err(throw(&Error::invalid(field, "is required")));
    }
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(throw(&Error::invalid(field, "expected an object")));
    }
    let text = js_sys::JSON::stringify(value).map_err(|e| {
        let why = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "it cannot be read".into());
        throw(&Error::invalid(
            field,
            format!("cannot be read as JSON data: {}", clip(&why)),
        ))
    })?;
    if text.length() > MAX_ARG_JSON_CHARS {
        return Err(throw(&Error::invalid(
            field,
            format!(
                "JSON text of {} characters exceeds {MAX_ARG_JSON_CHARS}",
                text.length()
            ),
        )));
    }
    let Some(text) = text.as_string() else {
        return Err(throw(&Error::invalid(field, "cannot be read as JSON data")));
    };
    serde_json::from_str(&text).map_err(|e| throw(&Error::invalid(field, clip(&e.to_string()))))
}

/// Writes a result as JSON text parsed by the engine (see [`json_arg`]).
fn to_js_json<T: Serialize>(value: &T) -> JsResult {
    let text = serde_json::to_string(value)
        .map_err(|e| throw(&Error::invalid("result", e.to_string())))?;
    js_sys::JSON::parse(&text).map_err(|_| throw(&Error::invalid("result", "not JSON")))
}

fn operation_json(value: &JsValue, field: &str) -> Result<Operation, JsValue> {
    let raw: RawOperation = json_arg(value, field)?;
    Operation::try_from(raw).map_err(|e| throw(&e))
}

/// A number argument (time or ticket); anything else is `INVALID_ARGUMENT`.
fn number_arg(value: &JsValue, field: &str) -> Result<f64, JsValue> {
    value
        .as_f64()
        .ok_or_else(|| throw(&Error::invalid(field, "expected a number")))
}

/// A ticket: a whole number in 1..=2^53-1.
fn ticket_arg(value: &JsValue, field: &str) -> Result<u64, JsValue> {
    let v = number_arg(value, field)?;
    if !(v.is_finite() && v.fract() == 0.0 && v >= 1.0 && v <= MAX_SAFE_INTEGER as f64) {
        return Err(throw(&Error::invalid(
            field,
            format!("expected a ticket number, got {v}"),
        )));
    }
    Ok(v as u64)
}

/// Classifies the JS response for `settle`: read by the classify binding's reader
/// (caught property access, size limit before copying), then the core's `classify`
/// with the Guard's clock for HTTP-date `Retry-After` values.
fn classify_response(response: JsValue, op: &Operation, now_ms: f64) -> Result<Verdict, JsValue> {
    let options = ClassifyOptions {
        now_ms: (now_ms.is_finite() && now_ms >= 0.0).then_some(now_ms as u64),
        ..ClassifyOptions::default()
    };
    let read = super::classify::read_response(&response, &options)?;
    crate::classify::classify(&read.response(), Some(op), &options).map_err(|e| throw(&e))
}

/// `new Guard(config)`: the decision engine (see `types/guard.d.ts`).
#[wasm_bindgen(js_name = Guard)]
pub struct JsGuard {
    inner: guard::Guard,
}

#[wasm_bindgen(js_class = Guard)]
impl JsGuard {
    /// `new Guard({ edition, licenses?, … })`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<JsGuard, JsValue> {
        let raw: RawGuardConfig = json_arg(&config, "config")?;
        let inner = guard::Guard::from_raw(raw).map_err(|e| throw(&e))?;
        Ok(JsGuard { inner })
    }

    /// `admit(operation, nowMs, retryOf?)`.
    pub fn admit(&mut self, operation: JsValue, now_ms: JsValue, retry_of: JsValue) -> JsResult {
        let op = operation_json(&operation, "operation")?;
        let now = number_arg(&now_ms, "nowMs")?;
        let retry_of = if retry_of.is_undefined() || retry_of.is_null() {
            None
        } else {
            Some(ticket_arg(&retry_of, "retryOf")?)
        };
        let admission = self
            .inner
            .admit(&op, now, retry_of)
            .map_err(|e| throw(&e))?;
        to_js_json(&admission)
    }

    /// `settle(ticket, response, nowMs)`: classifies the response, then decides.
    pub fn settle(&mut self, ticket: JsValue, response: JsValue, now_ms: JsValue) -> JsResult {
        let t = ticket_arg(&ticket, "ticket")?;
        let now = number_arg(&now_ms, "nowMs")?;
        let op = self
            .inner
            .state()
            .in_flight
            .get(&t)
            .map(|f| f.operation.clone())
            .ok_or_else(|| {
                let state = self.inner.state();
                throw(&if t < state.next_ticket {
                    Error::TicketAlreadySettled { ticket: t }
                } else {
                    Error::UnknownTicket { ticket: t }
                })
            })?;
        let verdict = classify_response(response, &op, now)?;
        let decision = self
            .inner
            .settle_verdict(t, &verdict, now)
            .map_err(|e| throw(&e))?;
        to_js_json(&decision)
    }

    /// `settleVerdict(ticket, verdict, nowMs)`: decides on a verdict already made.
    #[wasm_bindgen(js_name = settleVerdict)]
    pub fn settle_verdict(
        &mut self,
        ticket: JsValue,
        verdict: JsValue,
        now_ms: JsValue,
    ) -> JsResult {
        let t = ticket_arg(&ticket, "ticket")?;
        let verdict: Verdict = json_arg(&verdict, "verdict")?;
        let now = number_arg(&now_ms, "nowMs")?;
        let decision = self
            .inner
            .settle_verdict(t, &verdict, now)
            .map_err(|e| throw(&e))?;
        to_js_json(&decision)
    }

    /// `settleNoResponse(ticket, nowMs, { truncated? })`: the fetch failed or was cut short.
    #[wasm_bindgen(js_name = settleNoResponse)]
    pub fn settle_no_response(
        &mut self,
        ticket: JsValue,
        now_ms: JsValue,
        options: JsValue,
    ) -> JsResult {
        let t = ticket_arg(&ticket, "ticket")?;
        let now = number_arg(&now_ms, "nowMs")?;
        let options: NoResponseOptions = if options.is_undefined() || options.is_null() {
            NoResponseOptions::default()
        } else {
            json_arg(&options, "options")?
        };
        let decision = self
            .inner
            .settle_no_response(t, now, options.truncated)
            .map_err(|e| throw(&e))?;
        to_js_json(&decision)
    }

    /// `tokenRefreshed(nowMs, tokenResponse?)`.
    #[wasm_bindgen(js_name = tokenRefreshed)]
    pub fn token_refreshed(&mut self, now_ms: JsValue, token_response: JsValue) -> JsResult {
        let now = number_arg(&now_ms, "nowMs")?;
        let info = if token_response.is_undefined() || token_response.is_null() {
            None
        } else {
            let r: TokenResponse = json_arg(&token_response, "tokenResponse")?;
            Some(r.into_info().map_err(|e| throw(&e))?)
        };
        let status = self
            .inner
            .token_refreshed(now, info)
            .map_err(|e| throw(&e))?;
        to_js_json(&status)
    }

    /// `snapshot(nowMs)`.
    pub fn snapshot(&self, now_ms: JsValue) -> JsResult {
        let now = number_arg(&now_ms, "nowMs")?;
        to_js_json(&self.inner.snapshot(now).map_err(|e| throw(&e))?)
    }

    /// `toJSON()`: the whole state, a plain object.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsResult {
        to_js_json(self.inner.state())
    }

    /// `Guard.fromJSON(state)`.
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(state: JsValue) -> Result<JsGuard, JsValue> {
        let state: GuardState = json_arg(&state, "state")?;
        let inner = guard::Guard::from_state(state).map_err(|e| throw(&e))?;
        Ok(JsGuard { inner })
    }

    /// `decisionLog()`: `{ start, events }`.
    #[wasm_bindgen(js_name = decisionLog)]
    pub fn decision_log(&self) -> JsResult {
        to_js_json(self.inner.log())
    }

    /// `Guard.replay(log)`: the events a replay of the log produces.
    pub fn replay(log: JsValue) -> JsResult {
        let log: DecisionLog = json_arg(&log, "log")?;
        to_js_json(&guard::replay(&log).map_err(|e| throw(&e))?)
    }
}

/// Options of `settleNoResponse`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct NoResponseOptions {
    /// The body was cut short (an insert's outcome is then unknown).
    truncated: bool,
}
