//! `snapshot`: the figures the Guard decides on, read without committing the time.

use serde::{Deserialize, Serialize};

use super::{budget, Breakers, GuardState, Pending, PerClass, TokenStatus};

/// The figures the Guard decides on, as `snapshot(nowMs)` gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "GuardSnapshot"))]
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
    #[cfg_attr(feature = "ts", ts(inline))]
    pub breakers: Breakers,
    /// Retry budget tokens (refilled up to the snapshot's time).
    pub budgets: PerClass<u32>,
    /// Requests waiting for a retry.
    pub pending_requests: u32,
    /// Token state.
    pub token: TokenStatus,
}

impl GuardState {
    /// The figures the Guard decides on at `now`, without committing the time.
    pub(super) fn snapshot(&self, now: u64) -> Snapshot {
        let s = self;
        let usage = s.usage();
        let (credits_used, next_credit_free_at) = s.ledger.view(now);
        let mut breakers = s.breakers;
        breakers.server.tick(now);
        breakers.network.tick(now);
        let mut token = s.token.clone();
        token.expire(now);
        let (mut budgets, mut since) = (s.budgets, s.budgets_since);
        let b = &s.config.budget;
        budget::refill_all(
            &mut budgets,
            &mut since,
            now,
            b.refill_per_second,
            b.capacity,
        );
        Snapshot {
            now,
            in_flight: u32::try_from(s.in_flight.len()).unwrap_or(u32::MAX),
            slots_in_use: usage.slots,
            complex_in_flight: usage.complex,
            graphql_in_flight: usage.graphql,
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
            budgets,
            pending_requests: u32::try_from(
                s.requests
                    .values()
                    .filter(|r| r.pending != Pending::InFlight)
                    .count(),
            )
            .unwrap_or(u32::MAX),
            token: token.status(now),
        }
    }
}
