//! What the Guard answers: admissions and decisions, each with the rule that
//! decided it (`reason`, a stable id) and the figures it used (`inputs`).

use serde::{Deserialize, Serialize};

use crate::classify::Verdict;

/// Why `admit` refused a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RefuseReason {
    /// The (effective) edition concurrency is in use.
    Concurrency,
    /// The complex-API pool of 10 is in use.
    SubConcurrency,
    /// The GraphQL pool of 5 is in use.
    GraphqlConcurrency,
    /// The 24 h credit window has no room for the call.
    Credits,
    /// The server asked everyone to wait (Retry-After).
    Cooldown,
    /// A circuit breaker is open.
    BreakerOpen,
    /// The access token must be refreshed first (or is being refreshed).
    TokenRefresh,
}

/// A call may go: send it and settle the ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Admitted {
    /// Always `true`.
    #[cfg_attr(feature = "ts", ts(type = "true"))]
    pub ok: bool,
    /// The ticket to settle.
    pub ticket: u64,
    /// The logical request (ticket of its first attempt).
    pub request: u64,
    /// Attempt number within the request, from 1.
    pub attempt: u32,
    /// Credits reserved for the call.
    pub cost: u32,
    /// Concurrency slots it holds.
    pub slots: u32,
}

/// A call may not go yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Refused {
    /// Always `false`.
    #[cfg_attr(feature = "ts", ts(type = "false"))]
    pub ok: bool,
    /// Ms to wait before asking again (at most 2^31 - 1, `MAX_WAIT_MS`). With
    /// `token_refresh` and `refresh: true`: wait this long, then refresh.
    pub wait_ms: u64,
    /// Which limit refused it.
    pub reason: RefuseReason,
    /// With `token_refresh`: `true` for the one caller that should refresh the token, once
    /// `waitMs` has passed (the refresh-token rate limit).
    pub refresh: bool,
}

/// The answer of `admit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged, from = "AdmissionWire")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Admission {
    /// Send it.
    Admitted(Admitted),
    /// Wait.
    Refused(Refused),
}

/// What an [`Admission`] is read from (the log): both shapes, flat. A plain struct
/// avoids serde's buffered reading of untagged enums (code size).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AdmissionWire {
    ok: bool,
    #[serde(default)]
    ticket: u64,
    #[serde(default)]
    request: u64,
    #[serde(default)]
    attempt: u32,
    #[serde(default)]
    cost: u32,
    #[serde(default)]
    slots: u32,
    #[serde(default)]
    wait_ms: u64,
    reason: Option<RefuseReason>,
    #[serde(default)]
    refresh: bool,
}

impl From<AdmissionWire> for Admission {
    fn from(w: AdmissionWire) -> Self {
        match (w.ok, w.reason) {
            (false, Some(reason)) => Admission::Refused(Refused {
                ok: false,
                wait_ms: w.wait_ms,
                reason,
                refresh: w.refresh,
            }),
            _ => Admission::Admitted(Admitted {
                ok: true,
                ticket: w.ticket,
                request: w.request,
                attempt: w.attempt,
                cost: w.cost,
                slots: w.slots,
            }),
        }
    }
}

/// What to do after a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "GuardAction"))]
pub enum Action {
    /// Finished (success, or a partial result whose failures are final).
    Done,
    /// Resend the whole call (admit with `retryOf`) after `delayMs`.
    Retry,
    /// Resend only the records at `indices` after `delayMs`.
    RetryRecords,
    /// Refresh the access token, call `tokenRefreshed`, then resend.
    RefreshToken,
    /// Stop; `reason` says why.
    GiveUp,
    /// Look the records up before resending any (ambiguous insert).
    Verify,
    /// Split the batch (see `splitBatch`, at most `inputs.splitMaxRecords` per call) and send the parts.
    Split,
}

