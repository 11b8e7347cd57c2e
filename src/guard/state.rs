//! The Guard's state: what `toJSON` gives and `fromJSON` takes, its consistency
//! check, and the expiries that depend only on time.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::aimd::{milli, MILLI};
use super::{
    budget, BreakerState, GuardConfig, Jitter, Ledger, PerClass, RetryClass, TokenState,
    MAX_SAFE_INTEGER,
};
use crate::catalog::Operation;
use crate::error::{Error, Result};

/// Version of the serialized state; `fromJSON` refuses any other.
pub const STATE_VERSION: u32 = 1;

/// A pending request whose retry never came is forgotten this long after it was due
/// (the caller dropped it); the credit window's length is a generous bound.
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
    /// When the last attempt was admitted, or the retry the last decision asked for
    /// is due (its time plus its delay): the pending TTL counts from here.
    pub since: u64,
}

/// The two breakers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Breakers {
    /// Consecutive 5xx.
    pub server: BreakerState,
    /// Consecutive calls without a response.
    pub network: BreakerState,
}

impl Breakers {
    /// The breaker of a class: network failures have their own; everything else
    /// counts as the server's.
    pub(super) fn of(&self, class: RetryClass) -> BreakerState {
        match class {
            RetryClass::Network => self.network,
            _ => self.server,
        }
    }
}

/// What the calls in flight hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Usage {
    /// Slots of the edition's concurrency.
    pub slots: u32,
    /// Calls in the complex pool.
    pub complex: u32,
    /// Calls in the GraphQL pool.
    pub graphql: u32,
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
    /// `MAX_PLATEAU_DOUBLINGS`); 0 once the limit grew past that level.
    #[serde(default)]
    pub congestion_repeats: u32,
    /// The most slots ours held (milli-slots, the call's own included) by a call that
    /// succeeded since the last decrease: the room the org has shown it has.
    #[serde(default)]
    pub proven_milli: u64,
    /// 429s that count in the current congestion event (the second one drops the
    /// limit to the room seen); the fewest slots held when one of them was admitted,
    /// and the limit before the event (milli-slots).
    #[serde(default)]
    pub event_refusals: u32,
    #[serde(default)]
    pub event_seen_milli: u64,
    #[serde(default)]
    pub event_start_milli: u64,
    /// Credits of the rolling window.
    pub ledger: Ledger,
    /// Retry budget tokens per class.
    pub budgets: PerClass<u32>,
    /// When each class's refill counts from (later than now while patient retries'
    /// borrowed tokens accrue).
    #[serde(default = "no_refill_yet")]
    pub budgets_since: PerClass<u64>,
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

impl GuardState {
    /// Estimated bytes this state holds (what a copy costs): its own size, its maps at
    /// one and a half times their entries (B-tree nodes are not full) and its queues.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let map = |n: usize, entry: usize| n.saturating_mul(entry).saturating_mul(3) / 2;
        let modules: usize = self
            .in_flight
            .values()
            .map(|f| f.operation.module.as_ref().map_or(0, String::capacity))
            .sum();
        size_of::<Self>()
            .saturating_add(map(self.in_flight.len(), size_of::<(u64, InFlight)>()))
            .saturating_add(modules)
            .saturating_add(map(self.requests.len(), size_of::<(u64, Request)>()))
            .saturating_add(self.ledger.heap_bytes())
            .saturating_add(
                self.token
                    .refreshes
                    .capacity()
                    .saturating_mul(size_of::<u64>()),
            )
            .saturating_add(self.config.edition.capacity())
    }

    /// The state of a new Guard.
    pub(super) fn new(config: GuardConfig) -> Self {
        GuardState {
            version: STATE_VERSION,
            effective_milli: milli(config.concurrency),
            budgets: PerClass::all(config.budget.capacity),
            budgets_since: no_refill_yet(),
            jitter: Jitter::new(config.seed),
            config,
            now: 0,
            next_ticket: 1,
            in_flight: BTreeMap::new(),
            requests: BTreeMap::new(),
            last_decrease_at: 0,
            congestion_milli: 0,
            congestion_repeats: 0,
            proven_milli: 0,
            event_refusals: 0,
            event_seen_milli: 0,
            event_start_milli: 0,
            ledger: Ledger::default(),
            breakers: Breakers::default(),
            cooldown_until: 0,
            token: TokenState::default(),
            credits_header_seen: false,
        }
    }

    /// Refuses a state that cannot have come from a Guard (`fromJSON`).
    pub(super) fn check(&self) -> Result<()> {
        if self.version != STATE_VERSION {
            return Err(Error::invalid(
                "state.version",
                format!("expected {STATE_VERSION}, got {}", self.version),
            ));
        }
        if self.next_ticket == 0
            || self.in_flight.keys().any(|&t| t >= self.next_ticket)
            || self.now > MAX_SAFE_INTEGER
            || self.effective_milli < MILLI
        {
            return Err(Error::invalid("state", "inconsistent Guard state"));
        }
        Ok(())
    }

    /// Commits a time: expiries that depend only on time.
    pub(super) fn advance(&mut self, now: u64) {
        let s = self;
        s.now = now;
        s.ledger.expire(now);
        s.token.expire(now);
        s.breakers.server.tick(now);
        s.breakers.network.tick(now);
        let b = &s.config.budget;
        budget::refill_all(
            &mut s.budgets,
            &mut s.budgets_since,
            now,
            b.refill_per_second,
            b.capacity,
        );
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

    /// What the calls in flight hold.
    pub(super) fn usage(&self) -> Usage {
        self.in_flight
            .values()
            .fold(Usage::default(), |u, f| Usage {
                slots: u.slots.saturating_add(f.slots),
                complex: u.complex.saturating_add(u32::from(f.complex)),
                graphql: u.graphql.saturating_add(u32::from(f.graphql)),
            })
    }

    /// A failure of `class`'s breaker; whether it is open afterwards.
    pub(super) fn breaker_failure(&mut self, class: RetryClass, now: u64) -> bool {
        let cfg = &self.config.breaker;
        let breaker = match class {
            RetryClass::Network => &mut self.breakers.network,
            _ => &mut self.breakers.server,
        };
        breaker.failure(now, cfg.threshold, cfg.half_open_after_ms)
    }

    /// Credits the ledger says remain in the window.
    pub(super) fn credits_remaining(&self) -> u64 {
        self.config
            .credit_allowance
            .saturating_sub(self.ledger.used())
    }
}

/// A state saved before budgets refilled: every refill counts from the epoch (the
/// first time seen fills every bucket, as a new Guard's are).
fn no_refill_yet() -> PerClass<u64> {
    PerClass::all(0)
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
