//! Runs a scenario's events against a Guard and checks its invariants.

use std::collections::{BTreeMap, BTreeSet};

use zcrm_guard::catalog::{credit_cost, CREDIT_WINDOW_MS};
use zcrm_guard::guard::{replay, Action, Admission, Decision, Guard, GuardConfig, GuardState};
use zcrm_guard::MAX_WAIT_MS;

use super::{ConfigSeed, Event, SECRET};

/// Credits spent by one admitted call.
#[derive(Debug, Clone, Copy)]
struct Spend {
    at: u64,
    credits: u64,
}

/// A Guard, its calls as the caller sees them, and the invariants after every event:
/// in-flight slots, the complex and GraphQL pools never above their limits; each ticket
/// settles once; attempts per request never above the configuration's (a token replay
/// is the one beyond; a patient request has no cap); every delay and wait at most
/// `MAX_WAIT_MS` (2^31 - 1, what `setTimeout` holds); the credits of any 24 h window
/// never above the allowance (until an X-API-CREDITS-REMAINING header reconciles the
/// count); snapshots read-only; the state round-trips without the access token; the
/// decision log replays.
#[derive(Debug)]
pub struct Harness {
    guard: Guard,
    config: GuardConfig,
    now: u64,
    /// The latest time given: the Guard's clock never goes back.
    seen_now: u64,
    in_flight: Vec<u64>,
    settled: BTreeSet<u64>,
    /// Requests waiting for a retry.
    retryable: Vec<u64>,
    spends: Vec<Spend>,
    attempts: BTreeMap<u64, u32>,
    /// Requests with a patient attempt: no attempts cap.
    patient: BTreeSet<u64>,
    header_seen: bool,
}

impl Harness {
    /// A Guard under `config` at `start_ms`; `None` if the configuration is refused.
    pub fn new(config: &ConfigSeed, start_ms: u64) -> Option<Self> {
        let guard = config.guard()?;
        Some(Harness {
            config: guard.state().config.clone(),
            guard,
            now: start_ms,
            seen_now: start_ms,
            in_flight: Vec::new(),
            settled: BTreeSet::new(),
            retryable: Vec::new(),
            spends: Vec::new(),
            attempts: BTreeMap::new(),
            patient: BTreeSet::new(),
            header_seen: false,
        })
    }

