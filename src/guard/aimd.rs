//! The adaptive concurrency (AIMD): the effective limit Zoho's 429s teach, below the
//! edition's. Kept in integer milli-slots so that the state round-trips exactly and
//! every runtime computes the same figures.

use super::{GuardState, InFlight};

/// Milli-slots per concurrency slot.
pub(super) const MILLI: u64 = 1_000;

/// How much slower the additive increase is near the limit where the last 429 came
/// (a plateau, as TCP CUBIC has near its last maximum): fewer 429s when another client
/// shares the org. Design value.
const PLATEAU_SLOWDOWN: u64 = 8;

/// Each further 429 at the same level doubles the plateau's length, up to this many
/// times (so a steady neighbour costs one probe per 8 × 2³ × limit calls at most, and a
/// neighbour that left is found within that many calls). Design value, after the
/// backoff of TCP CUBIC's probing and of exponential backoff generally.
pub(super) const MAX_PLATEAU_DOUBLINGS: u32 = 3;

/// `slots` whole slots in milli-slots.
pub(super) fn milli(slots: u32) -> u64 {
    u64::from(slots).saturating_mul(MILLI)
}

impl GuardState {
    /// The effective concurrency, in whole slots: at least 1, at most the edition's.
    pub(super) fn effective_limit(&self) -> u32 {
        let e = self.effective_milli / MILLI;
        u32::try_from(e)
            .unwrap_or(u32::MAX)
            .clamp(1, self.config.concurrency)
    }

    /// A TOO_MANY_REQUESTS on `flight` (not credit exhaustion): multiplicative
    /// decrease, once per congestion event (calls admitted before the last decrease
    /// do not decrease again). The refused call also says how much room the org had:
    /// no more than the slots ours held when it was admitted; the limit drops to that
    /// at once (but by no more than half in one event, one refusal being one sample),
    /// instead of finding it by several rounds of 429s.
    pub(super) fn congested(&mut self, flight: &InFlight, now: u64) {
        let s = self;
        if flight.admitted_at >= s.last_decrease_at || s.last_decrease_at == 0 {
            let eff = s.effective_milli;
            let dec = eff.saturating_mul(u64::from(s.config.aimd_decrease_permille)) / 1_000;
            let seen = milli(flight.slots_before);
            let refused_at = u64::from(flight.slots_before)
                .saturating_add(u64::from(flight.slots.max(1)))
                .saturating_mul(MILLI)
                .min(eff);
            let same_level =
                s.congestion_milli > 0 && refused_at <= s.congestion_milli.saturating_add(MILLI);
            s.congestion_repeats = if same_level {
                s.congestion_repeats.saturating_add(1)
            } else {
                1
            };
            s.congestion_milli = refused_at;
            s.effective_milli = dec.min(seen.max(eff / 2)).max(MILLI);
            s.last_decrease_at = now.max(1);
        }
    }

    /// A success: additive increase, one slot per `limit` successes, never above the
    /// edition's; within one slot of the level where the last 429 came (another client
    /// holds the rest), one slot per `PLATEAU_SLOWDOWN × 2^repeats × limit` successes,
    /// so probing the shared capacity costs few 429s. Past that level (the neighbour
    /// left), normal growth again.
    pub(super) fn grow(&mut self) {
        let s = self;
        let max = milli(s.config.concurrency);
        let mut inc = (MILLI * MILLI) / s.effective_milli.max(MILLI);
        if s.congestion_milli > 0 {
            if s.effective_milli >= s.congestion_milli.saturating_add(MILLI) {
                s.congestion_repeats = 0;
            } else if s.effective_milli.saturating_add(MILLI) >= s.congestion_milli {
                let doublings = s
                    .congestion_repeats
                    .saturating_sub(1)
                    .min(MAX_PLATEAU_DOUBLINGS);
                inc /= PLATEAU_SLOWDOWN << doublings;
            }
        }
        s.effective_milli = s.effective_milli.saturating_add(inc.max(1)).min(max);
    }
}
