//! A consecutive-failure circuit breaker (cockatiel's `ConsecutiveBreaker`): closed
//! until `threshold` failures in a row, then open for `halfOpenAfterMs`, then
//! half-open with one probe whose outcome closes or re-opens it.

use serde::{Deserialize, Serialize};

/// State of one breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state", from = "BreakerWire")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum BreakerState {
    /// Calls flow; `failures` consecutive failures so far.
    Closed {
        /// Consecutive failures.
        failures: u32,
    },
    /// Calls are refused until `until`.
    Open {
        /// When a probe may go.
        until: u64,
    },
    /// One probe may go; `probe` is its ticket once admitted.
    HalfOpen {
        /// Ticket of the probe in flight.
        probe: Option<u64>,
    },
}

/// What a [`BreakerState`] is read from: the same object, flat. Reading it through a
/// plain struct avoids serde's buffered reading of internally tagged enums (code size).
#[derive(Deserialize)]
struct BreakerWire {
    state: BreakerKind,
    #[serde(default)]
    failures: u32,
    #[serde(default)]
    until: u64,
    #[serde(default)]
    probe: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum BreakerKind {
    Closed,
    Open,
    HalfOpen,
}

impl From<BreakerWire> for BreakerState {
    fn from(w: BreakerWire) -> Self {
        match w.state {
            BreakerKind::Closed => BreakerState::Closed {
                failures: w.failures,
            },
            BreakerKind::Open => BreakerState::Open { until: w.until },
            BreakerKind::HalfOpen => BreakerState::HalfOpen { probe: w.probe },
        }
    }
}

impl Default for BreakerState {
    fn default() -> Self {
        BreakerState::Closed { failures: 0 }
    }
}

impl BreakerState {
    /// Moves an expired open breaker to half-open.
    pub fn tick(&mut self, now: u64) {
        if let BreakerState::Open { until } = *self {
            if now >= until {
                *self = BreakerState::HalfOpen { probe: None };
            }
        }
    }

    /// Ms until a call may pass, or `None` when one may pass now.
    pub fn wait(&self, now: u64) -> Option<u64> {
        match *self {
            BreakerState::Closed { .. } | BreakerState::HalfOpen { probe: None } => None,
            BreakerState::Open { until } => Some(until.saturating_sub(now)),
            BreakerState::HalfOpen { probe: Some(_) } => Some(0),
        }
    }

    /// Records that `ticket` was admitted (it becomes the probe when half-open).
    pub fn admitted(&mut self, ticket: u64) {
        if let BreakerState::HalfOpen { probe: None } = self {
            *self = BreakerState::HalfOpen {
                probe: Some(ticket),
            };
        }
    }

    /// A success closes the breaker.
    pub fn success(&mut self) {
        *self = BreakerState::Closed { failures: 0 };
    }

    /// A failure counts, opens at the threshold, and re-opens a half-open breaker.
    /// Returns whether the breaker is open afterwards.
    pub fn failure(&mut self, now: u64, threshold: u32, open_ms: u64) -> bool {
        let failures = match *self {
            BreakerState::Closed { failures } => failures.saturating_add(1),
            BreakerState::HalfOpen { .. } => threshold,
            BreakerState::Open { .. } => return true,
        };
        *self = if failures >= threshold {
            BreakerState::Open {
                until: now.saturating_add(open_ms),
            }
        } else {
            BreakerState::Closed { failures }
        };
        matches!(self, BreakerState::Open { .. })
    }

    /// A settled ticket that was the probe but neither succeeded nor failed in this
    /// class frees the probe slot.
    pub fn release(&mut self, ticket: u64) {
        if *self
            == (BreakerState::HalfOpen {
                probe: Some(ticket),
            })
        {
            *self = BreakerState::HalfOpen { probe: None };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_half_opens_and_closes() {
        let mut b = BreakerState::default();
        assert!(!b.failure(0, 2, 100));
        assert!(b.failure(1, 2, 100));
        assert_eq!(b.wait(50), Some(51));
        b.tick(101);
        assert_eq!(b.wait(101), None);
        b.admitted(7);
        assert_eq!(b.wait(101), Some(0), "one probe at a time");
        assert!(b.failure(102, 2, 100), "a failed probe re-opens");
        b.tick(300);
        b.admitted(8);
        b.success();
        assert_eq!(b, BreakerState::Closed { failures: 0 });
    }
}
