//! The admission path: may this call go now? Each limit is one check, asked in a
//! fixed order (token, cooldown, breakers, concurrency, complex pool, GraphQL pool,
//! credits); the first that refuses answers. Nothing changes before the call is
//! admitted, except the record of who was asked to refresh the token.

use super::state::Usage;
use super::{
    tokens, Admission, Admitted, Guard, GuardState, InFlight, Pending, RefuseReason, Refused,
    Request, RetryClass, MAX_WAIT_MS,
};
use crate::catalog::{credit_cost, CreditCost, Operation, OperationKind, Pool};
use crate::error::{Error, Result};

/// The logical request a retry belongs to.
struct RetryOf {
    /// Its first ticket.
    root: u64,
    /// Its record, as it was before this attempt.
    request: Request,
}

/// The attempt an admitted call is.
struct Attempt {
    /// The logical request (ticket of its first attempt).
    request: u64,
    /// Attempt number within the request, from 1.
    number: u32,
    /// Budget charged for this attempt when its retry was scheduled.
    charged: Option<(RetryClass, u32)>,
}

fn refuse(wait_ms: u64, reason: RefuseReason, refresh: bool) -> Refused {
    Refused {
        ok: false,
        wait_ms: wait_ms.min(MAX_WAIT_MS),
        reason,
        refresh,
    }
}

impl Guard {
    /// `admit` at a checked time; the caller logs the answer.
    pub(super) fn admit_at(
        &mut self,
        op: &Operation,
        now: u64,
        retry_of: Option<u64>,
    ) -> Result<Admission> {
        let cost = self.state.checked_cost(op)?;
        let retry = self.state.retry_of(retry_of)?;
        self.advance(now);
        let usage = self.state.usage();
        if let Some(refused) = self.refusal(op, &cost, retry.as_ref(), usage, now) {
            return Ok(Admission::Refused(refused));
        }
        Ok(Admission::Admitted(self.state.admit_call(
            op,
            &cost,
            retry,
            usage.slots,
            now,
        )))
    }

    /// The first limit that refuses the call, in order; `None`: it may go.
    fn refusal(
        &mut self,
        op: &Operation,
        cost: &CreditCost,
        retry: Option<&RetryOf>,
        usage: Usage,
        now: u64,
    ) -> Option<Refused> {
        if let Some(refused) = self.check_token(op, retry, now) {
            return Some(refused);
        }
        let s = &self.state;
        s.check_cooldown(now)
            .or_else(|| s.check_breakers(now))
            .or_else(|| s.check_concurrency(op, usage))
            .or_else(|| s.check_complex_pool(op, usage))
            .or_else(|| s.check_graphql_pool(op, usage))
            .or_else(|| s.check_credits(cost, now))
    }

    /// The token call itself waits only for the refresh-token rate limit (and a failed
    /// refresh's wait); any other call waits while the token must be refreshed: a
    /// failed refresh's wait runs, its retry needs a newer generation, a refresh of
    /// this generation is under way or failed, or the token expires soon.
    fn check_token(
        &mut self,
        op: &Operation,
        retry: Option<&RetryOf>,
        now: u64,
    ) -> Option<Refused> {
        let s = &self.state;
        if op.kind == OperationKind::Token {
            let wait = s.token.next_refresh_wait(now);
            return (wait > 0).then(|| refuse(wait, RefuseReason::TokenRefresh, false));
        }
        let failed_wait = s.token.retry_wait(now);
        if failed_wait > 0 {
            return Some(refuse(failed_wait, RefuseReason::TokenRefresh, false));
        }
        let generation = s.token.generation;
        let awaits_newer = retry.is_some_and(|r| {
            matches!(r.request.pending, Pending::Token { generation: failed } if generation <= failed)
        });
        let refreshing =
            s.token.failures > 0 || s.token.refresh.is_some_and(|a| a.generation == generation);
        let expiring = s.token.expiring(now, s.config.token_refresh_skew_ms);
        (awaits_newer || refreshing || expiring).then(|| self.ask_refresh(now))
    }

    /// A `token_refresh` refusal: the first caller (or the first after the refresh
    /// timed out or failed) is told to refresh once `waitMs` (the refresh-token rate
    /// limit) has passed; the others wait.
    fn ask_refresh(&mut self, now: u64) -> Refused {
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
            refuse(rate_wait, RefuseReason::TokenRefresh, true)
        } else {
            refuse(s.config.poll_ms, RefuseReason::TokenRefresh, false)
        }
    }
}

impl GuardState {
    /// The call's credits; more than the whole allowance can never go.
    fn checked_cost(&self, op: &Operation) -> Result<CreditCost> {
        let cost = credit_cost(op, &self.config.costs);
        let allowance = self.config.credit_allowance;
        if u64::from(cost.credits) > allowance {
            return Err(Error::invalid(
                "operation.credits",
                format!(
                    "{} credits exceed the whole 24 h allowance of {allowance}",
                    cost.credits
                ),
            ));
        }
        Ok(cost)
    }

