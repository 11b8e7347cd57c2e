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

/// How much faster the limit grows back toward the level where a single 429 came (the
/// org held that many a moment ago): CUBIC's concave return to its last maximum. One
/// slot per `limit / 3` successes: three rounds after a × 0.7 at 10 slots become one.
/// Design value; a neighbour found there answers with a second 429 at that level,
/// which makes the plateau.
const RECOVERY_SPEEDUP: u64 = 3;

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
    /// do not decrease again). The event's level is the slots ours held when the
    /// refused call was admitted, plus its own.
    ///
    /// One 429 is one sample: it is a plain decrease. A second 429 in the same event
    /// (a burst refused), or a second event at the same level (within one slot), is
    /// a neighbour holding the rest: the limit then drops to the room seen at once
    /// (by no more than half), instead of finding it by several rounds of 429s, and
    /// growth slows near that level (`grow`). Random
    /// 429s come at scattered levels; taking each as the org's room held a job at
    /// 4 of 10 slots (measured, 5,000 upserts, 429s at 3% of calls).
    ///
    /// When the org has just shown more room (a call holding more slots succeeded
    /// since the last decrease), the level is the room shown: a 429 below it is as
    /// likely noise (a proxy, a credit blip) as a neighbour.
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
            let below_shown = s.proven_milli > refused_at.saturating_add(MILLI);
            let level = if below_shown {
                s.proven_milli.min(eff)
            } else {
                refused_at
            };
            let same_level = s.congestion_milli > 0 && level.abs_diff(s.congestion_milli) <= MILLI;
            s.congestion_repeats = if same_level {
                s.congestion_repeats.saturating_add(1)
            } else {
                1
            };
            s.congestion_milli = level;
            s.effective_milli = if same_level && !below_shown {
                dec.min(seen.max(eff / 2))
            } else {
                dec
            }
            .max(MILLI);
            s.last_decrease_at = now.max(1);
            s.proven_milli = 0;
            // Noise by the room shown counts as a sample only from the next 429 on.
            s.event_refusals = u32::from(!below_shown);
            s.event_seen_milli = seen;
            s.event_start_milli = eff;
        } else {
            // Another 429 of the same event: a second sample. Several calls of one
            // burst refused say the org's room is what the fewest held showed.
            s.event_refusals = s.event_refusals.saturating_add(1);
            s.event_seen_milli = s.event_seen_milli.min(milli(flight.slots_before));
            if s.event_refusals == 2 {
                let room = s.event_seen_milli.max(s.event_start_milli / 2);
                s.effective_milli = s.effective_milli.min(room).max(MILLI);
            }
        }
    }

    /// A success: additive increase, one slot per `limit` successes, never above the
    /// edition's; within one slot of the level where the last 429 came (another client
    /// may hold the rest), one slot per `PLATEAU_SLOWDOWN × 2^(repeats-1) × limit`
    /// successes, so probing the shared capacity costs few 429s. Past that level (the
    /// neighbour left), normal growth again. After a lone 429 (one sample, not a burst,
    /// not a level seen twice), the limit grows back `RECOVERY_SPEEDUP` times faster up to
    /// one slot below what it was before: the org held that many a moment ago.
    pub(super) fn grow(&mut self, flight: &InFlight) {
        let s = self;
        let held = u64::from(flight.slots_before)
            .saturating_add(u64::from(flight.slots.max(1)))
            .saturating_mul(MILLI);
        s.proven_milli = s.proven_milli.max(held);
        let max = milli(s.config.concurrency);
        let eff = s.effective_milli;
        let mut inc = (MILLI * MILLI) / eff.max(MILLI);
        let mut plateau = false;
        if s.congestion_milli > 0 {
            if eff >= s.congestion_milli.saturating_add(MILLI) {
                s.congestion_repeats = 0;
            } else if eff.saturating_add(MILLI) >= s.congestion_milli {
                let doublings = s
                    .congestion_repeats
                    .saturating_sub(1)
                    .min(MAX_PLATEAU_DOUBLINGS);
                inc /= PLATEAU_SLOWDOWN << doublings;
                plateau = true;
            }
        }
        // Back toward what the org held before one lone 429 (CUBIC's W_max): the limit
        // before that event, or the level it came at.
        if !plateau && s.congestion_repeats <= 1 && s.event_refusals <= 1 {
            let held_before = s.congestion_milli.max(s.event_start_milli);
            if eff.saturating_add(MILLI) < held_before {
                inc = inc.saturating_mul(RECOVERY_SPEEDUP);
            }
        }
        s.effective_milli = eff.saturating_add(inc.max(1)).min(max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Operation, OperationKind};
    use crate::guard::GuardConfig;

    fn state(concurrency: u32) -> GuardState {
        let mut config = GuardConfig::for_edition("enterprise").unwrap();
        config.concurrency = concurrency;
        GuardState::new(config)
    }

    fn refused(admitted_at: u64, slots_before: u32) -> InFlight {
        InFlight {
            request: 1,
            operation: Operation::new(OperationKind::Get),
            attempt: 1,
            cost: 1,
            refund_on_rollback: 0,
            slots: 1,
            complex: false,
            graphql: false,
            admitted_at,
            slots_before,
            generation: 0,
            charged: None,
        }
    }

    #[test]
    fn decreases_once_per_event_and_to_the_room_seen_when_it_repeats() {
        let mut s = state(20);
        assert_eq!(s.effective_limit(), 20);
        // 4 slots were held when the refused call went: one sample, a plain ×0.7.
        s.congested(&refused(10, 4), 100);
        assert_eq!(s.effective_milli, 14_000);
        assert_eq!((s.congestion_milli, s.congestion_repeats), (5_000, 1));
        assert_eq!(s.last_decrease_at, 100);
        // Admitted before that decrease: the same event, no second decrease, but a
        // second sample: the room seen (none), by half at most of the 20 before.
        s.congested(&refused(50, 0), 120);
        assert_eq!((s.effective_milli, s.last_decrease_at), (10_000, 100));
        // A third in the same event changes nothing.
        s.congested(&refused(60, 0), 130);
        assert_eq!(s.effective_milli, 10_000);
        // A new event at the same level: ×0.7, then the room seen (4), by half at most.
        s.congested(&refused(150, 4), 200);
        assert_eq!(s.effective_milli, 5_000);
        assert_eq!((s.congestion_milli, s.congestion_repeats), (5_000, 2));
        // A 429 at a scattered level: a plain decrease, a new count.
        s.effective_milli = 10_000;
        s.congested(&refused(350, 8), 400);
        assert_eq!(s.effective_milli, 7_000);
        assert_eq!((s.congestion_milli, s.congestion_repeats), (9_000, 1));
    }

    #[test]
    fn grows_slower_on_the_plateau_and_normally_past_it() {
        let mut s = state(20);
        s.effective_milli = 5_000;
        s.grow(&refused(0, 0));
        // One slot per `limit` successes: 1000/5 milli-slots.
        assert_eq!(s.effective_milli, 5_200);
        s.effective_milli = 5_000;
        s.congestion_milli = 5_000;
        s.congestion_repeats = 2;
        s.grow(&refused(0, 0));
        // 200 / (8 × 2^(2-1)).
        assert_eq!(s.effective_milli, 5_012);
        s.effective_milli = 6_000;
        s.grow(&refused(0, 0));
        assert_eq!(
            s.congestion_repeats, 0,
            "past the level: the neighbour left"
        );
        assert_eq!(s.effective_milli, 6_166);
        s.effective_milli = 19_990;
        s.grow(&refused(0, 0));
        assert_eq!(s.effective_limit(), 20, "never above the edition's");
        assert_eq!(s.effective_milli, 20_000);
    }

    #[test]
    fn one_429_below_the_room_shown_is_a_plain_decrease_and_a_second_counts() {
        let mut s = state(10);
        // A call holding all 10 slots succeeded: the org has shown room for 10.
        s.grow(&refused(5, 9));
        assert_eq!(s.proven_milli, 10_000);
        // A 429 on a call admitted with 2 held: noise or a neighbour; ×0.7, plateau at 10.
        s.congested(&refused(10, 2), 100);
        assert_eq!(s.effective_milli, 7_000);
        assert_eq!((s.congestion_milli, s.proven_milli), (10_000, 0));
        // Below the level of that one 429, growth is three times the normal speed.
        s.grow(&refused(150, 2));
        assert_eq!(s.effective_milli, 7_000 + 3 * 142);
        // The next event at a low level, nothing more shown since: it counts, plainly.
        s.congested(&refused(200, 2), 300);
        assert_eq!(s.effective_milli, 5_198);
        assert_eq!((s.congestion_milli, s.congestion_repeats), (3_000, 1));
        // Again at that level: the room seen, by half at most.
        s.congested(&refused(400, 2), 500);
        assert_eq!(s.effective_milli, 2_599, "by half at most");
        assert_eq!((s.congestion_milli, s.congestion_repeats), (3_000, 2));
    }

    #[test]
    fn below_the_level_of_one_429_the_limit_grows_back_faster() {
        let mut s = state(10);
        s.effective_milli = 7_000;
        s.congestion_milli = 10_000;
        s.congestion_repeats = 1;
        s.grow(&refused(0, 0));
        assert_eq!(s.effective_milli, 7_000 + 3 * 142, "three times 1000/7");
        // Within one slot of the level: the plateau, 142 / 8.
        s.effective_milli = 9_000;
        s.grow(&refused(0, 0));
        assert_eq!(s.effective_milli, 9_013);
        // After two 429s at the level, no faster growth below it.
        s.congestion_repeats = 2;
        s.effective_milli = 7_000;
        s.grow(&refused(0, 0));
        assert_eq!(s.effective_milli, 7_142);
        // A lone 429 at a low level (a call admitted with 2 held) from a limit of 10:
        // back toward the 10 held before, past the level it came at.
        let mut s = state(10);
        s.effective_milli = 10_000;
        s.congested(&refused(10, 2), 100);
        assert_eq!((s.effective_milli, s.congestion_milli), (7_000, 3_000));
        s.grow(&refused(150, 2));
        assert_eq!(s.effective_milli, 7_000 + 3 * 142);
        // A burst refused (a second 429 of the event): no such return.
        s.congested(&refused(50, 5), 110);
        s.effective_milli = 7_000;
        s.grow(&refused(150, 2));
        assert_eq!(s.effective_milli, 7_142);
    }
}
