//! The Guard: a deterministic decision engine asked before each call ("may I send
//! this now?") and after each reply ("what now?").
//!
//! Time and a seed are inputs; the state serializes (`GuardState`) so that it can
//! live in a Durable Object, KV or localStorage; every call that changes the state
//! is recorded in a [`DecisionLog`] that [`replay`] re-runs bit for bit. A call
//! that fails with an error changes nothing.
//!
//! Time: `nowMs` must be a finite, non-negative number of ms (at most 2^53 - 1);
//! fractions are dropped; a time earlier than one already seen is clamped to it
//! (time never goes backwards inside the Guard).
//!
//! Waits: every `delayMs` and `waitMs` is at most [`MAX_WAIT_MS`] (2^31 - 1, what a
//! JavaScript timer holds). A Retry-After above `retry.maxRetryAfterMs` is given up on.
//!
//! Patience: an operation with `patient: true` (a write job's) is never ended by a
//! transient outcome: no attempts cap unless its own, an open breaker or a spent budget
//! waited out (see `patience.rs`). A non-idempotent write whose outcome is unknown (no
//! response, 408, any 5xx, an unreadable or short 2xx) is always verified, never resent.

mod admit;
mod aimd;
mod backoff;
mod breaker;
mod budget;
pub mod config;
mod decision;
#[cfg(feature = "ts")]
mod decision_ts;
pub mod facts;
mod ledger;
mod log;
mod patience;
mod refresh;
mod retry;
mod rules;
mod settle;
mod snapshot;
mod state;
mod tokens;

pub use crate::MAX_WAIT_MS;
pub use backoff::{ceiling, full_jitter, Jitter, JitterState};
pub use breaker::BreakerState;
pub use budget::{PerClass, RetryClass};
pub use config::{
    AmbiguousInsert, BreakerConfig, BudgetConfig, GuardConfig, RawGuardConfig, RetryAfterPolicy,
    RetryAfterScope, RetryConfig, DEFAULT_LOG_CAPACITY, DEFAULT_LOG_MAX_BYTES, MAX_SAFE_INTEGER,
};
pub use decision::*;
#[cfg(feature = "ts")]
pub use decision_ts::{DecisionStep, DecisionView};
pub use facts::{FailedRun, VerdictFacts};
pub use ledger::Ledger;
pub use log::{ranges, replay, DecisionLog, LogEvent, LoggedDecision};
pub use refresh::{TokenFailure, TokenFailureDecision, TOKEN_RETRY_BASE_MS};
pub use snapshot::Snapshot;
pub use state::{Breakers, GuardState, InFlight, Pending, Request, STATE_VERSION};
pub use tokens::{TokenInfo, TokenResponse, TokenState, TokenStatus};

use crate::catalog::Operation;
use crate::classify::{self, Body, Classified, ClassifyOptions, LeanRecord, Verdict};
use crate::error::{Error, Result};

/// The Guard: state plus its decision log.
#[derive(Debug, Clone, PartialEq)]
pub struct Guard {
    state: GuardState,
    log: DecisionLog,
}

/// Checks a JavaScript time: finite, non-negative, at most 2^53 - 1; fractions dropped.
pub fn check_time(now_ms: f64, field: &str) -> Result<u64> {
    if !now_ms.is_finite() || now_ms < 0.0 || now_ms > MAX_SAFE_INTEGER as f64 {
        return Err(Error::invalid(
            field,
            format!("expected a finite time in ms within 0..=2^53-1, got {now_ms}"),
        ));
    }
    Ok(now_ms as u64)
}

impl Guard {
    /// A Guard from a checked configuration.
    pub fn new(config: GuardConfig) -> Self {
        let state = GuardState::new(config);
        Guard {
            log: DecisionLog::starting_at(&state),
            state,
        }
    }

    /// A Guard from a raw configuration.
    pub fn from_raw(raw: RawGuardConfig) -> Result<Self> {
        Ok(Guard::new(GuardConfig::from_raw(raw)?))
    }

    /// A Guard restored from its state; the log restarts at that state.
    pub fn from_state(state: GuardState) -> Result<Self> {
        state.check()?;
        Ok(Guard {
            log: DecisionLog::starting_at(&state),
            state,
        })
    }

    /// The state (what `toJSON` gives).
    pub fn state(&self) -> &GuardState {
        &self.state
    }

    /// The decision log since the Guard was created, restored or the log restarted.
    pub fn log(&self) -> &DecisionLog {
        &self.log
    }

    fn time(&self, now_ms: f64) -> Result<u64> {
        Ok(check_time(now_ms, "nowMs")?.max(self.state.now))
    }

    fn advance(&mut self, now: u64) {
        self.state.advance(now);
    }

    /// `admit(operation, nowMs, retryOf?)`: may this call go now?
    pub fn admit(
        &mut self,
        op: &Operation,
        now_ms: f64,
        retry_of: Option<u64>,
    ) -> Result<Admission> {
        let now = self.time(now_ms)?;
        let result = self.admit_at(op, now, retry_of)?;
        if !self.log.keeps(&self.state) {
            return Ok(result);
        }
        self.log.record(
            &self.state,
            LogEvent::Admit {
                operation: op.clone(),
                now_ms: now,
                retry_of,
                result: result.clone(),
            },
        );
        Ok(result)
    }

