//! The decision table of the settle path: which rule a verdict falls under, and what
//! each rule decides ([`Ruling`]). The figures a rule used go to `ctx.inputs`.

use super::facts::{failed_indices, VerdictFacts, DUPLICATE_DATA};
use super::settle::Ctx;
use super::{tokens, Action, AmbiguousInsert, DelayBasis, Guard, Pending, Reason, RetryClass};
use crate::catalog::OperationKind;
use crate::classify::{Category, Outcome, RetryHint, SHORT_REPLY};

/// What one rule decided: the decision without its bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Ruling {
    /// What to do.
    pub action: Action,
    /// Ms to wait first.
    pub delay_ms: u64,
    /// Records to resend, or the failed ones of a give-up.
    pub indices: Option<Vec<usize>>,
    /// The rule that decided.
    pub reason: Reason,
}

impl Ruling {
    /// `action` at once, for all records.
    fn new(action: Action, reason: Reason) -> Self {
        Ruling {
            action,
            delay_ms: 0,
            indices: None,
            reason,
        }
    }

    /// Finished.
    pub(super) fn done(reason: Reason) -> Self {
        Ruling::new(Action::Done, reason)
    }

    /// Stop.
    pub(super) fn give_up(reason: Reason) -> Self {
        Ruling::new(Action::GiveUp, reason)
    }

    /// Resend the whole call after `delay_ms`.
    pub(super) fn retry(delay_ms: u64, reason: Reason) -> Self {
        Ruling::new(Action::Retry, reason).after(delay_ms)
    }

    /// The same, after `delay_ms`.
    pub(super) fn after(self, delay_ms: u64) -> Self {
        Ruling { delay_ms, ..self }
    }