    /// Which request this attempt belongs to, checked before anything changes.
    fn retry_of(&self, retry_of: Option<u64>) -> Result<Option<RetryOf>> {
        let Some(t) = retry_of else {
            return Ok(None);
        };
        let root = self.in_flight.get(&t).map(|f| f.request).unwrap_or(t);
        let Some(req) = self.requests.get(&root) else {
            return Err(if t == 0 || t >= self.next_ticket {
                Error::UnknownTicket { ticket: t }
            } else {
                Error::RetryNotAllowed {
                    ticket: t,
                    reason: "the request is finished (done or given up)".into(),
                }
            });
        };
        match req.pending {
            Pending::InFlight => Err(Error::RetryNotAllowed {
                ticket: t,
                reason: "an attempt of this request is still in flight".into(),
            }),
            Pending::Retry | Pending::Token { .. } => Ok(Some(RetryOf {
                root,
                request: req.clone(),
            })),
        }
    }

    /// The server asked everyone to wait (Retry-After).
    fn check_cooldown(&self, now: u64) -> Option<Refused> {
        (self.cooldown_until > now)
            .then(|| refuse(self.cooldown_until - now, RefuseReason::Cooldown, false))
    }

    /// An open breaker refuses until it half-opens; a half-open one while its probe
    /// is out (wait 0: poll).
    fn check_breakers(&self, now: u64) -> Option<Refused> {
        let b = &self.breakers;
        let w = [b.server.wait(now), b.network.wait(now)]
            .into_iter()
            .flatten()
            .max()?;
        Some(refuse(
            w.max(if w == 0 { self.config.poll_ms } else { 0 }),
            RefuseReason::BreakerOpen,
            false,
        ))
    }

    /// The effective edition concurrency. A call bigger than the effective limit may
    /// still go alone (never above the edition's).
    fn check_concurrency(&self, op: &Operation, usage: Usage) -> Option<Refused> {
        let slots = op.concurrency_slots();
        let limit = self.effective_limit();
        let fits = usage.slots.saturating_add(slots) <= limit
            || (usage.slots == 0 && slots <= self.config.concurrency);
        (slots > 0 && !fits).then(|| refuse(self.config.poll_ms, RefuseReason::Concurrency, false))
    }

    /// The complex-API pool.
    fn check_complex_pool(&self, op: &Operation, usage: Usage) -> Option<Refused> {
        (op.pool() == Pool::Complex && usage.complex >= self.config.sub_concurrency)
            .then(|| refuse(self.config.poll_ms, RefuseReason::SubConcurrency, false))
    }

    /// The GraphQL pool.
    fn check_graphql_pool(&self, op: &Operation, usage: Usage) -> Option<Refused> {
        (op.pool() == Pool::Graphql && usage.graphql >= self.config.graphql_concurrency)
            .then(|| refuse(self.config.poll_ms, RefuseReason::GraphqlConcurrency, false))
    }

    /// The 24 h credit window: wait until enough credits free up.
    fn check_credits(&self, cost: &CreditCost, now: u64) -> Option<Refused> {
        let allowance = self.config.credit_allowance;
        match self
            .ledger
            .wait_for(now, u64::from(cost.credits), allowance)
        {
            Some(0) => None,
            Some(w) => Some(refuse(w, RefuseReason::Credits, false)),
            None => Some(refuse(MAX_WAIT_MS, RefuseReason::Credits, false)),
        }
    }

    /// Admits the call: every change of an admission happens here.
    fn admit_call(
        &mut self,
        op: &Operation,
        cost: &CreditCost,
        retry: Option<RetryOf>,
        slots_before: u32,
        now: u64,
    ) -> Admitted {
        let ticket = self.next_ticket;
        self.next_ticket = self.next_ticket.saturating_add(1);
        let attempt = self.open_attempt(ticket, retry, now);
        self.ledger.spend(now, u64::from(cost.credits));
        self.breakers.server.admitted(ticket);
        self.breakers.network.admitted(ticket);
        let slots = op.concurrency_slots();
        let pool = op.pool();
        self.in_flight.insert(
            ticket,
            InFlight {
                request: attempt.request,
                operation: op.clone(),
                attempt: attempt.number,
                cost: cost.credits,
                refund_on_rollback: cost.refund_on_rollback,
                slots,
                complex: pool == Pool::Complex,
                graphql: pool == Pool::Graphql,
                admitted_at: now,
                slots_before,
                generation: self.token.generation,
                charged: attempt.charged,
            },
        );
        Admitted {
            ok: true,
            ticket,
            request: attempt.request,
            attempt: attempt.number,
            cost: cost.credits,
            slots,
        }
    }

    /// Books the attempt in its logical request: a retry's request, or a new one
    /// keyed by this ticket.
    fn open_attempt(&mut self, ticket: u64, retry: Option<RetryOf>, now: u64) -> Attempt {
        match retry {
            Some(RetryOf { root, mut request }) => {
                request.attempts = request.attempts.saturating_add(1);
                request.pending = Pending::InFlight;
                request.since = now;
                let attempt = Attempt {
                    request: root,
                    number: request.attempts,
                    charged: request.charged.take(),
                };
                self.requests.insert(root, request);
                attempt
            }
            None => {
                self.requests.insert(
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
                Attempt {
                    request: ticket,
                    number: 1,
                    charged: None,
                }
            }
        }
    }
}
