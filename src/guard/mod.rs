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

mod backoff;
mod breaker;
mod budget;
pub mod config;
mod decision;
mod ledger;
mod log;
mod respond;
mod tokens;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use backoff::{ceiling, full_jitter, Jitter, JitterState};
pub use breaker::BreakerState;
pub use budget::{PerClass, RetryClass};
pub use config::{
    AmbiguousInsert, BreakerConfig, BudgetConfig, GuardConfig, RawGuardConfig, RetryAfterPolicy,
    RetryConfig, MAX_SAFE_INTEGER,
};
pub use decision::*;
pub use ledger::Ledger;
pub use log::{replay, DecisionLog, LogEvent};
pub use tokens::{TokenInfo, TokenResponse, TokenState, TokenStatus};

use crate::catalog::{credit_cost, Operation, OperationKind, Pool};
use crate::classify::{Category, Credits, Outcome, RetryHint, TopError, Verdict};
use crate::error::{Error, Result};

/// Version of the serialized state; `fromJSON` refuses any other.
pub const STATE_VERSION: u32 = 1;

/// Milli-slots per concurrency slot: the AIMD limit is kept in integers so that the
/// state round-trips exactly and every runtime computes the same figures.
const MILLI: u64 = 1_000;

/// How much slower the additive increase is near the limit where the last 429 came
/// (a plateau, as TCP CUBIC has near its last maximum): fewer 429s when another client
/// shares the org. Design value.
const PLATEAU_SLOWDOWN: u64 = 8;

/// Each further 429 at the same level doubles the plateau's length, up to this many
/// times (so a steady neighbour costs one probe per 8 × 2³ × limit calls at most, and a
/// neighbour that left is found within that many calls). Design value, after the
/// backoff of TCP CUBIC's probing and of exponential backoff generally.
const MAX_PLATEAU_DOUBLINGS: u32 = 3;

/// A pending request whose retry never came is forgotten after this long (the
/// caller dropped it); the credit window's length is a generous bound.
const PENDING_TTL_MS: u64 = crate::catalog::CREDIT_WINDOW_MS;

/// Requests waiting for a retry beyond which the oldest is forgotten (a caller that
/// drops its retries must not grow the state without bound).
const MAX_PENDING_REQUESTS: usize = 100_000;

/// One call in flight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InFlight {
    /// Logical request.
    pub request: u64,
    /// The operation.
    pub operation: Operation,
    /// Attempt number.
    pub attempt: u32,
    /// Credits reserved.
    pub cost: u32,
    /// Credits given back if a composite rolls back.
    pub refund_on_rollback: u32,
    /// Slots of the edition's concurrency held.
    pub slots: u32,
    /// Counts against the complex pool.
    pub complex: bool,
    /// Counts against the GraphQL pool.
    pub graphql: bool,
    /// When it was admitted.
    pub admitted_at: u64,
    /// Slots other calls held when it was admitted: if Zoho refuses it with a 429,
    /// the org had no room beyond them.
    #[serde(default)]
    pub slots_before: u32,
    /// Token generation it was sent with.
    pub generation: u64,
    /// Budget charged for this attempt: (class, tokens), refunded on success.
    pub charged: Option<(RetryClass, u32)>,
}

/// What a logical request waits for between attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pending {
    /// An attempt is in flight.
    InFlight,
    /// A retry (or verified resend) may be admitted.
    Retry,
    /// A retry may be admitted once the token generation is above this one.
    Token {
        /// The generation that failed.
        generation: u64,
    },
}

/// A logical request: all attempts of one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// Attempts admitted so far.
    pub attempts: u32,
    /// Attempts that were token replays (not counted against `maxAttempts`).
    pub auth_replays: u32,
    /// State between attempts.
    pub pending: Pending,
    /// An earlier attempt was a write whose outcome is unknown.
    pub ambiguous: bool,
    /// Budget charged for the next attempt.
    pub charged: Option<(RetryClass, u32)>,
    /// When the last decision was made.
    pub since: u64,
}

/// The two breakers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Breakers {
    /// Consecutive 5xx.
    pub server: BreakerState,
    /// Consecutive calls without a response.
    pub network: BreakerState,
}

/// The Guard's whole state: what `toJSON` gives and `fromJSON` takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GuardState {
    /// [`STATE_VERSION`].
    pub version: u32,
    /// The checked configuration.
    pub config: GuardConfig,
    /// Latest time seen.
    pub now: u64,
    /// Next ticket number.
    pub next_ticket: u64,
    /// Calls in flight by ticket.
    #[serde(with = "pairs")]
    pub in_flight: BTreeMap<u64, InFlight>,
    /// Logical requests with an attempt in flight or a retry pending, by first ticket.
    #[serde(with = "pairs")]
    pub requests: BTreeMap<u64, Request>,
    /// Effective concurrency, milli-slots (AIMD).
    pub effective_milli: u64,
    /// When the effective limit was last decreased.
    pub last_decrease_at: u64,
    /// The effective limit (milli-slots) at which the last TOO_MANY_REQUESTS came:
    /// the capacity seen; growth slows near it (0: none seen).
    #[serde(default)]
    pub congestion_milli: u64,
    /// 429s in a row at about the same level (each doubles the plateau, up to
    /// [`MAX_PLATEAU_DOUBLINGS`]); 0 once the limit grew past that level.
    #[serde(default)]
    pub congestion_repeats: u32,
    /// Credits of the rolling window.
    pub ledger: Ledger,
    /// Retry budget tokens per class.
    pub budgets: PerClass<u32>,
    /// Circuit breakers.
    pub breakers: Breakers,
    /// No call before this instant (server's Retry-After).
    pub cooldown_until: u64,
    /// Token generations.
    pub token: TokenState,
    /// The jitter stream.
    pub jitter: Jitter,
    /// Whether any response carried X-API-CREDITS-REMAINING: only then does its
    /// absence say something (a browser hides headers not exposed by CORS).
    pub credits_header_seen: bool,
}

