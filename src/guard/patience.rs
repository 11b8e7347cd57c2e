//! What changes for a patient call (`operation.patient`: a write job's writes, its
//! lookups and its metadata fetch): it never ends on a transient outcome, it is
//! retried after the delay the rules give for as long as its caller lets it.
//!
//! | limit | call by call | patient |
//! |---|---|---|
//! | attempts | `retry.maxAttempts` (or its own) | its own `maxAttempts` only |
//! | open breaker | give up (`breaker_open`) | retry when it half-opens (basis `breaker`) |
//! | spent retry budget | give up (`retry_budget`) | wait for its refill (basis `budget`) |
//! | 429 for credits | retry if the wait ≤ `maxDelayMs` | retry if the wait ≤ `maxRetryAfterMs` |
//! | 401 again after a refresh | give up | refresh again if the token was replaced or expired meanwhile |
//!
//! What ends both alike: permanent errors, a Retry-After above `maxRetryAfterMs`, the
//! credits; the caller's deadline and signal end a patient call.

use super::rules::Ruling;
use super::settle::Ctx;
use super::{budget, DelayBasis, Guard, GuardState, Reason, RetryClass};
use crate::catalog::Operation;

impl GuardState {
    /// Attempts a call may have: its own `maxAttempts`, else the configuration's;
    /// `None` (no cap) for a patient call without its own.
    pub(super) fn attempts_cap(&self, op: &Operation) -> Option<u32> {
        match (op.max_attempts, op.patient) {
            (Some(n), _) => Some(n),
            (None, true) => None,
            (None, false) => Some(self.config.retry.max_attempts),
        }
    }

    /// The longest credit wait a 429 for credits is retried after.
    pub(super) fn credit_wait_limit(&self, op: &Operation) -> u64 {
        if op.patient {
            self.config.retry.max_retry_after_ms
        } else {
            self.config.retry.max_delay_ms
        }
    }
}

impl Ctx<'_> {
    /// Attempts the request has used, token replays not counted.
    pub(super) fn used(&self) -> u32 {
        self.req.attempts.saturating_sub(self.req.auth_replays)
    }
}

impl Guard {
    /// Whether the request has used every attempt its call may have.
    pub(super) fn out_of_attempts(&self, ctx: &Ctx<'_>) -> bool {
        self.state
            .attempts_cap(&ctx.flight.operation)
            .is_some_and(|max| ctx.used() >= max)
    }

    /// The class's breaker is open: the delay says when it half-opens; a call by call
    /// gives up, a patient call is retried then.
    pub(super) fn breaker_open(&mut self, ctx: &mut Ctx<'_>, class: RetryClass) -> Ruling {
        let wait = self.state.breakers.of(class).wait(ctx.now).unwrap_or(0);
        ctx.inputs.delay_basis = Some(DelayBasis::Breaker);
        if !ctx.flight.operation.patient {
            return Ruling::give_up(Reason::BreakerOpen).after(wait);
        }
        if self.out_of_attempts(ctx) {
            return Ruling::give_up(Reason::AttemptsExhausted);
        }
        Ruling::retry(wait, Reason::BreakerOpen)
    }

    /// Charges a retry's `cost` to the class's budget: `Ok(0)` when the budget holds it;
    /// a patient call finding it short borrows from the refill, `Ok(ms until then)`.
    pub(super) fn charge(
        &mut self,
        ctx: &mut Ctx<'_>,
        class: RetryClass,
        cost: u32,
    ) -> Result<u64, Reason> {
        let s = &mut self.state;
        let rate = s.config.budget.refill_per_second;
        let mut bucket = budget::bucket(&mut s.budgets, &mut s.budgets_since, class);
        let wait = if budget::try_charge(bucket.tokens, cost) {
            Some(0)
        } else if ctx.flight.operation.patient {
            bucket.borrow(ctx.now, rate, cost)
        } else {
            None
        };
        ctx.inputs.budget_remaining = Some(*bucket.tokens);
        let wait = wait.ok_or(Reason::RetryBudget)?;
        ctx.inputs.budget_cost = Some(cost);
        ctx.req.charged = Some((class, cost));
        Ok(wait)
    }

    /// A 401 on a request already replayed with a fresh token: a call by call gives
    /// up; a patient call refreshes again when its token was replaced or had expired
    /// meanwhile (a short-lived token can expire in flight time and again), or when
    /// its token had already worked (then Zoho's rejection is an expiry that our clock,
    /// later than Zoho's by the refresh's round trip, has not seen yet).
    pub(super) fn may_replay_again(&self, ctx: &Ctx<'_>) -> bool {
        let token = &self.state.token;
        ctx.flight.operation.patient
            && (ctx.flight.generation < token.generation
                || token.proven_generation >= token.generation
                || token.expiring(ctx.now, self.state.config.token_refresh_skew_ms))
    }
}
