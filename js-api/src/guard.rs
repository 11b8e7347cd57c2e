//! Bindings of `zcrm_guard::guard`: the `Guard` class.

use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::interop::args::{
    json_arg, number_arg, operation_arg, optional_arg, optional_json_arg, ticket_arg,
};
use crate::interop::response::read_response;
use crate::interop::verdict::decision_to_js;
use crate::interop::{is_absent, throw, to_js, JsResult};
use zcrm_guard::classify::{ClassifyOptions, Verdict};
use zcrm_guard::guard::{
    self, DecisionLog, GuardState, RawGuardConfig, TokenFailure, TokenResponse,
};

/// Options of `settleNoResponse`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct NoResponseOptions {
    /// The body was cut short (an insert's outcome is then unknown).
    truncated: bool,
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
        let op = operation_arg(&operation, "operation")?;
        let now = number_arg(&now_ms, "nowMs")?;
        let retry_of = if is_absent(&retry_of) {
            None
        } else {
            Some(ticket_arg(&retry_of, "retryOf")?)
        };
        to_js(
            &self
                .inner
                .admit(&op, now, retry_of)
                .map_err(|e| throw(&e))?,
        )
    }

    /// `settle(ticket, response, nowMs)`: classifies the response, then decides; the
    /// decision's verdict crosses once, its records as rows (see `interop::verdict`).
    pub fn settle(&mut self, ticket: JsValue, response: JsValue, now_ms: JsValue) -> JsResult {
        let ticket = ticket_arg(&ticket, "ticket")?;
        let now = number_arg(&now_ms, "nowMs")?;
        let read = read_response(&response, &ClassifyOptions::default())?;
        let (decision, records) = self
            .inner
            .settle_lean(ticket, &read.response(), now)
            .map_err(|e| throw(&e))?;
        decision_to_js(&decision, &records, &read)
    }

    /// `settleVerdict(ticket, verdict, nowMs)`: decides on a verdict already made.
    #[wasm_bindgen(js_name = settleVerdict)]
    pub fn settle_verdict(
        &mut self,
        ticket: JsValue,
        verdict: JsValue,
        now_ms: JsValue,
    ) -> JsResult {
        let ticket = ticket_arg(&ticket, "ticket")?;
        let verdict: Verdict = json_arg(&verdict, "verdict")?;
        let now = number_arg(&now_ms, "nowMs")?;
        let decision = self
            .inner
            .settle_verdict(ticket, &verdict, now)
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
        let ticket = ticket_arg(&ticket, "ticket")?;
        let now = number_arg(&now_ms, "nowMs")?;
        let options: NoResponseOptions = optional_arg(&options, "options")?;
        let decision = self
            .inner
            .settle_no_response(ticket, now, options.truncated)
            .map_err(|e| throw(&e))?;
        to_js(&decision)
    }

    /// `tokenRefreshed(nowMs, tokenResponse?)`.
    #[wasm_bindgen(js_name = tokenRefreshed)]
    pub fn token_refreshed(&mut self, now_ms: JsValue, token_response: JsValue) -> JsResult {
        let now = number_arg(&now_ms, "nowMs")?;
        let info = optional_json_arg::<TokenResponse>(&token_response, "tokenResponse")?
            .map(TokenResponse::into_info)
            .transpose()
            .map_err(|e| throw(&e))?;
        to_js(
            &self
                .inner
                .token_refreshed(now, info)
                .map_err(|e| throw(&e))?,
        )
    }

    /// `tokenRefreshFailed(nowMs, { error?, status?, message? })`: the refresh failed;
    /// `{ action: 'retry' | 'give_up', delayMs, reason, delayBasis, failures }`.
    #[wasm_bindgen(js_name = tokenRefreshFailed)]
    pub fn token_refresh_failed(&mut self, now_ms: JsValue, failure: JsValue) -> JsResult {
        let now = number_arg(&now_ms, "nowMs")?;
        let failure: TokenFailure = optional_arg(&failure, "failure")?;
        to_js(
            &self
                .inner
                .token_refresh_failed(now, &failure)
                .map_err(|e| throw(&e))?,
        )
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
