//! Scheduling a retry: attempts left, the server's Retry-After (as the policy says)
//! or full jitter on the class's base, and the class's retry budget.

use super::rules::Ruling;
use super::settle::Ctx;
use super::{budget, ceiling, DelayBasis, Guard, Reason, RetryAfterPolicy, RetryClass};

impl Guard {
    /// A give-up while the class's breaker is open: the delay says when it half-opens.
    pub(super) fn breaker_give_up(&mut self, ctx: &mut Ctx<'_>, class: RetryClass) -> Ruling {
        let wait = self.state.breakers.of(class).wait(ctx.now).unwrap_or(0);
        ctx.inputs.delay_basis = Some(DelayBasis::Breaker);
        Ruling::give_up(Reason::BreakerOpen).after(wait)
    }

    /// Schedules a retry of the whole call: attempts, Retry-After policy, budget.
    pub(super) fn schedule(
        &mut self,
        ctx: &mut Ctx<'_>,
        class: RetryClass,
        base: u64,
        timeout: bool,
        reason: Reason,
    ) -> Ruling {
        match self.retry_delay(ctx, class, base, timeout) {
            Ok(delay) => Ruling::retry(delay, reason),
            Err(give_up) => Ruling::give_up(give_up),
        }
    }

    /// The delay of the next attempt, charging the class's budget; or why not.
    pub(super) fn retry_delay(
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
}