/// Per-breaker view for `snapshot`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    /// Time of the snapshot.
    pub now: u64,
    /// Calls in flight.
    pub in_flight: u32,
    /// Slots in use.
    pub slots_in_use: u32,
    /// Complex-pool calls in flight.
    pub complex_in_flight: u32,
    /// GraphQL calls in flight.
    pub graphql_in_flight: u32,
    /// Effective concurrency (AIMD).
    pub effective_limit: u32,
    /// Edition concurrency.
    pub edition_limit: u32,
    /// Complex pool.
    pub sub_concurrency: u32,
    /// GraphQL pool.
    pub graphql_concurrency: u32,
    /// Credits of the window.
    pub credits_allowance: u64,
    /// Credits used (or reserved) in the window.
    pub credits_used: u64,
    /// Credits left.
    pub credits_remaining: u64,
    /// When the oldest credits free up.
    pub next_credit_free_at: Option<u64>,
    /// No call before this instant.
    pub cooldown_until: Option<u64>,
    /// Breakers.
    pub breakers: Breakers,
    /// Retry budget tokens.
    pub budgets: PerClass<u32>,
    /// Requests waiting for a retry.
    pub pending_requests: u32,
    /// Token state.
    pub token: TokenStatus,
}

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

fn is_non_idempotent(kind: OperationKind) -> bool {
    // update, upsert, delete and reads are safe to resend; these are not.
    matches!(
        kind,
        OperationKind::Insert
            | OperationKind::ConvertLead
            | OperationKind::SendMail
            | OperationKind::Composite
            | OperationKind::BulkWrite
            | OperationKind::Other
    )
}

/// The id of the existing record a DUPLICATE_DATA names (`details.duplicate_record.id`
/// or `details.id`; the exact key is unverified, facts §5).
fn duplicate_id(details: &Value) -> Option<&str> {
    details
        .get("duplicate_record")
        .and_then(|d| d.get("id"))
        .or_else(|| details.get("id"))
        .and_then(Value::as_str)
}

