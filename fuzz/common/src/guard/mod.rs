//! Guard scenarios: a configuration and a sequence of events (admit, settle, settle
//! without response, token refreshed or failed, snapshot, toJSON + fromJSON, time
//! moving either way), run by a [`Harness`] that checks the Guard's invariants after
//! every event.
//!
//! The `guard` fuzz target decodes its scenario from bytes ([`fuzz`]); tests/guard_props.rs
//! draws the same seeds with proptest strategies. Both run the same [`Harness`].

mod harness;
mod seeds;

pub use harness::Harness;
pub use seeds::{
    ConfigSeed, OperationSeed, TokenFailureSeed, TokenSeed, VerdictSeed, HUGE_RETRY_AFTER_MS,
    PARTIAL_KIND, TOKEN_FAILURE_KINDS, VERDICT_KINDS,
};

use arbitrary::{Result, Unstructured};

/// The editions a scenario runs under.
pub const EDITIONS: [&str; 5] = ["free", "standard", "professional", "enterprise", "ultimate"];

/// The access token every refresh hands over: it must never reach the stored state.
pub const SECRET: &str = "secret-token-Zx9";

/// Steps of one fuzz input at most (a step is a time move and an action).
pub const MAX_STEPS: u32 = 400;

/// The fuzz target's time origin, ms (any date works; this one is recent).
pub const FUZZ_START_MS: u64 = 1_700_000_000_000;

/// One event of a scenario.
#[derive(Debug, Clone)]
pub enum Event {
    /// Time moves forward, ms.
    Wait(u64),
    /// Time moves backwards, ms (the Guard keeps the latest time it saw).
    Rewind(u64),
    /// Admit an operation, as a retry of a request waiting for one if `retry`.
    Admit { op: OperationSeed, retry: bool },
    /// Settle the in-flight call `pick` (modulo the calls in flight) with a verdict.
    Settle { pick: usize, verdict: VerdictSeed },
    /// Settle the in-flight call `pick` without a response (or with a truncated body);
    /// with nothing in flight, an unknown ticket.
    NoResponse { pick: usize, truncated: bool },
    /// A token refresh, with or without the endpoint's response.
    Refresh(Option<TokenSeed>),
    /// A token refresh that failed.
    RefreshFailed(TokenFailureSeed),
    /// Two snapshots at the same time.
    Snapshot,
    /// toJSON, then fromJSON.
    RoundTrip,
}

/// One step of the fuzz input: a time move, then an action (none when the action
/// needs a call in flight and there is none).
#[derive(Debug, Clone)]
pub struct Step {
    /// [`Event::Wait`] or [`Event::Rewind`].
    pub time: Event,
    /// The action.
    pub action: Option<Event>,
}

impl Step {
    /// The next step of the fuzz input, given how many calls are in flight. Time moves
    /// forward mostly, by up to 255 ms; sometimes by up to 49 days, sometimes back.
    pub fn decode(u: &mut Unstructured, in_flight: usize) -> Result<Self> {
        let time = match u.int_in_range(0u8..=9)? {
            0 => Event::Rewind(u64::from(u.arbitrary::<u16>()?)),
            1 => Event::Wait(u64::from(u.arbitrary::<u32>()?)),
            _ => Event::Wait(u64::from(u.arbitrary::<u8>()?)),
        };
        let pick = |u: &mut Unstructured| u.int_in_range(0..=in_flight.saturating_sub(1));
        let action = match u.int_in_range(0u8..=8)? {
            0 | 1 => Some(Event::Admit {
                op: OperationSeed::decode(u)?,
                retry: u.arbitrary()?,
            }),
            2 | 3 if in_flight == 0 => None,
            2 | 3 => Some(Event::Settle {
                pick: pick(u)?,
                verdict: VerdictSeed::decode(u)?,
            }),
            4 if in_flight == 0 => Some(Event::NoResponse {
                pick: 0,
                truncated: false,
            }),
            4 => Some(Event::NoResponse {
                pick: pick(u)?,
                truncated: u.arbitrary()?,
            }),
            5 => Some(Event::Refresh(Some(TokenSeed::decode(u)?))),
            6 => Some(Event::Snapshot),
            7 => Some(Event::RefreshFailed(TokenFailureSeed::decode(u)?)),
            _ => Some(Event::RoundTrip),
        };
        Ok(Step { time, action })
    }
}

/// The `guard` fuzz target: a configuration, then up to [`MAX_STEPS`] steps, every
/// invariant checked after each; at the end, the decision log replays.
pub fn fuzz(u: &mut Unstructured) -> Result<()> {
    let Some(mut h) = Harness::new(&ConfigSeed::decode(u)?, FUZZ_START_MS) else {
        return Ok(());
    };
    let mut steps = 0;
    while !u.is_empty() && steps < MAX_STEPS {
        steps += 1;
        let step = Step::decode(u, h.in_flight())?;
        h.apply(&step.time);
        if let Some(action) = &step.action {
            h.apply(action);
        }
        h.check();
    }
    h.finish();
    Ok(())
}
