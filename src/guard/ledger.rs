//! The credit ledger over Zoho's rolling 24-hour window (K93: "the API credits you
//! used at each time interval will be freed up after 24 hours"): every reservation
//! is freed exactly `CREDIT_WINDOW_MS` after it was made.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::catalog::CREDIT_WINDOW_MS;

/// Credits spent (or reserved) at each instant of the last 24 h, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ledger {
    /// `(ms, credits)`, times non-decreasing; one entry per distinct instant.
    entries: VecDeque<(u64, u64)>,
    /// Sum of `entries`.
    used: u64,
}

impl Ledger {
    /// Bytes of its entries on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.entries
            .capacity()
            .saturating_mul(std::mem::size_of::<(u64, u64)>())
    }

    /// Frees every entry spent at least 24 h before `now`.
    pub fn expire(&mut self, now: u64) {
        while let Some(&(at, credits)) = self.entries.front() {
            if at.saturating_add(CREDIT_WINDOW_MS) > now {
                break;
            }
            self.used = self.used.saturating_sub(credits);
            self.entries.pop_front();
        }
    }

    /// Credits counted in the current window.
    pub fn used(&self) -> u64 {
        self.used
    }

    /// `(used, next free time)` as they will be at `now`, without changing anything
    /// (costs only the entries that have expired by then).
    pub fn view(&self, now: u64) -> (u64, Option<u64>) {
        let mut used = self.used;
        for &(at, credits) in &self.entries {
            let free_at = at.saturating_add(CREDIT_WINDOW_MS);
            if free_at > now {
                return (used, Some(free_at));
            }
            used = used.saturating_sub(credits);
        }
        (used, None)
    }

    /// When the oldest entry frees, if any.
    pub fn next_free_at(&self) -> Option<u64> {
        self.entries
            .front()
            .map(|&(at, _)| at.saturating_add(CREDIT_WINDOW_MS))
    }

    /// Records `credits` spent at `now`.
    pub fn spend(&mut self, now: u64, credits: u64) {
        if credits == 0 {
            return;
        }
        self.used = self.used.saturating_add(credits);
        match self.entries.back_mut() {
            Some((at, c)) if *at == now => *c = c.saturating_add(credits),
            _ => self.entries.push_back((now, credits)),
        }
    }

    /// Ms from `now` until `need` more credits fit within `allowance`; `None` if they
    /// never can (the call costs more than the whole allowance).
    pub fn wait_for(&self, now: u64, need: u64, allowance: u64) -> Option<u64> {
        if need > allowance {
            return None;
        }
        let mut used = self.used;
        if used.saturating_add(need) <= allowance {
            return Some(0);
        }
        for &(at, credits) in &self.entries {
            used = used.saturating_sub(credits);
            if used.saturating_add(need) <= allowance {
                return Some(at.saturating_add(CREDIT_WINDOW_MS).saturating_sub(now));
            }
        }
        Some(0)
    }

    /// Removes `credits` from the oldest entries (our figures were too high). Taking
    /// them from the oldest is the cautious choice: less is freed soon.
    pub fn trim_oldest(&mut self, mut credits: u64) {
        while credits > 0 {
            let Some((_, c)) = self.entries.front_mut() else {
                break;
            };
            let take = credits.min(*c);
            *c -= take;
            credits -= take;
            self.used = self.used.saturating_sub(take);
            if *c == 0 {
                self.entries.pop_front();
            }
        }
    }

    /// Gives back `credits` spent at `at` (a composite that rolled back costs less).
    pub fn refund(&mut self, at: u64, credits: u64) {
        if let Some(entry) = self.entries.iter_mut().rev().find(|(t, _)| *t == at) {
            let take = credits.min(entry.1);
            entry.1 -= take;
            self.used = self.used.saturating_sub(take);
        }
        self.entries.retain(|&(_, c)| c > 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frees_exactly_24_hours_later() {
        let mut l = Ledger::default();
        l.spend(1_000, 7);
        l.spend(2_000, 3);
        l.expire(1_000 + CREDIT_WINDOW_MS - 1);
        assert_eq!(l.used(), 10);
        l.expire(1_000 + CREDIT_WINDOW_MS);
        assert_eq!(l.used(), 3);
        assert_eq!(
            l.wait_for(5_000, 8, 10),
            Some(2_000 + CREDIT_WINDOW_MS - 5_000)
        );
        assert_eq!(l.wait_for(5_000, 7, 10), Some(0));
        assert_eq!(l.wait_for(5_000, 11, 10), None);
        l.trim_oldest(2);
        assert_eq!(l.used(), 1);
    }
}