/// The rule that decided, as a stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "GuardReason"))]
pub enum Reason {
    /// Everything succeeded.
    Success,
    /// Some records failed for good; the rest succeeded.
    PartialFinal,
    /// Some records failed with a retryable code.
    RecordsRetryable,
    /// DUPLICATE_DATA on a resent insert names the record the lost attempt created.
    DuplicateOfLostAttempt,
    /// 429 while credits remain: concurrency.
    TooManyRequests,
    /// 429 (or a refusal) because the 24 h credits are nearly gone.
    Credits,
    /// 5xx.
    ServerError,
    /// No response on a call that is safe to resend.
    NetworkError,
    /// A locked record (top-level RECORD_LOCKED).
    Locked,
    /// The server asked for a longer wait than `maxRetryAfterMs` (or, under
    /// `give_up_if_longer`, `maxDelayMs`) allows.
    RetryAfterTooLong,
    /// `maxAttempts` reached (a patient call: only its own `maxAttempts`).
    AttemptsExhausted,
    /// The class's retry budget is empty (and, for a patient call, never refills).
    RetryBudget,
    /// The class's circuit breaker is open: a call by call gives up; a patient call
    /// retries when it half-opens.
    BreakerOpen,
    /// First INVALID_TOKEN / AUTHENTICATION_FAILURE of this token generation.
    TokenInvalid,
    /// Another call is already refreshing this generation's token: wait for it.
    AwaitTokenRefresh,
    /// The token was refreshed after this call was sent: replay it once.
    TokenReplaced,
    /// AUTHENTICATION_FAILURE again with a fresh token: wrong data centre.
    CheckDomain,
    /// INVALID_TOKEN again with a fresh token.
    TokenRejected,
    /// An insert (or other non-idempotent call) whose outcome is unknown.
    AmbiguousWrite,
    /// Ambiguous insert, `ambiguousInsert: "upsert"`: resend as an upsert.
    ResendAsUpsert,
    /// LIMIT_EXCEEDED on a batch of several records.
    SplitBatch,
    /// LIMIT_EXCEEDED on a single call.
    LimitExceeded,
    /// A failure that resending cannot fix.
    NotRetryable,
    /// Resend only after a condition is met (re-read, restart pagination).
    Conditional,
    /// A response classify did not recognise (a proxy's page, an unparseable body);
    /// never treated as success: retried when safe, else given up.
    UnknownResponse,
    /// A 2xx write reply with fewer results than records sent (`SHORT_REPLY`): retried.
    ShortReply,
    /// The token endpoint says the refresh token (or client) is no longer valid.
    TokenRevoked,
    /// The job's deadline came (set by the client, never by the Guard).
    Deadline,
    /// The job's signal aborted it (set by the client, never by the Guard).
    Aborted,
    /// The caller's decision hook vetoed a retry (set by the client, never by the Guard).
    Vetoed,
}

/// Which figure the delay was derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum DelayBasis {
    /// Full jitter on the throttling base.
    Throttle,
    /// Full jitter on the transient base (a failed token refresh: equal jitter from 1 s).
    Transient,
    /// Full jitter on the per-record base.
    Records,
    /// The server's Retry-After plus positive jitter.
    RetryAfter,
    /// Until enough credits free up.
    Credits,
    /// Until the breaker half-opens.
    Breaker,
    /// Until the refresh-token rate limit allows a refresh.
    TokenRateLimit,
    /// Until the class's retry budget has refilled enough (a patient call).
    Budget,
}

/// The figures a decision was made from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DecisionInputs {
    /// Attempt that was settled, from 1.
    pub attempt: u32,
    /// Attempts the call may have: its own `maxAttempts`, else the configuration's;
    /// `null` for a patient call without its own (no cap).
    pub max_attempts: Option<u32>,
    /// What the delay rests on.
    pub delay_basis: Option<DelayBasis>,
    /// Base of the backoff used.
    pub base_delay_ms: Option<u64>,
    /// Ceiling of the full-jitter window used.
    pub ceiling_ms: Option<u64>,
    /// Retry-After given by the server.
    pub retry_after_ms: Option<u64>,
    /// Credits the ledger says remain in the window.
    pub credits_remaining: u64,
    /// `X-API-CREDITS-REMAINING`, when sent.
    pub credits_header: Option<u64>,
    /// Effective concurrency limit after this decision.
    pub effective_limit: u32,
    /// The edition's concurrency.
    pub edition_limit: u32,
    /// Tokens left in the class's retry budget.
    pub budget_remaining: Option<u32>,
    /// Tokens this retry cost.
    pub budget_cost: Option<u32>,
    /// Token generation the call was sent with.
    pub token_generation: u64,
    /// Data centre of the token's `api_domain` (`check_domain`).
    pub data_center: Option<String>,
    /// The token's `api_domain` (`check_domain`).
    pub api_domain: Option<String>,
    /// Largest part of a split batch.
    pub split_max_records: Option<u32>,
    /// Record indices recovered as the lost attempt's successes.
    pub recovered: Option<Vec<usize>>,
    /// How to resend (`upsert` for an ambiguous insert).
    pub resend_as: Option<String>,
}

/// What to do after one response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "DecisionFields"))]
pub struct Decision {
    /// What to do.
    #[cfg_attr(feature = "ts", ts(skip))]
    pub action: Action,
    /// Ms to wait first (at most 2^31 - 1, `MAX_WAIT_MS`).
    pub delay_ms: u64,
    /// Records to resend (`retry_records`), or the failed ones (`give_up` of a partial).
    #[cfg_attr(feature = "ts", ts(skip))]
    pub indices: Option<Vec<usize>>,
    /// The rule that decided.
    pub reason: Reason,
    /// Attempt that was settled, from 1.
    pub attempt: u32,
    /// The settled ticket.
    pub ticket: u64,
    /// The logical request (pass as `retryOf`).
    pub request: u64,
    /// The verdict the decision was made on.
    pub verdict: Verdict,
    /// The figures that decided.
    pub inputs: DecisionInputs,
}