    /// The same, for these records.
    fn records(self, indices: Vec<usize>) -> Self {
        Ruling {
            indices: Some(indices),
            ..self
        }
    }
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

/// Statuses after which a non-idempotent write may or may not have been committed:
/// no response, a timeout, any 5xx (a proxy's 502 can follow Zoho's commit).
fn ambiguous_status(status: u16) -> bool {
    status == 0 || status == 408 || status >= 500
}

/// A response nobody can read: unknown on a 2xx (an unparseable or short body, a
/// proxy's page, an unknown code), or known only by its status (an error page with
/// no JSON envelope), or a short reply.
pub(super) fn unreadable(v: &VerdictFacts) -> bool {
    let code = v.code();
    let by_status_only = code
        .strip_prefix("HTTP_")
        .is_some_and(|n| n.parse() == Ok(v.http_status));
    v.category == Category::Unknown
        && ((200..300).contains(&v.http_status)
            || v.error_code.is_none()
            || by_status_only
            || code == SHORT_REPLY)
}

impl Guard {
    /// The decision table.
    pub(super) fn rule(&mut self, ctx: &mut Ctx<'_>) -> Ruling {
        let v = ctx.verdict;
        let kind = ctx.flight.operation.kind;
        let success =
            matches!(v.outcome, Outcome::Success | Outcome::Empty) && v.category == Category::Ok;
        if success {
            self.on_success(ctx);
            return Ruling::done(Reason::Success);
        }
        if v.error_code.is_none() && v.any_failed() {
            return self.records_rule(ctx);
        }
        let code = v.code();
        let unreadable = unreadable(v);
        if is_non_idempotent(kind) && (ambiguous_status(v.http_status) || unreadable) {
            // A call the caller aborted (or a dead process's orphan, settled on
            // resume) says nothing about the network: no breaker failure.
            if v.http_status == 0 && code != "ABORTED" {
                self.state.breaker_failure(RetryClass::Network, ctx.now);
            }
            if v.http_status >= 500 {
                self.state.breaker_failure(RetryClass::Server, ctx.now);
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
                        Ruling::new(Action::Split, Reason::SplitBatch)
                    }
                    _ => Ruling::give_up(Reason::LimitExceeded),
                }
            }
            // The caller aborted the call: not a failure of Zoho or the network.
            Category::Network if code == "ABORTED" => Ruling::give_up(Reason::NotRetryable),
            Category::Network => {
                let timeout =
                    code.contains("TIMEOUT") || v.http_status == 408 || v.http_status == 504;
                self.transient_rule(ctx, RetryClass::Network, timeout, Reason::NetworkError)
            }
            Category::Server => {
                let timeout = v.http_status == 504;
                self.transient_rule(ctx, RetryClass::Server, timeout, Reason::ServerError)
            }
            Category::Locked if v.retry == RetryHint::Backoff => {
                let base = self.state.config.retry.record_base_delay_ms;
                self.schedule(ctx, RetryClass::Records, base, false, Reason::Locked)
            }
            // A proxy's page, an unparseable or short 2xx: the server's fault, transient.
            Category::Unknown if unreadable => {
                let reason = if code == SHORT_REPLY {
                    Reason::ShortReply
                } else {
                    Reason::UnknownResponse
                };
                self.transient_rule(ctx, RetryClass::Server, false, reason)
            }
            Category::Unknown => Ruling::give_up(Reason::UnknownResponse),
            _ if v.retry == RetryHint::Conditional => Ruling::give_up(Reason::Conditional),
            _ if v.retry == RetryHint::Backoff => {
                let base = self.state.config.retry.base_delay_ms;
                self.schedule(ctx, RetryClass::Server, base, false, Reason::ServerError)
            }
            _ => Ruling::give_up(Reason::NotRetryable),
        }
    }

    /// A 5xx or a network failure: it counts against the class's breaker; while that
    /// stays closed, a retry.
    fn transient_rule(
        &mut self,
        ctx: &mut Ctx<'_>,
        class: RetryClass,
        timeout: bool,
        reason: Reason,
    ) -> Ruling {
        if self.state.breaker_failure(class, ctx.now) {
            return self.breaker_open(ctx, class);
        }
        let base = self.state.config.retry.base_delay_ms;
        self.schedule(ctx, class, base, timeout, reason)
    }

    /// Some records failed: resend the retryable ones; on a resent insert, a
    /// DUPLICATE_DATA that names a record is the lost attempt's success.
    fn records_rule(&mut self, ctx: &mut Ctx<'_>) -> Ruling {
        let v = ctx.verdict;
        let resent_insert = ctx.req.ambiguous && ctx.flight.operation.kind == OperationKind::Insert;
        let recovered: Vec<usize> = if resent_insert {
            v.failed
                .iter()
                .filter(|r| r.code == DUPLICATE_DATA && r.names_record)
                .flat_map(|r| r.indices())
                .collect()
        } else {
            Vec::new()
        };
        let failed: Vec<(usize, RetryHint)> = failed_indices(v)
            .filter(|(i, _)| !recovered.contains(i))
            .map(|(i, r)| (i, r.retry))
            .collect();
        let any_ok = v.ok_records > 0 || !recovered.is_empty();
        if !recovered.is_empty() {
            ctx.inputs.recovered = Some(recovered);
        }
        if failed.is_empty() {
            self.on_success(ctx);
            return Ruling::done(Reason::DuplicateOfLostAttempt);
        }
        // The call was answered record by record: no sign of congestion (a locked or
        // invalid record is no throttle), so the concurrency grows as on a success.
        // Without this, a job whose batches each hold one RECORD_LOCKED never regains
        // the concurrency a 429 took (measured: 2 of 10 for the rest of the job). The
        // server answered, too: the breakers' runs of failures end (when nearly every
        // batch holds a locked record, 5xx replies otherwise count as consecutive).
        self.state.breakers.server.success();
        self.state.breakers.network.success();
        self.state.token.proven_generation = self
            .state
            .token
            .proven_generation
            .max(ctx.flight.generation);
        self.state.grow(&ctx.flight);
        let retryable: Vec<usize> = failed
            .iter()
            .filter(|(_, retry)| *retry == RetryHint::Backoff)
            .map(|(i, _)| *i)
            .collect();
        if retryable.is_empty() {
            return if any_ok {
                Ruling::done(Reason::PartialFinal)
            } else {
                Ruling::give_up(Reason::NotRetryable)
            };
        }
        let base = self.state.config.retry.record_base_delay_ms;
        match self.retry_delay(ctx, RetryClass::Records, base, false) {
            Ok(delay) => Ruling::new(Action::RetryRecords, Reason::RecordsRetryable)
                .after(delay)
                .records(retryable),
            Err(reason) => Ruling::give_up(reason).records(retryable),
        }
    }

    /// A non-idempotent call whose outcome is unknown: as `ambiguousInsert` says.
    fn ambiguous_rule(&mut self, ctx: &mut Ctx<'_>) -> Ruling {
        ctx.req.ambiguous = true;
        if self.out_of_attempts(ctx) {
            return Ruling::give_up(Reason::AmbiguousWrite);
        }
        let is_insert = ctx.flight.operation.kind == OperationKind::Insert;
        match self.state.config.ambiguous_insert {
            AmbiguousInsert::GiveUp => Ruling::give_up(Reason::AmbiguousWrite),
            AmbiguousInsert::Upsert if is_insert => {
                let base = self.state.config.retry.base_delay_ms;
                match self.retry_delay(ctx, RetryClass::Network, base, false) {
                    Ok(delay) => {
                        ctx.inputs.resend_as = Some("upsert".into());
                        Ruling::retry(delay, Reason::ResendAsUpsert)
                    }
                    Err(reason) => Ruling::give_up(reason),
                }
            }
            AmbiguousInsert::Verify | AmbiguousInsert::Upsert => {
                Ruling::new(Action::Verify, Reason::AmbiguousWrite)
            }
        }
    }

    /// INVALID_TOKEN / AUTHENTICATION_FAILURE: one replay with a fresh token (a patient
    /// call: one per token that expired in flight), asking one caller per generation
    /// to refresh it, once the rate limit and a failed refresh's wait allow.
    fn auth_rule(&mut self, ctx: &mut Ctx<'_>, code: &str) -> Ruling {
        let again = ctx.req.auth_replays >= 1 && !self.may_replay_again(ctx);
        let s = &mut self.state;
        let generation = s.token.generation;
        if again {
            // Failed again after a fresh token.
            if code == "AUTHENTICATION_FAILURE" {
                ctx.inputs.data_center = s.token.data_center();
                ctx.inputs.api_domain.clone_from(&s.token.api_domain);
                return Ruling::give_up(Reason::CheckDomain);
            }
            return Ruling::give_up(Reason::TokenRejected);
        }
        ctx.req.auth_replays = ctx.req.auth_replays.saturating_add(1);
        if ctx.flight.generation < generation {
            // The token was refreshed since this call left: replay it at once.
            return Ruling::retry(0, Reason::TokenReplaced);
        }
        ctx.req.pending = Pending::Token {
            generation: ctx.flight.generation,
        };
        let asked = s.token.refresh.is_some_and(|a| {
            a.generation == generation
                && a.asked_at.saturating_add(s.config.token_refresh_timeout_ms) > ctx.now
        });
        if asked {
            Ruling::retry(0, Reason::AwaitTokenRefresh)
        } else {
            let wait = s.token.next_refresh_wait(ctx.now);
            s.token.refresh = Some(tokens::RefreshAsk {
                asked_at: ctx.now.saturating_add(wait),
                generation,
            });
            if wait > 0 {
                ctx.inputs.delay_basis = Some(DelayBasis::TokenRateLimit);
            }
            Ruling::new(Action::RefreshToken, Reason::TokenInvalid).after(wait)
        }
    }

    /// A 429: credit exhaustion when the credits are nearly gone, else concurrency.
    fn rate_limit_rule(&mut self, ctx: &mut Ctx<'_>) -> Ruling {
        let spent = self.out_of_attempts(ctx);
        let limit = self.state.credit_wait_limit(&ctx.flight.operation);
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
            if wait <= limit && !spent {
                return Ruling::retry(wait, Reason::Credits);
            }
            return Ruling::give_up(Reason::Credits).after(wait);
        }
        s.congested(&ctx.flight, ctx.now);
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