    /// `tokenRefreshed(nowMs, tokenResponse?)`: a new token generation.
    pub fn token_refreshed(&mut self, now_ms: f64, info: Option<TokenInfo>) -> Result<TokenStatus> {
        let now = self.time(now_ms)?;
        self.advance(now);
        let info = info.unwrap_or_default();
        self.state.token.refreshed(now, &info);
        let status = self.state.token.status(now);
        self.log.record(
            &self.state,
            LogEvent::TokenRefreshed {
                now_ms: now,
                token: info,
                result: status.clone(),
            },
        );
        Ok(status)
    }

    /// `tokenRefreshFailed(nowMs, failure)`: the refresh asked for failed; what the
    /// token endpoint's answer means, and how long every caller waits (see
    /// [`TokenFailureDecision`]). The failure counts against the rate limit.
    pub fn token_refresh_failed(
        &mut self,
        now_ms: f64,
        failure: &TokenFailure,
    ) -> Result<TokenFailureDecision> {
        let now = self.time(now_ms)?;
        self.advance(now);
        let failure = failure.clipped();
        let decision = self.state.refresh_failed(now, &failure);
        self.log.record(
            &self.state,
            LogEvent::TokenRefreshFailed {
                now_ms: now,
                failure,
                result: decision.clone(),
            },
        );
        Ok(decision)
    }

    /// `snapshot(nowMs)`: the figures the Guard decides on. Read-only (time is not committed).
    pub fn snapshot(&self, now_ms: f64) -> Result<Snapshot> {
        Ok(self.state.snapshot(self.time(now_ms)?))
    }

    /// `settle(ticket, response, nowMs)`: classifies the response (for the operation
    /// the ticket was admitted with, the caller's clock reading an HTTP-date
    /// `Retry-After`), then decides as [`Guard::settle_verdict`].
    pub fn settle(
        &mut self,
        ticket: u64,
        response: &classify::Response<'_>,
        now_ms: f64,
    ) -> Result<Decision> {
        if let Body::Json(_) = response.body {
            let flight = self
                .state
                .in_flight
                .get(&ticket)
                .ok_or_else(|| self.state.not_in_flight(ticket))?;
            let options = classify_options(now_ms);
            let verdict = classify::classify(response, Some(&flight.operation), &options)?;
            return self.settle_verdict(ticket, &verdict, now_ms);
        }
        let (mut decision, records) = self.settle_lean(ticket, response, now_ms)?;
        decision.verdict.records = records.iter().map(LeanRecord::to_result).collect();
        Ok(decision)
    }

    /// [`Guard::settle`] of a text or bytes body with the records left lean: the
    /// decision's `verdict.records` is empty and the records, borrowing the body, come
    /// beside it (what the bindings send to JavaScript without building `details`).
    pub fn settle_lean<'a>(
        &mut self,
        ticket: u64,
        response: &classify::Response<'a>,
        now_ms: f64,
    ) -> Result<(Decision, Vec<LeanRecord<'a>>)> {
        let flight = self
            .state
            .in_flight
            .get(&ticket)
            .ok_or_else(|| self.state.not_in_flight(ticket))?;
        let options = classify_options(now_ms);
        let classified = classify::classify_lean(response, Some(&flight.operation), &options)?;
        let facts = VerdictFacts::of_lean(&classified);
        let Classified { verdict, records } = classified;
        let decision = self.settle_facts(ticket, facts, verdict, now_ms)?;
        Ok((decision, records))
    }

    /// Settles a ticket whose call got no response (`truncated`: a response cut short).
    pub fn settle_no_response(
        &mut self,
        ticket: u64,
        now_ms: f64,
        truncated: bool,
    ) -> Result<Decision> {
        self.settle_verdict(ticket, &settle::no_response(truncated), now_ms)
    }

    /// `settle(ticket, verdict, nowMs)`: what to do after a response.
    pub fn settle_verdict(
        &mut self,
        ticket: u64,
        verdict: &Verdict,
        now_ms: f64,
    ) -> Result<Decision> {
        self.settle_facts(ticket, VerdictFacts::of(verdict), verdict.clone(), now_ms)
    }

    /// Decides on `facts` (read from `carried`, which the decision carries) and logs
    /// the settle with the facts, not the verdict.
    fn settle_facts(
        &mut self,
        ticket: u64,
        facts: VerdictFacts,
        carried: Verdict,
        now_ms: f64,
    ) -> Result<Decision> {
        let now = self.time(now_ms)?;
        if !self.state.in_flight.contains_key(&ticket) {
            return Err(self.state.not_in_flight(ticket));
        }
        self.advance(now);
        let decision = self.decide(ticket, &facts, now, carried);
        if self.log.keeps(&self.state) {
            self.log.record(
                &self.state,
                LogEvent::Settle {
                    ticket,
                    now_ms: now,
                    decision: Box::new(LoggedDecision::new(&decision, facts)),
                },
            );
        }
        Ok(decision)
    }
}

/// The options of the classification inside `settle`: the caller's clock.
fn classify_options(now_ms: f64) -> ClassifyOptions {
    ClassifyOptions {
        now_ms: (now_ms.is_finite() && now_ms >= 0.0).then_some(now_ms as u64),
        ..ClassifyOptions::default()
    }
}
