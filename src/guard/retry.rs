//! Scheduling a retry: attempts left, the server's Retry-After (below its ceiling, as
//! the policy says) or full jitter on the class's base, and the class's retry budget.

use super::rules::Ruling;
use super::settle::Ctx;
use super::{ceiling, DelayBasis, Guard, Reason, RetryAfterPolicy, RetryAfterScope, RetryClass};

impl Guard {
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
        if self.out_of_attempts(ctx) {
            return Err(Reason::AttemptsExhausted);
        }
        let delay = match ctx.verdict.retry_after_ms {
            Some(r) => self.server_delay(ctx, r)?,
            None => {
                // A record-level retry (RECORD_LOCKED) backs off by the records' own
                // attempt when the caller says it (a job's merged resend); the call's
                // faults (5xx, 429, network) by its lineage.
                let attempt = match class {
                    RetryClass::Records => {
                        ctx.flight.operation.attempt.unwrap_or_else(|| ctx.used())
                    }
                    _ => ctx.used(),
                };
                let ceil = ceiling(base, attempt, self.state.config.retry.max_delay_ms);
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
        let b = &self.state.config.budget;
        let cost = if timeout {
            b.timeout_cost
        } else {
            b.retry_cost
        };
        let refill = self.charge(ctx, class, cost)?;
        if refill > delay {
            ctx.inputs.delay_basis = Some(DelayBasis::Budget);
        }
        Ok(delay.max(refill))
    }

    /// The wait a server asked for (Retry-After): given up above `maxRetryAfterMs`
    /// (everyone else then waits that ceiling: a server asking for days is down for
    /// all), else as the policy says, plus a jitter of at most a quarter of the wait
    /// (and `retryAfterJitterMs`), so that the calls told the same instant spread out
    /// without doubling a short wait. With scope `all`, everyone else waits too.
    fn server_delay(&mut self, ctx: &mut Ctx<'_>, asked: u64) -> Result<u64, Reason> {
        let s = &mut self.state;
        let cfg = &s.config.retry;
        let limit = cfg.max_retry_after_ms;
        let r = match cfg.retry_after {
            _ if asked > limit => {
                s.cooldown_until = s.cooldown_until.max(ctx.now.saturating_add(limit));
                return Err(Reason::RetryAfterTooLong);
            }
            RetryAfterPolicy::Honour => asked,
            RetryAfterPolicy::Clamp => asked.min(cfg.max_delay_ms),
            RetryAfterPolicy::GiveUpIfLonger if asked > cfg.max_delay_ms => {
                return Err(Reason::RetryAfterTooLong)
            }
            RetryAfterPolicy::GiveUpIfLonger => asked,
        };
        let jitter_max = cfg.retry_after_jitter_ms.min(r / 4);
        ctx.inputs.delay_basis = Some(DelayBasis::RetryAfter);
        if cfg.retry_after_scope == RetryAfterScope::All {
            s.cooldown_until = s.cooldown_until.max(ctx.now.saturating_add(r));
        }
        Ok(r.saturating_add(s.jitter.up_to(jitter_max)))
    }
}
