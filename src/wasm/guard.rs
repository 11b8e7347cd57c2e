//! Bindings of `crate::guard`: the `Guard` class.

use wasm_bindgen::prelude::*;

use super::{json_arg, throw, to_js, JsResult};
use crate::catalog::{Operation, RawOperation};
use crate::classify::{ClassifyOptions, Verdict};
use crate::error::Error;
use crate::guard::{
    self, DecisionLog, GuardState, RawGuardConfig, TokenResponse, MAX_SAFE_INTEGER,
};

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
        to_js(&admission)
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
        to_js(&decision)
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
        to_js(&decision)
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
        to_js(&decision)
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
        to_js(&status)
    }

    /// `snapshot(nowMs)`.
    pub fn snapshot(&self, now_ms: JsValue) -> JsResult {
        let now = number_arg(&now_ms, "nowMs")?;
        to_js(&self.inner.snapshot(now).map_err(|e| throw(&e))?)
    }

    /// `toJSON()`: the whole state, a plain object.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsResult {
        to_js(self.inner.state())
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
        to_js(self.inner.log())
    }

    /// `Guard.replay(log)`: the events a replay of the log produces.
    pub fn replay(log: JsValue) -> JsResult {
        let log: DecisionLog = json_arg(&log, "log")?;
        to_js(&guard::replay(&log).map_err(|e| throw(&e))?)
    }
}

/// Options of `settleNoResponse`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct NoResponseOptions {
    /// The body was cut short (an insert's outcome is then unknown).
    truncated: bool,
}