    /// Calls in flight.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// Applies one event, checking what that event promises.
    pub fn apply(&mut self, event: &Event) {
        let t = self.now as f64;
        match event {
            Event::Wait(ms) => {
                self.now = self.now.saturating_add(*ms);
                self.seen_now = self.seen_now.max(self.now);
            }
            Event::Rewind(ms) => self.now = self.now.saturating_sub(*ms),
            Event::Admit { op, retry } => {
                let op = op.operation();
                let retry_of = if *retry { self.retryable.pop() } else { None };
                match self.guard.admit(&op, t, retry_of) {
                    Ok(Admission::Admitted(a)) => {
                        assert!(
                            !self.settled.contains(&a.ticket)
                                && !self.in_flight.contains(&a.ticket)
                        );
                        self.in_flight.push(a.ticket);
                        self.spends.push(Spend {
                            at: self.seen_now,
                            credits: u64::from(a.cost),
                        });
                        let n = self.attempts.entry(a.request).or_insert(0);
                        *n += 1;
                        if op.patient {
                            self.patient.insert(a.request);
                        }
                        let max = self.config.retry.max_attempts;
                        assert!(
                            *n <= max + 1 || self.patient.contains(&a.request),
                            "attempt {n} of request {}, max {max}",
                            a.request
                        );
                        assert_eq!(a.attempt, *n);
                    }
                    Ok(Admission::Refused(r)) => {
                        assert!(r.wait_ms <= MAX_WAIT_MS, "wait {} ms", r.wait_ms);
                        self.retryable.extend(retry_of);
                    }
                    Err(e) => {
                        let too_dear = u64::from(credit_cost(&op, &self.config.costs).credits)
                            > self.config.credit_allowance;
                        let expected = if too_dear {
                            "INVALID_ARGUMENT"
                        } else {
                            "RETRY_NOT_ALLOWED"
                        };
                        assert_eq!(e.code(), expected, "admit: {e}");
                    }
                }
            }
            Event::Settle { pick, verdict } => {
                let Some(ticket) = self.take(*pick) else {
                    return;
                };
                let v = verdict.verdict();
                self.header_seen |= v.credits.is_some();
                let d = self
                    .guard
                    .settle_verdict(ticket, &v, t)
                    .expect("an in-flight ticket settles");
                self.settled(ticket, &d);
                let again = self
                    .guard
                    .settle_verdict(ticket, &v, t)
                    .expect_err("a ticket settles once");
                assert_eq!(again.code(), "TICKET_ALREADY_SETTLED");
            }
            Event::NoResponse { pick, truncated } => {
                let Some(ticket) = self.take(*pick) else {
                    let e = self
                        .guard
                        .settle_no_response(u64::MAX, t, false)
                        .expect_err("unknown ticket");
                    assert_eq!(e.code(), "UNKNOWN_TICKET");
                    return;
                };
                let d = self
                    .guard
                    .settle_no_response(ticket, t, *truncated)
                    .expect("settles");
                self.settled(ticket, &d);
            }
            Event::Refresh(response) => {
                let info = match response {
                    None => None,
                    Some(r) => match r.info() {
                        Some(info) => Some(info),
                        None => return,
                    },
                };
                self.guard.token_refreshed(t, info).expect("valid time");
            }
            Event::RefreshFailed(failure) => {
                let d = self
                    .guard
                    .token_refresh_failed(t, &failure.failure())
                    .expect("valid time");
                assert!(d.delay_ms <= MAX_WAIT_MS, "token delay {} ms", d.delay_ms);
            }
            Event::Snapshot => {
                let a = self.guard.snapshot(t).expect("valid time");
                let b = self.guard.snapshot(t).expect("valid time");
                assert_eq!(a, b, "snapshot is read-only");
            }
            Event::RoundTrip => {
                let text = serde_json::to_string(self.guard.state()).expect("state serializes");
                assert!(!text.contains(SECRET), "the access token is stored");
                let back: GuardState = serde_json::from_str(&text).expect("state reads back");
                assert_eq!(&back, self.guard.state(), "toJSON/fromJSON round trip");
                self.guard = Guard::from_state(back).expect("own state accepted");
            }
        }
    }

    /// The in-flight call `pick` (modulo the calls in flight), no longer in flight.
    fn take(&mut self, pick: usize) -> Option<u64> {
        if self.in_flight.is_empty() {
            return None;
        }
        Some(self.in_flight.swap_remove(pick % self.in_flight.len()))
    }

    /// Records a settled ticket (once) and whether its request waits for a retry.
    fn settled(&mut self, ticket: u64, d: &Decision) {
        assert!(self.settled.insert(ticket), "ticket {ticket} settled twice");
        assert!(d.delay_ms <= MAX_WAIT_MS, "delay {} ms: {d:?}", d.delay_ms);
        if matches!(
            d.action,
            Action::Retry | Action::RetryRecords | Action::RefreshToken | Action::Verify
        ) {
            self.retryable.push(d.request);
        }
    }

    /// The limits, from a snapshot at the current time.
    pub fn check(&self) {
        let cfg = &self.config;
        let snap = self.guard.snapshot(self.now as f64).expect("valid time");
        assert!(
            snap.slots_in_use <= cfg.concurrency,
            "slots {} > {}",
            snap.slots_in_use,
            cfg.concurrency
        );
        assert!(snap.complex_in_flight <= cfg.sub_concurrency);
        assert!(snap.graphql_in_flight <= cfg.graphql_concurrency);
        assert_eq!(snap.in_flight as usize, self.in_flight.len());
        if let Some(until) = snap.cooldown_until {
            let ceiling = cfg.retry.max_retry_after_ms;
            assert!(
                until <= self.seen_now.saturating_add(ceiling),
                "cooldown until {until}, beyond the ceiling of {ceiling} ms"
            );
        }
        if !self.header_seen {
            let window: u64 = self
                .spends
                .iter()
                .filter(|s| s.at.saturating_add(CREDIT_WINDOW_MS) > self.seen_now)
                .map(|s| s.credits)
                .sum();
            assert!(
                window <= cfg.credit_allowance,
                "{window} credits in 24 h > {}",
                cfg.credit_allowance
            );
        }
    }

    /// The decision log replays to the same events.
    pub fn finish(self) {
        let replayed = replay(self.guard.log()).expect("own log replays");
        assert_eq!(&replayed, &self.guard.log().events);
    }
}