impl Guard {
    /// A Guard from a checked configuration.
    pub fn new(config: GuardConfig) -> Self {
        let state = GuardState {
            version: STATE_VERSION,
            effective_milli: u64::from(config.concurrency).saturating_mul(MILLI),
            budgets: PerClass::all(config.budget.capacity),
            jitter: Jitter::new(config.seed),
            config,
            now: 0,
            next_ticket: 1,
            in_flight: BTreeMap::new(),
            requests: BTreeMap::new(),
            last_decrease_at: 0,
            congestion_milli: 0,
            congestion_repeats: 0,
            ledger: Ledger::default(),
            breakers: Breakers::default(),
            cooldown_until: 0,
            token: TokenState::default(),
            credits_header_seen: false,
        };
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
        if state.version != STATE_VERSION {
            return Err(Error::invalid(
                "state.version",
                format!("expected {STATE_VERSION}, got {}", state.version),
            ));
        }
        if state.next_ticket == 0
            || state.in_flight.keys().any(|&t| t >= state.next_ticket)
            || state.now > MAX_SAFE_INTEGER
            || state.effective_milli < MILLI
        {
            return Err(Error::invalid("state", "inconsistent Guard state"));
        }
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

    fn effective_limit(&self) -> u32 {
        self.state.effective_limit()
    }

    fn usage(&self) -> (u32, u32, u32) {
        self.state.usage()
    }

    fn credits_remaining(&self) -> u64 {
        self.state.credits_remaining()
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

    fn refuse(wait_ms: u64, reason: RefuseReason, refresh: bool) -> Admission {
        Admission::Refused(Refused {
            ok: false,
            wait_ms,
            reason,
            refresh,
        })
    }

    fn admit_at(&mut self, op: &Operation, now: u64, retry_of: Option<u64>) -> Result<Admission> {
        let cost = credit_cost(op, &self.state.config.costs);
        let allowance = self.state.config.credit_allowance;
        if u64::from(cost.credits) > allowance {
            return Err(Error::invalid(
                "operation.credits",
                format!(
                    "{} credits exceed the whole 24 h allowance of {allowance}",
                    cost.credits
                ),
            ));
        }
        // Which request this attempt belongs to, checked before anything changes.
        let retry = match retry_of {
            None => None,
            Some(t) => {
                let root = self.state.in_flight.get(&t).map(|f| f.request).unwrap_or(t);
                let Some(req) = self.state.requests.get(&root) else {
                    return Err(if t == 0 || t >= self.state.next_ticket {
                        Error::UnknownTicket { ticket: t }
                    } else {
                        Error::RetryNotAllowed {
                            ticket: t,
                            reason: "the request is finished (done or given up)".into(),
                        }
                    });
                };
                match req.pending {
                    Pending::InFlight => {
                        return Err(Error::RetryNotAllowed {
                            ticket: t,
                            reason: "an attempt of this request is still in flight".into(),
                        })
                    }
                    Pending::Retry | Pending::Token { .. } => Some((root, req.clone())),
                }
            }
        };
        self.advance(now);
        let s = &self.state;

        if op.kind == OperationKind::Token {
            // The token call itself: only the refresh-token rate limit applies.
            let wait = s.token.refresh_wait(now);
            if wait > 0 {
                return Ok(Self::refuse(wait, RefuseReason::TokenRefresh, false));
            }
        } else {
            if let Some((_, req)) = &retry {
                if let Pending::Token { generation } = req.pending {
                    if s.token.generation <= generation {
                        return Ok(self.ask_refresh(now));
                    }
                }
            }
            if let Some(ask) = s.token.refresh {
                if ask.generation == s.token.generation {
                    return Ok(self.ask_refresh(now));
                }
            }
            if let Some(exp) = s.token.expires_at {
                if now.saturating_add(s.config.token_refresh_skew_ms) >= exp {
                    return Ok(self.ask_refresh(now));
                }
            }
        }
        let s = &self.state;
        if s.cooldown_until > now {
            return Ok(Self::refuse(
                s.cooldown_until - now,
                RefuseReason::Cooldown,
                false,
            ));
        }
        let breaker_wait = [s.breakers.server.wait(now), s.breakers.network.wait(now)]
            .into_iter()
            .flatten()
            .max();
        if let Some(w) = breaker_wait {
            return Ok(Self::refuse(
                w.max(if w == 0 { s.config.poll_ms } else { 0 }),
                RefuseReason::BreakerOpen,
                false,
            ));
        }
        let slots = op.concurrency_slots();
        let pool = op.pool();
        let (in_use, complex, graphql) = self.usage();
        let limit = self.effective_limit();
        // A call bigger than the effective limit may still go alone (never above the edition's).
        let fits =
            in_use.saturating_add(slots) <= limit || (in_use == 0 && slots <= s.config.concurrency);
        if slots > 0 && !fits {
            return Ok(Self::refuse(
                s.config.poll_ms,
                RefuseReason::Concurrency,
                false,
            ));
        }
        if pool == Pool::Complex && complex >= s.config.sub_concurrency {
            return Ok(Self::refuse(
                s.config.poll_ms,
                RefuseReason::SubConcurrency,
                false,
            ));
        }
        if pool == Pool::Graphql && graphql >= s.config.graphql_concurrency {
            return Ok(Self::refuse(
                s.config.poll_ms,
                RefuseReason::GraphqlConcurrency,
                false,
            ));
        }
        match s
            .ledger
            .wait_for(now, u64::from(cost.credits), s.config.credit_allowance)
        {
            Some(0) => {}
            Some(w) => return Ok(Self::refuse(w, RefuseReason::Credits, false)),
            None => return Ok(Self::refuse(MAX_SAFE_INTEGER, RefuseReason::Credits, false)),
        }

        // Admitted: every change happens below.
        let s = &mut self.state;
        let ticket = s.next_ticket;
        s.next_ticket = s.next_ticket.saturating_add(1);
        let (request, attempt, charged) = match retry {
            Some((root, mut req)) => {
                req.attempts = req.attempts.saturating_add(1);
                req.pending = Pending::InFlight;
                req.since = now;
                let charged = req.charged.take();
                let attempt = req.attempts;
                s.requests.insert(root, req);
                (root, attempt, charged)
            }
            None => {
                s.requests.insert(
                    ticket,
                    Request {
                        attempts: 1,
                        auth_replays: 0,
                        pending: Pending::InFlight,
                        ambiguous: false,
                        charged: None,
                        since: now,
                    },
                );
                (ticket, 1, None)
            }
        };
        s.ledger.spend(now, u64::from(cost.credits));
        s.breakers.server.admitted(ticket);
        s.breakers.network.admitted(ticket);
        s.in_flight.insert(
            ticket,
            InFlight {
                request,
                operation: op.clone(),
                attempt,
                cost: cost.credits,
                refund_on_rollback: cost.refund_on_rollback,
                slots,
                complex: pool == Pool::Complex,
                graphql: pool == Pool::Graphql,
                admitted_at: now,
                slots_before: in_use,
                generation: s.token.generation,
                charged,
            },
        );
        Ok(Admission::Admitted(Admitted {
            ok: true,
            ticket,
            request,
            attempt,
            cost: cost.credits,
            slots,
        }))
    }

    /// A `token_refresh` refusal: the first caller (or the first after the refresh
    /// timed out) is told to refresh; the others wait.
    fn ask_refresh(&mut self, now: u64) -> Admission {
        let s = &mut self.state;
        let generation = s.token.generation;
        let rate_wait = s.token.refresh_wait(now);
        let stale = s.token.refresh.is_none_or(|a| {
            a.generation != generation
                || a.asked_at.saturating_add(s.config.token_refresh_timeout_ms) <= now
        });
        if stale {
            s.token.refresh = Some(tokens::RefreshAsk {
                asked_at: now.saturating_add(rate_wait),
                generation,
            });
            Self::refuse(rate_wait, RefuseReason::TokenRefresh, true)
        } else {
            Self::refuse(s.config.poll_ms, RefuseReason::TokenRefresh, false)
        }
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

    /// `snapshot(nowMs)`: the figures the Guard decides on. Read-only (time is not committed).
    pub fn snapshot(&self, now_ms: f64) -> Result<Snapshot> {
        let now = self.time(now_ms)?;
        let s = &self.state;
        let (slots, complex, graphql) = s.usage();
        let (credits_used, next_credit_free_at) = s.ledger.view(now);
        let mut breakers = s.breakers;
        breakers.server.tick(now);
        breakers.network.tick(now);
        let mut token = s.token.clone();
        token.expire(now);
        Ok(Snapshot {
            now,
            in_flight: u32::try_from(s.in_flight.len()).unwrap_or(u32::MAX),
            slots_in_use: slots,
            complex_in_flight: complex,
            graphql_in_flight: graphql,
            effective_limit: s.effective_limit(),
            edition_limit: s.config.concurrency,
            sub_concurrency: s.config.sub_concurrency,
            graphql_concurrency: s.config.graphql_concurrency,
            credits_allowance: s.config.credit_allowance,
            credits_used,
            credits_remaining: s.config.credit_allowance.saturating_sub(credits_used),
            next_credit_free_at,
            cooldown_until: (s.cooldown_until > now).then_some(s.cooldown_until),
            breakers,
            budgets: s.budgets,
            pending_requests: u32::try_from(
                s.requests
                    .values()
                    .filter(|r| r.pending != Pending::InFlight)
                    .count(),
            )
            .unwrap_or(u32::MAX),
            token: token.status(now),
        })
    }

    /// Settles a ticket whose call got no response (`truncated`: a response cut short).
    pub fn settle_no_response(
        &mut self,
        ticket: u64,
        now_ms: f64,
        truncated: bool,
    ) -> Result<Decision> {
        let (code, message) = if truncated {
            ("TRUNCATED_RESPONSE", "the response was cut short")
        } else {
            ("NO_RESPONSE", "no response was received")
        };
        let verdict = Verdict {
            outcome: Outcome::Failure,
            http_status: 0,
            category: Category::Network,
            retry: RetryHint::Backoff,
            error: Some(TopError {
                code: code.into(),
                message: message.into(),
                details: Value::Object(serde_json::Map::new()),
                category: Category::Network,
                retry: RetryHint::Backoff,
            }),
            records: Vec::new(),
            credits: None,
            retry_after_ms: None,
            token_expires_at: None,
        };
        self.settle_verdict(ticket, &verdict, now_ms)
    }

    /// `settle(ticket, verdict, nowMs)`: what to do after a response.
    pub fn settle_verdict(
        &mut self,
        ticket: u64,
        verdict: &Verdict,
        now_ms: f64,
    ) -> Result<Decision> {
        let now = self.time(now_ms)?;
        if !self.state.in_flight.contains_key(&ticket) {
            return Err(if ticket == 0 || ticket >= self.state.next_ticket {
                Error::UnknownTicket { ticket }
            } else {
                Error::TicketAlreadySettled { ticket }
            });
        }
        self.advance(now);
        let decision = self.decide(ticket, verdict, now);
        self.log.record(
            &self.state,
            LogEvent::Settle {
                ticket,
                now_ms: now,
                decision: Box::new(decision.clone()),
            },
        );
        Ok(decision)
    }

    fn decide(&mut self, ticket: u64, verdict: &Verdict, now: u64) -> Decision {
        let Some(flight) = self.state.in_flight.remove(&ticket) else {
            // Checked by the caller; an empty decision keeps this path panic-free.
            return self.finish_unknown(ticket, verdict);
        };
        let req = self
            .state
            .requests
            .get(&flight.request)
            .cloned()
            .unwrap_or(Request {
                attempts: flight.attempt,
                auth_replays: 0,
                pending: Pending::InFlight,
                ambiguous: false,
                charged: None,
                since: now,
            });
        let mut ctx = Ctx {
            flight,
            req,
            now,
            verdict,
            inputs: DecisionInputs::default(),
        };
        ctx.inputs.attempt = ctx.flight.attempt;
        ctx.inputs.max_attempts = self.state.max_attempts(&ctx.flight.operation);
        ctx.inputs.token_generation = ctx.flight.generation;
        ctx.inputs.credits_header = verdict.credits.map(|c: Credits| c.remaining);
        ctx.inputs.retry_after_ms = verdict.retry_after_ms;

        if let Some(exp) = verdict.token_expires_at {
            if ctx.flight.generation == self.state.token.generation {
                self.state.token.expires_at = Some(exp);
            }
        }
        self.reconcile_credits(&ctx);
        if verdict
            .error
            .as_ref()
            .is_some_and(|e| e.code == "ROLLBACK_PERFORMED")
            && ctx.flight.refund_on_rollback > 0
        {
            self.state.ledger.refund(
                ctx.flight.admitted_at,
                u64::from(ctx.flight.refund_on_rollback),
            );
        }
        // Any HTTP answer shows the network works; any non-5xx that the server works.
        if verdict.http_status != 0 {
            self.state.breakers.network.success();
            if verdict.http_status < 500 {
                self.state.breakers.server.success();
            }
        }
        self.state.breakers.server.release(ticket);
        self.state.breakers.network.release(ticket);

        let (action, delay, indices, reason) = self.rule(&mut ctx);
        ctx.inputs.credits_remaining = self.credits_remaining();
        ctx.inputs.effective_limit = self.effective_limit();
        ctx.inputs.edition_limit = self.state.config.concurrency;

        // Book-keeping of the logical request.
        let mut req = ctx.req;
        req.since = now;
        match action {
            Action::Done | Action::GiveUp | Action::Split => {
                self.state.requests.remove(&ctx.flight.request);
            }
            Action::Retry | Action::RetryRecords | Action::Verify | Action::RefreshToken => {
                if req.pending == Pending::InFlight {
                    req.pending = Pending::Retry;
                }
                self.state.requests.insert(ctx.flight.request, req);
            }
        }
        Decision {
            action,
            delay_ms: delay,
            indices,
            reason,
            attempt: ctx.flight.attempt,
            ticket,
            request: ctx.flight.request,
            verdict: verdict.clone(),
            inputs: ctx.inputs,
        }
    }

    fn finish_unknown(&self, ticket: u64, verdict: &Verdict) -> Decision {
        Decision {
            action: Action::GiveUp,
            delay_ms: 0,
            indices: None,
            reason: Reason::UnknownResponse,
            attempt: 0,
            ticket,
            request: ticket,
            verdict: verdict.clone(),
            inputs: DecisionInputs::default(),
        }
    }

    /// Brings the ledger in line with what Zoho says (or implies by silence).
    fn reconcile_credits(&mut self, ctx: &Ctx<'_>) {
        let s = &mut self.state;
        let allowance = s.config.credit_allowance;
        let others: u64 = s.in_flight.values().map(|f| u64::from(f.cost)).sum();
        let ours_settled = s.ledger.used().saturating_sub(others);
        if let Some(c) = ctx.verdict.credits {
            s.credits_header_seen = true;
            let zoho_used = allowance.saturating_sub(c.remaining);
            if zoho_used > ours_settled {
                s.ledger.spend(ctx.now, zoho_used - ours_settled);
            } else {
                s.ledger.trim_oldest(ours_settled - zoho_used);
            }
        } else if s.credits_header_seen
            && (200..300).contains(&ctx.verdict.http_status)
            && s.config.header_threshold > 0
        {
            // Zoho sends the header once half the allowance (excluding add-ons) is
            // used: its absence on a success means less than that is used.
            let ceiling = s.config.header_threshold.saturating_sub(1);
            if ours_settled > ceiling {
                s.ledger.trim_oldest(ours_settled - ceiling);
            }
        }
    }

    /// The decision table. Returns (action, delay, indices, reason).
    fn rule(&mut self, ctx: &mut Ctx<'_>) -> (Action, u64, Option<Vec<usize>>, Reason) {
        let v = ctx.verdict;
        let kind = ctx.flight.operation.kind;
        let success =
            matches!(v.outcome, Outcome::Success | Outcome::Empty) && v.category == Category::Ok;
        if success {
            self.on_success(ctx);
            return (Action::Done, 0, None, Reason::Success);
        }
        if v.error.is_none() && v.records.iter().any(|r| !r.ok) {
            return self.records_rule(ctx);
        }
        let code = v.error.as_ref().map_or("", |e| e.code.as_str());
        let ambiguous_status = v.http_status == 0
            || v.http_status == 408
            || v.http_status == 504
            || ((200..300).contains(&v.http_status) && v.category == Category::Unknown);
        if is_non_idempotent(kind) && ambiguous_status {
            // A call the caller aborted (or a dead process's orphan, settled on
            // resume) says nothing about the network: no breaker failure.
            if v.http_status == 0 && code != "ABORTED" {
                self.state.breakers.network.failure(
                    ctx.now,
                    self.state.config.breaker.threshold,
                    self.state.config.breaker.half_open_after_ms,
                );
            }
            return self.ambiguous_rule(ctx);
        }
        match v.category {
            Category::Auth if v.retry == RetryHint::RefreshToken => self.auth_rule(ctx, code),
            Category::RateLimit => self.rate_limit_rule(ctx),
            Category::Limit | Category::Validation if code == "LIMIT_EXCEEDED" => {
                match ctx.flight.operation.record_count {
                    Some(n) if n > 1 => {
                        ctx.inputs.split_max_records = Some(n.div_ceil(2));
                        (Action::Split, 0, None, Reason::SplitBatch)
                    }
                    _ => (Action::GiveUp, 0, None, Reason::LimitExceeded),
                }
            }
            // The caller aborted the call: not a failure of Zoho or the network.
            Category::Network if code == "ABORTED" => {
                (Action::GiveUp, 0, None, Reason::NotRetryable)
            }
            Category::Network => {
                let open = self.state.breakers.network.failure(
                    ctx.now,
                    self.state.config.breaker.threshold,
                    self.state.config.breaker.half_open_after_ms,
                );
                if open {
                    return self.breaker_give_up(ctx, RetryClass::Network);
                }
                let timeout =
                    code.contains("TIMEOUT") || v.http_status == 408 || v.http_status == 504;
                let base = self.state.config.retry.base_delay_ms;
                self.schedule(
                    ctx,
                    RetryClass::Network,
                    base,
                    timeout,
                    Reason::NetworkError,
                )
            }
            Category::Server => {
                let open = self.state.breakers.server.failure(
                    ctx.now,
                    self.state.config.breaker.threshold,
                    self.state.config.breaker.half_open_after_ms,
                );
                if open {
                    return self.breaker_give_up(ctx, RetryClass::Server);
                }
                let timeout = v.http_status == 504;
                let base = self.state.config.retry.base_delay_ms;
                self.schedule(ctx, RetryClass::Server, base, timeout, Reason::ServerError)
            }
            Category::Locked if v.retry == RetryHint::Backoff => {
                let base = self.state.config.retry.record_base_delay_ms;
                self.schedule(ctx, RetryClass::Records, base, false, Reason::Locked)
            }
            Category::Unknown => (Action::GiveUp, 0, None, Reason::UnknownResponse),
            _ if v.retry == RetryHint::Conditional => {
                (Action::GiveUp, 0, None, Reason::Conditional)
            }
            _ if v.retry == RetryHint::Backoff => {
                let base = self.state.config.retry.base_delay_ms;
                self.schedule(ctx, RetryClass::Server, base, false, Reason::ServerError)
            }
            _ => (Action::GiveUp, 0, None, Reason::NotRetryable),
        }
    }

    fn on_success(&mut self, ctx: &Ctx<'_>) {
        let s = &mut self.state;
        let cap = s.config.budget.capacity;
        match ctx.flight.charged {
            Some((class, cost)) => budget::refund(s.budgets.get_mut(class), cost, cap),
            None => {
                let n = s.config.budget.success_refund;
                for b in s.budgets.iter_mut() {
                    budget::refund(b, n, cap);
                }
            }
        }
        s.breakers.server.success();
        s.breakers.network.success();
        // Additive increase: one slot per `limit` successes, never above the edition's;
        // within one slot of the level where the last 429 came (another client holds
        // the rest), one slot per `PLATEAU_SLOWDOWN × 2^repeats × limit` successes, so
        // probing the shared capacity costs few 429s. Past that level (the neighbour
        // left), normal growth again.
        let max = u64::from(s.config.concurrency).saturating_mul(MILLI);
        let mut inc = (MILLI * MILLI) / s.effective_milli.max(MILLI);
        if s.congestion_milli > 0 {
            if s.effective_milli >= s.congestion_milli.saturating_add(MILLI) {
                s.congestion_repeats = 0;
            } else if s.effective_milli.saturating_add(MILLI) >= s.congestion_milli {
                let doublings = s
                    .congestion_repeats
                    .saturating_sub(1)
                    .min(MAX_PLATEAU_DOUBLINGS);
                inc /= PLATEAU_SLOWDOWN << doublings;
            }
        }
        s.effective_milli = s.effective_milli.saturating_add(inc.max(1)).min(max);
    }

    fn breaker_give_up(
        &mut self,
        ctx: &mut Ctx<'_>,
        class: RetryClass,
    ) -> (Action, u64, Option<Vec<usize>>, Reason) {
        let b = match class {
            RetryClass::Network => self.state.breakers.network,
            _ => self.state.breakers.server,
        };
        let wait = b.wait(ctx.now).unwrap_or(0);
        ctx.inputs.delay_basis = Some(DelayBasis::Breaker);
        (Action::GiveUp, wait, None, Reason::BreakerOpen)
    }

    /// Schedules a retry of the whole call: attempts, Retry-After policy, budget.
    fn schedule(
        &mut self,
        ctx: &mut Ctx<'_>,
        class: RetryClass,
        base: u64,
        timeout: bool,
        reason: Reason,
    ) -> (Action, u64, Option<Vec<usize>>, Reason) {
        match self.retry_delay(ctx, class, base, timeout) {
            Ok(delay) => (Action::Retry, delay, None, reason),
            Err(give_up) => (Action::GiveUp, 0, None, give_up),
        }
    }

    /// The delay of the next attempt, charging the class's budget; or why not.
    fn retry_delay(
        &mut self,
        ctx: &mut Ctx<'_>,
        class: RetryClass,
        base: u64,
        timeout: bool,
    ) -> Result<u64, Reason> {
        let used = ctx.req.attempts.saturating_sub(ctx.req.auth_replays);
        if used >= self.state.max_attempts(&ctx.flight.operation) {
            return Err(Reason::AttemptsExhausted);
        }
        let cfg = &self.state.config;
        let max_delay = cfg.retry.max_delay_ms;
        let jitter_max = cfg.retry.retry_after_jitter_ms;
        let policy = cfg.retry.retry_after;
        let cost = if timeout {
            cfg.budget.timeout_cost
        } else {
            cfg.budget.retry_cost
        };
        let delay = match ctx.verdict.retry_after_ms {
            Some(r) => {
                let r = match policy {
                    RetryAfterPolicy::Honour => r,
                    RetryAfterPolicy::Clamp => r.min(max_delay),
                    RetryAfterPolicy::GiveUpIfLonger if r > max_delay => {
                        return Err(Reason::RetryAfterTooLong)
                    }
                    RetryAfterPolicy::GiveUpIfLonger => r,
                };
                ctx.inputs.delay_basis = Some(DelayBasis::RetryAfter);
                // Everyone else waits for the server's instant too.
                let s = &mut self.state;
                s.cooldown_until = s.cooldown_until.max(ctx.now.saturating_add(r));
                r.saturating_add(s.jitter.up_to(jitter_max))
            }
            None => {
                let ceil = ceiling(base, used, max_delay);
                ctx.inputs.delay_basis = Some(match class {
                    RetryClass::Throttle => DelayBasis::Throttle,
                    RetryClass::Records => DelayBasis::Records,
                    RetryClass::Server | RetryClass::Network => DelayBasis::Transient,
                });
                ctx.inputs.base_delay_ms = Some(base);
                ctx.inputs.ceiling_ms = Some(ceil);
                self.state.jitter.up_to(ceil)
            }
        };
        let tokens = self.state.budgets.get_mut(class);
        if !budget::try_charge(tokens, cost) {
            ctx.inputs.budget_remaining = Some(*tokens);
            return Err(Reason::RetryBudget);
        }
        ctx.inputs.budget_remaining = Some(*tokens);
        ctx.inputs.budget_cost = Some(cost);
        ctx.req.charged = Some((class, cost));
        Ok(delay)
    }

    fn records_rule(&mut self, ctx: &mut Ctx<'_>) -> (Action, u64, Option<Vec<usize>>, Reason) {
        let v = ctx.verdict;
        let resent_insert = ctx.req.ambiguous && ctx.flight.operation.kind == OperationKind::Insert;
        let recovered: Vec<usize> = if resent_insert {
            v.records
                .iter()
                .filter(|r| {
                    !r.ok && r.code == "DUPLICATE_DATA" && duplicate_id(&r.details).is_some()
                })
                .map(|r| r.index)
                .collect()
        } else {
            Vec::new()
        };
        let failed: Vec<&crate::classify::RecordResult> = v
            .records
            .iter()
            .filter(|r| !r.ok && !recovered.contains(&r.index))
            .collect();
        let any_ok = v.records.iter().any(|r| r.ok) || !recovered.is_empty();
        if !recovered.is_empty() {
            ctx.inputs.recovered = Some(recovered);
        }
        if failed.is_empty() {
            self.on_success(ctx);
            return (Action::Done, 0, None, Reason::DuplicateOfLostAttempt);
        }
        let retryable: Vec<usize> = failed
            .iter()
            .filter(|r| r.retry == RetryHint::Backoff)
            .map(|r| r.index)
            .collect();
        if retryable.is_empty() {
            return if any_ok {
                (Action::Done, 0, None, Reason::PartialFinal)
            } else {
                (Action::GiveUp, 0, None, Reason::NotRetryable)
            };
        }
        let base = self.state.config.retry.record_base_delay_ms;
        match self.retry_delay(ctx, RetryClass::Records, base, false) {
            Ok(delay) => (
                Action::RetryRecords,
                delay,
                Some(retryable),
                Reason::RecordsRetryable,
            ),
            Err(reason) => (Action::GiveUp, 0, Some(retryable), reason),
        }
    }

    fn ambiguous_rule(&mut self, ctx: &mut Ctx<'_>) -> (Action, u64, Option<Vec<usize>>, Reason) {
        ctx.req.ambiguous = true;
        let used = ctx.req.attempts.saturating_sub(ctx.req.auth_replays);
        if used >= self.state.max_attempts(&ctx.flight.operation) {
            return (Action::GiveUp, 0, None, Reason::AmbiguousWrite);
        }
        let is_insert = ctx.flight.operation.kind == OperationKind::Insert;
        match self.state.config.ambiguous_insert {
            AmbiguousInsert::GiveUp => (Action::GiveUp, 0, None, Reason::AmbiguousWrite),
            AmbiguousInsert::Upsert if is_insert => {
                let base = self.state.config.retry.base_delay_ms;
                match self.retry_delay(ctx, RetryClass::Network, base, false) {
                    Ok(delay) => {
                        ctx.inputs.resend_as = Some("upsert".into());
                        (Action::Retry, delay, None, Reason::ResendAsUpsert)
                    }
                    Err(reason) => (Action::GiveUp, 0, None, reason),
                }
            }
            AmbiguousInsert::Verify | AmbiguousInsert::Upsert => {
                (Action::Verify, 0, None, Reason::AmbiguousWrite)
            }
        }
    }

    fn auth_rule(
        &mut self,
        ctx: &mut Ctx<'_>,
        code: &str,
    ) -> (Action, u64, Option<Vec<usize>>, Reason) {
        let s = &mut self.state;
        let generation = s.token.generation;
        if ctx.req.auth_replays >= 1 {
            // Failed again after a fresh token.
            if code == "AUTHENTICATION_FAILURE" {
                ctx.inputs.data_center = s.token.data_center();
                ctx.inputs.api_domain.clone_from(&s.token.api_domain);
                return (Action::GiveUp, 0, None, Reason::CheckDomain);
            }
            return (Action::GiveUp, 0, None, Reason::TokenRejected);
        }
        ctx.req.auth_replays = 1;
        if ctx.flight.generation < generation {
            // The token was refreshed since this call left: replay it at once.
            return (Action::Retry, 0, None, Reason::TokenReplaced);
        }
        ctx.req.pending = Pending::Token {
            generation: ctx.flight.generation,
        };
        let asked = s.token.refresh.is_some_and(|a| {
            a.generation == generation
                && a.asked_at.saturating_add(s.config.token_refresh_timeout_ms) > ctx.now
        });
        if asked {
            (Action::Retry, 0, None, Reason::AwaitTokenRefresh)
        } else {
            let wait = s.token.refresh_wait(ctx.now);
            s.token.refresh = Some(tokens::RefreshAsk {
                asked_at: ctx.now.saturating_add(wait),
                generation,
            });
            if wait > 0 {
                ctx.inputs.delay_basis = Some(DelayBasis::TokenRateLimit);
            }
            (Action::RefreshToken, wait, None, Reason::TokenInvalid)
        }
    }

    fn rate_limit_rule(&mut self, ctx: &mut Ctx<'_>) -> (Action, u64, Option<Vec<usize>>, Reason) {
        let s = &mut self.state;
        let allowance = s.config.credit_allowance;
        let nearly = (allowance.saturating_mul(u64::from(s.config.credits_nearly_gone_permille))
            / 1_000)
            .max(u64::from(ctx.flight.cost));
        let remaining = allowance.saturating_sub(s.ledger.used());
        if remaining <= nearly {
            // Credit exhaustion: Zoho is out; count the rest as spent now so nobody
            // hammers, and wait until enough credits come back.
            s.ledger.spend(ctx.now, remaining);
            let wait = s
                .ledger
                .wait_for(ctx.now, u64::from(ctx.flight.cost).max(1), allowance)
                .unwrap_or(0);
            ctx.inputs.delay_basis = Some(DelayBasis::Credits);
            let used = ctx.req.attempts.saturating_sub(ctx.req.auth_replays);
            if wait <= s.config.retry.max_delay_ms && used < s.max_attempts(&ctx.flight.operation) {
                return (Action::Retry, wait, None, Reason::Credits);
            }
            return (Action::GiveUp, wait, None, Reason::Credits);
        }
        // Concurrency: multiplicative decrease, once per congestion event (calls
        // admitted before the last decrease do not decrease again). The refused call
        // also says how much room the org had: no more than the slots ours held when
        // it was admitted; the limit drops to that at once (but by no more than half in
        // one event, one refusal being one sample), instead of finding it by several
        // rounds of 429s.
        if ctx.flight.admitted_at >= s.last_decrease_at || s.last_decrease_at == 0 {
            let eff = s.effective_milli;
            let dec = eff.saturating_mul(u64::from(s.config.aimd_decrease_permille)) / 1_000;
            let seen = u64::from(ctx.flight.slots_before).saturating_mul(MILLI);
            let refused_at = u64::from(ctx.flight.slots_before)
                .saturating_add(u64::from(ctx.flight.slots.max(1)))
                .saturating_mul(MILLI)
                .min(eff);
            let same_level =
                s.congestion_milli > 0 && refused_at <= s.congestion_milli.saturating_add(MILLI);
            s.congestion_repeats = if same_level {
                s.congestion_repeats.saturating_add(1)
            } else {
                1
            };
            s.congestion_milli = refused_at;
            s.effective_milli = dec.min(seen.max(eff / 2)).max(MILLI);
            s.last_decrease_at = ctx.now.max(1);
        }
        let base = s.config.retry.throttle_base_delay_ms;
        self.schedule(
            ctx,
            RetryClass::Throttle,
            base,
            false,
            Reason::TooManyRequests,
        )
    }
}

impl GuardState {
    /// Commits a time: expiries that depend only on time.
    fn advance(&mut self, now: u64) {
        let s = self;
        s.now = now;
        s.ledger.expire(now);
        s.token.expire(now);
        s.breakers.server.tick(now);
        s.breakers.network.tick(now);
        // Forget the oldest request when it was abandoned (its retry never came
        // within a day) or when too many are pending: O(log n) per call, bounded memory.
        let oldest = s.requests.iter().next().and_then(|(&id, r)| {
            let abandoned =
                r.pending != Pending::InFlight && r.since.saturating_add(PENDING_TTL_MS) <= now;
            let crowded = r.pending != Pending::InFlight && s.requests.len() > MAX_PENDING_REQUESTS;
            (abandoned || crowded).then_some(id)
        });
        if let Some(id) = oldest {
            s.requests.remove(&id);
        }
    }

    fn effective_limit(&self) -> u32 {
        let e = self.effective_milli / MILLI;
        u32::try_from(e)
            .unwrap_or(u32::MAX)
            .clamp(1, self.config.concurrency)
    }

    fn usage(&self) -> (u32, u32, u32) {
        self.in_flight
            .values()
            .fold((0u32, 0u32, 0u32), |(s, c, g), f| {
                (
                    s.saturating_add(f.slots),
                    c.saturating_add(u32::from(f.complex)),
                    g.saturating_add(u32::from(f.graphql)),
                )
            })
    }

    /// Attempts a call may have: its own `maxAttempts`, else the configuration's.
    fn max_attempts(&self, op: &Operation) -> u32 {
        op.max_attempts.unwrap_or(self.config.retry.max_attempts)
    }

    fn credits_remaining(&self) -> u64 {
        self.config
            .credit_allowance
            .saturating_sub(self.ledger.used())
    }
}

/// Maps keyed by ticket serialize as `[[ticket, value], …]`: JSON object keys are
/// strings, and an array of pairs survives every serializer (serde_json and
/// serde-wasm-bindgen) unchanged.
mod pairs {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, T: Serialize>(
        map: &BTreeMap<u64, T>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.iter())
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<BTreeMap<u64, T>, D::Error> {
        let v: Vec<(u64, T)> = Vec::deserialize(d)?;
        Ok(v.into_iter().collect())
    }
}

/// What one settle works on.
struct Ctx<'a> {
    flight: InFlight,
    req: Request,
    now: u64,
    verdict: &'a Verdict,
    inputs: DecisionInputs,
}
