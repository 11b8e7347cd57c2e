//! The settle path around the rules: the in-flight call leaves, the state learns
//! what the response says (token expiry, credits, rollback refund, breakers), the
//! rules decide, and the logical request is kept for its retry or forgotten.

use serde_json::Value;

use super::facts::VerdictFacts;
use super::rules::unreadable;
use super::{
    budget, Action, Decision, DecisionInputs, Guard, GuardState, InFlight, Pending, Reason, Request,
};
use crate::classify::{Category, Credits, Outcome, RetryHint, TopError, Verdict};
use crate::error::Error;
use crate::MAX_WAIT_MS;

/// What one settle works on.
pub(super) struct Ctx<'a> {
    /// The call, out of flight.
    pub flight: InFlight,
    /// Its logical request, updated by the rules.
    pub req: Request,
    /// The settle's time.
    pub now: u64,
    /// What the rules read of the response's verdict.
    pub verdict: &'a VerdictFacts,
    /// The figures of the decision, filled in by the rules.
    pub inputs: DecisionInputs,
}

/// The verdict of a call that got no response (`truncated`: one cut short).
pub(super) fn no_response(truncated: bool) -> Verdict {
    let (code, message) = if truncated {
        ("TRUNCATED_RESPONSE", "the response was cut short")
    } else {
        ("NO_RESPONSE", "no response was received")
    };
    Verdict {
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
    }
}

/// The decision on a ticket that was not in flight.
fn finish_unknown(ticket: u64, verdict: Verdict) -> Decision {
    Decision {
        action: Action::GiveUp,
        delay_ms: 0,
        indices: None,
        reason: Reason::UnknownResponse,
        attempt: 0,
        ticket,
        request: ticket,
        verdict,
        inputs: DecisionInputs::default(),
    }
}

impl GuardState {
    /// Why `ticket` is not in flight: never issued, or already settled.
    pub(super) fn not_in_flight(&self, ticket: u64) -> Error {
        if ticket == 0 || ticket >= self.next_ticket {
            Error::UnknownTicket { ticket }
        } else {
            Error::TicketAlreadySettled { ticket }
        }
    }
}

impl Guard {
    /// Settles an in-flight `ticket` at a committed time, deciding on `facts`; the
    /// decision carries `carried` (the verdict the facts were read from).
    pub(super) fn decide(
        &mut self,
        ticket: u64,
        verdict: &VerdictFacts,
        now: u64,
        carried: Verdict,
    ) -> Decision {
        let Some(flight) = self.state.in_flight.remove(&ticket) else {
            // Checked by the caller; an empty decision keeps this path panic-free.
            return finish_unknown(ticket, carried);
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
        ctx.inputs.max_attempts = self.state.attempts_cap(&ctx.flight.operation);
        ctx.inputs.token_generation = ctx.flight.generation;
        ctx.inputs.credits_header = verdict.credits.map(|c: Credits| c.remaining);
        ctx.inputs.retry_after_ms = verdict.retry_after_ms;

        if let Some(exp) = verdict.token_expires_at {
            if ctx.flight.generation == self.state.token.generation {
                self.state.token.expires_at = Some(exp);
            }
        }
        self.reconcile_credits(&ctx);
        if verdict.code() == "ROLLBACK_PERFORMED" && ctx.flight.refund_on_rollback > 0 {
            self.state.ledger.refund(
                ctx.flight.admitted_at,
                u64::from(ctx.flight.refund_on_rollback),
            );
        }
        // Any HTTP answer shows the network works; any readable non-5xx that the
        // server works (a proxy's page on a 200 shows nothing of the kind).
        if verdict.http_status != 0 {
            self.state.breakers.network.success();
            if verdict.http_status < 500 && !unreadable(verdict) {
                self.state.breakers.server.success();
            }
        }
        self.state.breakers.server.release(ticket);
        self.state.breakers.network.release(ticket);

        let ruling = self.rule(&mut ctx);
        ctx.inputs.credits_remaining = self.state.credits_remaining();
        ctx.inputs.effective_limit = self.state.effective_limit();
        ctx.inputs.edition_limit = self.state.config.concurrency;

        // Book-keeping of the logical request.
        let mut req = ctx.req;
        let delay_ms = ruling.delay_ms.min(MAX_WAIT_MS);
        // A patient retry may be due weeks from now: not abandoned before then.
        req.since = now.saturating_add(delay_ms);
        match ruling.action {
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
            action: ruling.action,
            delay_ms,
            indices: ruling.indices,
            reason: ruling.reason,
            attempt: ctx.flight.attempt,
            ticket,
            request: ctx.flight.request,
            verdict: carried,
            inputs: ctx.inputs,
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

    /// A success: the retry budget gets its tokens back, the breakers close and
    /// the effective concurrency grows.
    pub(super) fn on_success(&mut self, ctx: &Ctx<'_>) {
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
        s.token.proven_generation = s.token.proven_generation.max(ctx.flight.generation);
        s.grow(&ctx.flight);
    }
}
