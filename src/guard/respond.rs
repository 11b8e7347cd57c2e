//! `settle(ticket, response, nowMs)`: classify the reply, then decide.

use super::{Decision, Guard};
use crate::classify::{classify, ClassifyOptions, Response};
use crate::error::{Error, Result};

impl Guard {
    /// Classifies `response` as a reply to `ticket`'s operation (HTTP-date
    /// `Retry-After` read against `now_ms`), then decides as [`Guard::settle_verdict`].
    pub fn settle(
        &mut self,
        ticket: u64,
        response: &Response<'_>,
        now_ms: f64,
    ) -> Result<Decision> {
        let state = self.state();
        let Some(flight) = state.in_flight.get(&ticket) else {
            return Err(if ticket == 0 || ticket >= state.next_ticket {
                Error::UnknownTicket { ticket }
            } else {
                Error::TicketAlreadySettled { ticket }
            });
        };
        let options = ClassifyOptions {
            now_ms: (now_ms.is_finite() && now_ms >= 0.0).then_some(now_ms as u64),
            ..ClassifyOptions::default()
        };
        let verdict = classify(response, Some(&flight.operation), &options)?;
        self.settle_verdict(ticket, &verdict, now_ms)
    }
}
