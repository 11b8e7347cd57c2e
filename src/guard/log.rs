//! The decision log: the state the Guard started from and every call that changed
//! it, with its answer. [`replay`] re-runs the calls from the start state and
//! returns the answers, which equal the logged ones bit for bit (the Guard is
//! deterministic: time and seed are inputs, and integers only are used).
//!
//! Bounded: at most `logCapacity` events (default 10,000) and `logMaxBytes` bytes
//! (default [`DEFAULT_LOG_MAX_BYTES`], 1 MiB) of accounted memory; the event that would
//! pass either bound restarts the log from the state after it. A settle is logged
//! compactly ([`LoggedDecision`]): the verdict's facts the rules read (codes, counts,
//! index runs: [`VerdictFacts`]), never its messages, details or records, and the
//! indices as ranges, so a 100-record reply costs hundreds of bytes, not a copy.

use std::mem::size_of;

use serde::{Deserialize, Serialize};

use super::decision::{Action, Admission, Decision, DecisionInputs, Reason};
use super::facts::VerdictFacts;
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
    /// `settle` (the decision with the facts of its verdict).
    Settle {
        /// The ticket.
        ticket: u64,
        /// Time as used.
        #[serde(rename = "nowMs")]
        now_ms: u64,
        /// The answer, compact.
        decision: Box<LoggedDecision>,
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
    decision: Option<Box<LoggedDecision>>,
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

/// A settle's decision as the log keeps it: everything but the verdict, whose
/// facts ([`VerdictFacts`]) replace it; the indices as ranges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LoggedDecision {
    /// What to do.
    pub action: Action,
    /// Ms to wait first.
    pub delay_ms: u64,
    /// `indices` as `[from, to)` ranges.
    pub indices: Option<Vec<(usize, usize)>>,
    /// The rule that decided.
    pub reason: Reason,
    /// Attempt that was settled.
    pub attempt: u32,
    /// The logical request.
    pub request: u64,
    /// What the rules read of the verdict.
    pub verdict: VerdictFacts,
    /// The figures that decided.
    pub inputs: DecisionInputs,
}

impl LoggedDecision {
    /// The logged form of `d`, decided on `facts`.
    pub fn new(d: &Decision, facts: VerdictFacts) -> Self {
        LoggedDecision {
            action: d.action,
            delay_ms: d.delay_ms,
            indices: d.indices.as_deref().map(ranges),
            reason: d.reason,
            attempt: d.attempt,
            request: d.request,
            verdict: facts,
            inputs: d.inputs.clone(),
        }
    }

    /// Bytes on the heap.
    fn heap_bytes(&self) -> usize {
        let strings = [
            &self.inputs.data_center,
            &self.inputs.api_domain,
            &self.inputs.resend_as,
        ]
        .iter()
        .map(|s| s.as_ref().map_or(0, String::capacity))
        .sum::<usize>();
        size_of::<Self>()
            .saturating_add(self.verdict.heap_bytes())
            .saturating_add(
                self.indices
                    .as_ref()
                    .map_or(0, |v| v.capacity() * size_of::<(usize, usize)>()),
            )
            .saturating_add(
                self.inputs
                    .recovered
                    .as_ref()
                    .map_or(0, |v| v.capacity() * size_of::<usize>()),
            )
            .saturating_add(strings)
    }
}

/// Ascending runs of consecutive indices as `[from, to)` ranges (order kept).
pub fn ranges(indices: &[usize]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &i in indices {
        match out.last_mut() {
            Some(last) if last.1 == i && i < usize::MAX => last.1 = i + 1,
            _ => out.push((i, i.saturating_add(1))),
        }
    }
    out
}

impl LogEvent {
    /// Bytes this event holds: its slot in the log and what it owns on the heap.
    pub fn bytes(&self) -> usize {
        let text = |s: &Option<String>| s.as_ref().map_or(0, String::capacity);
        let heap = match self {
            LogEvent::Admit { operation, .. } => text(&operation.module),
            LogEvent::Settle { decision, .. } => decision.heap_bytes(),
            LogEvent::TokenRefreshed { token, .. } => text(&token.api_domain),
            LogEvent::TokenRefreshFailed { failure, .. } => {
                text(&failure.error).saturating_add(text(&failure.message))
            }
        };
        size_of::<LogEvent>().saturating_add(heap)
    }
}

/// The exportable log.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DecisionLog {
    /// The state the events start from.
    #[cfg_attr(feature = "ts", ts(type = "GuardState"))]
    pub start: Box<GuardState>,
    /// The calls, in order.
    pub events: Vec<LogEvent>,
    /// Accounted bytes: the start state's estimate plus the events' [`LogEvent::bytes`];
    /// not exported.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    bytes: usize,
    /// The state outgrew half the byte bound: no events are kept until a restart.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    suspended: bool,
}

/// Two logs are equal when they start alike and hold the same events.
impl PartialEq for DecisionLog {
    fn eq(&self, other: &Self) -> bool {
        self.start == other.start && self.events == other.events
    }
}

impl DecisionLog {
    pub(super) fn starting_at(state: &GuardState) -> Self {
        let start = Box::new(state.clone());
        DecisionLog {
            bytes: start.heap_bytes(),
            start,
            events: Vec::new(),
            suspended: false,
        }
    }

    /// Accounted bytes: the start state's [`GuardState::heap_bytes`] plus the events'
    /// [`LogEvent::bytes`] (the vector's spare room is not counted). At most the
    /// configuration's `logMaxBytes` once an event is held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Whether an event is kept at all (`logCapacity` above 0): callers skip building
    /// one otherwise.
    pub(super) fn keeps(&self, state: &GuardState) -> bool {
        state.config.log_capacity > 0
    }

    /// Appends an event; `state` is the state after it. An event that would pass the
    /// capacity (events) or the byte bound restarts the log from `state` (keeping
    /// memory bounded); capacity 0 keeps no log. While the state alone takes more than
    /// half the bound, the log holds no events and is not copied again per event (its
    /// `start` is then the state of its last restart).
    pub(super) fn record(&mut self, state: &GuardState, event: LogEvent) {
        let capacity = state.config.log_capacity as usize;
        if capacity == 0 {
            return;
        }
        let bytes = self.bytes.saturating_add(event.bytes());
        let max_bytes = usize::try_from(state.config.log_max_bytes).unwrap_or(usize::MAX);
        if self.suspended || self.events.len() >= capacity || bytes > max_bytes {
            // The event is dropped: a restart's start state includes its effect.
            if state.heap_bytes() <= max_bytes / 2 {
                *self = DecisionLog::starting_at(state);
            } else {
                self.events = Vec::new();
                self.bytes = self.start.heap_bytes();
                self.suspended = true;
            }
            return;
        }
        self.events.push(event);
        self.bytes = bytes;
    }
}

/// Re-runs a log from its start state; returns the events as the replay produced
/// them (equal to `log.events` when nothing was tampered with).
pub fn replay(log: &DecisionLog) -> Result<Vec<LogEvent>> {
    let mut start = (*log.start).clone();
    // Replay everything, whatever the bounds that were configured.
    start.config.log_capacity = u32::MAX;
    start.config.log_max_bytes = u64::MAX;
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
                let facts = decision.verdict.clone();
                let shell = facts.shell();
                guard.settle_facts(*ticket, facts, shell, *now_ms as f64)?;
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
