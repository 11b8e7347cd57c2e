//! The decision log: the state the Guard started from and every call that changed
//! it, with its answer. [`replay`] re-runs the calls from the start state and
//! returns the answers, which equal the logged ones bit for bit (the Guard is
//! deterministic: time and seed are inputs, and integers only are used).

use serde::{Deserialize, Serialize};

use super::decision::{Admission, Decision};
use super::refresh::{TokenFailure, TokenFailureDecision};
use super::tokens::{TokenInfo, TokenStatus};
use super::{Guard, GuardState};
use crate::catalog::Operation;
use crate::error::Result;

/// One logged call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event", try_from = "EventWire")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "GuardLogEvent"))]
pub enum LogEvent {
    /// `admit`.
    Admit {
        /// The operation.
        #[cfg_attr(feature = "ts", ts(as = "crate::catalog::RawOperation"))]
        operation: Operation,
        /// Time as used (after checking).
        #[serde(rename = "nowMs")]
        now_ms: u64,
        /// `retryOf`.
        #[serde(rename = "retryOf")]
        retry_of: Option<u64>,
        /// The answer.
        result: Admission,
    },
    /// `settle` (the decision carries the verdict).
    Settle {
        /// The ticket.
        ticket: u64,
        /// Time as used.
        #[serde(rename = "nowMs")]
        now_ms: u64,
        /// The answer.
        #[cfg_attr(feature = "ts", ts(as = "super::DecisionView"))]
        decision: Box<Decision>,
    },
    /// `tokenRefreshed`.
    TokenRefreshed {
        /// Time as used.
        #[serde(rename = "nowMs")]
        now_ms: u64,
        /// What was kept of the token response.
        #[cfg_attr(feature = "ts", ts(inline))]
        token: TokenInfo,
        /// The answer.
        result: TokenStatus,
    },
    /// `tokenRefreshFailed`.
    TokenRefreshFailed {
        /// Time as used.
        #[serde(rename = "nowMs")]
        now_ms: u64,
        /// The failure (texts clipped).
        failure: TokenFailure,
        /// The answer.
        result: TokenFailureDecision,
    },
}

/// What a [`LogEvent`] is read from: every variant's fields, flat. A plain struct
/// avoids serde's buffered reading of internally tagged enums (code size).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventWire {
    event: EventKind,
    operation: Option<Operation>,
    now_ms: u64,
    retry_of: Option<u64>,
    result: Option<serde_json::Value>,
    ticket: Option<u64>,
    decision: Option<Box<Decision>>,
    token: Option<TokenInfo>,
    failure: Option<TokenFailure>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum EventKind {
    Admit,
    Settle,
    TokenRefreshed,
    TokenRefreshFailed,
}

impl TryFrom<EventWire> for LogEvent {
    type Error = String;

    fn try_from(w: EventWire) -> std::result::Result<Self, String> {
        let missing = |f: &str| format!("log event without `{f}`");
        let result = w.result.unwrap_or(serde_json::Value::Null);
        Ok(match w.event {
            EventKind::Admit => LogEvent::Admit {
                operation: w.operation.ok_or_else(|| missing("operation"))?,
                now_ms: w.now_ms,
                retry_of: w.retry_of,
                result: serde_json::from_value(result).map_err(|e| e.to_string())?,
            },
            EventKind::Settle => LogEvent::Settle {
                ticket: w.ticket.ok_or_else(|| missing("ticket"))?,
                now_ms: w.now_ms,
                decision: w.decision.ok_or_else(|| missing("decision"))?,
            },
            EventKind::TokenRefreshed => LogEvent::TokenRefreshed {
                now_ms: w.now_ms,
                token: w.token.ok_or_else(|| missing("token"))?,
                result: serde_json::from_value(result).map_err(|e| e.to_string())?,
            },
            EventKind::TokenRefreshFailed => LogEvent::TokenRefreshFailed {
                now_ms: w.now_ms,
                failure: w.failure.ok_or_else(|| missing("failure"))?,
                result: serde_json::from_value(result).map_err(|e| e.to_string())?,
            },
        })
    }
}

/// The exportable log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DecisionLog {
    /// The state the events start from.
    #[cfg_attr(feature = "ts", ts(type = "GuardState"))]
    pub start: Box<GuardState>,
    /// The calls, in order.
    pub events: Vec<LogEvent>,
}

impl DecisionLog {
    pub(super) fn starting_at(state: &GuardState) -> Self {
        DecisionLog {
            start: Box::new(state.clone()),
            events: Vec::new(),
        }
    }

    /// Appends an event; `state` is the state after it. At capacity the log
    /// restarts from `state` (keeping memory bounded); capacity 0 keeps no log.
    pub(super) fn record(&mut self, state: &GuardState, event: LogEvent) {
        let capacity = state.config.log_capacity as usize;
        if capacity == 0 {
            return;
        }
        if self.events.len() >= capacity {
            *self = DecisionLog::starting_at(state);
            return;
        }
        self.events.push(event);
    }
}

/// Re-runs a log from its start state; returns the events as the replay produced
/// them (equal to `log.events` when nothing was tampered with).
pub fn replay(log: &DecisionLog) -> Result<Vec<LogEvent>> {
    let mut start = (*log.start).clone();
    // Replay everything, whatever the capacity that was configured.
    start.config.log_capacity = u32::MAX;
    let mut guard = Guard::from_state(start)?;
    for event in &log.events {
        match event {
            LogEvent::Admit {
                operation,
                now_ms,
                retry_of,
                ..
            } => {
                guard.admit(operation, *now_ms as f64, *retry_of)?;
            }
            LogEvent::Settle {
                ticket,
                now_ms,
                decision,
            } => {
                guard.settle_verdict(*ticket, &decision.verdict, *now_ms as f64)?;
            }
            LogEvent::TokenRefreshed { now_ms, token, .. } => {
                guard.token_refreshed(*now_ms as f64, Some(token.clone()))?;
            }
            LogEvent::TokenRefreshFailed {
                now_ms, failure, ..
            } => {
                guard.token_refresh_failed(*now_ms as f64, failure)?;
            }
        }
    }
    Ok(guard.log.events)
}
