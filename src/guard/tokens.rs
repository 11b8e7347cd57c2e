//! Access-token generations: one refresh per generation however many calls fail,
//! proactive refresh within a skew, and the refresh-token rate limit.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::config::{TOKEN_REFRESHES_PER_WINDOW, TOKEN_REFRESH_WINDOW_MS};
use crate::catalog::data_center_for;
use crate::error::{clip, Error, Result};

/// `expires_in` above this is taken as milliseconds: legacy token responses gave
/// `expires_in` in ms beside `expires_in_sec` (PYSDK `get_token_expires_in`).
pub const EXPIRES_IN_MS_THRESHOLD: f64 = 100_000.0;

/// Longest `api_domain` kept.
pub const MAX_API_DOMAIN_LEN: usize = 2_048;

/// The token endpoint's JSON, as JavaScript passes it to `tokenRefreshed`; the
/// access token itself is never stored.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct TokenResponse {
    /// The new access token: accepted and ignored (never stored nor required, so
    /// callers may strip it before passing the response).
    pub access_token: Option<String>,
    /// The API domain of the org's data centre.
    pub api_domain: Option<String>,
    /// Lifetime in seconds (or ms in legacy responses).
    pub expires_in: Option<f64>,
    /// Lifetime in seconds (legacy responses).
    pub expires_in_sec: Option<f64>,
    /// The endpoint's error (`invalid_code`, `invalid_client`, …).
    pub error: Option<String>,
}

/// What the Guard keeps of a token response (logged and replayed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TokenInfo {
    /// API domain, when given.
    pub api_domain: Option<String>,
    /// Lifetime in ms, when given.
    pub expires_in_ms: Option<u64>,
}

impl TokenResponse {
    /// Checks a token response: an `error` is refused (the token endpoint answers
    /// errors with HTTP 200, sources §8).
    pub fn into_info(self) -> Result<TokenInfo> {
        if let Some(e) = self.error {
            return Err(Error::invalid(
                "tokenResponse.error",
                format!("the token endpoint answered {:?}", clip(&e)),
            ));
        }
        let secs = |v: f64, f: &str| -> Result<u64> {
            if !v.is_finite() || !(0.0..=1e12).contains(&v) {
                return Err(Error::invalid(
                    f,
                    format!("expected a non-negative number, got {v}"),
                ));
            }
            Ok(v as u64)
        };
        let expires_in_ms = match (self.expires_in_sec, self.expires_in) {
            (Some(s), _) => Some(secs(s, "tokenResponse.expires_in_sec")?.saturating_mul(1_000)),
            (None, Some(v)) if v > EXPIRES_IN_MS_THRESHOLD => {
                Some(secs(v, "tokenResponse.expires_in")?)
            }
            (None, Some(v)) => Some(secs(v, "tokenResponse.expires_in")?.saturating_mul(1_000)),
            (None, None) => None,
        };
        if let Some(d) = &self.api_domain {
            if d.len() > MAX_API_DOMAIN_LEN {
                return Err(Error::invalid("tokenResponse.api_domain", "is too long"));
            }
        }
        Ok(TokenInfo {
            api_domain: self.api_domain,
            expires_in_ms,
        })
    }
}

/// A refresh that was asked for and not yet reported done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshAsk {
    /// When it was asked.
    pub asked_at: u64,
    /// The generation it replaces.
    pub generation: u64,
}

/// The token side of the Guard's state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenState {
    /// Incremented by each `tokenRefreshed`.
    pub generation: u64,
    /// Expiry of the current token, ms since the epoch.
    pub expires_at: Option<u64>,
    /// API domain of the current token.
    pub api_domain: Option<String>,
    /// The pending refresh, if any.
    pub refresh: Option<RefreshAsk>,
    /// When the last refreshes were tried, failed ones included (within the
    /// rate-limit window).
    pub refreshes: VecDeque<u64>,
    /// Lifetime of the current token, ms (its `expires_in`), when given.
    #[serde(default)]
    pub lifetime_ms: Option<u64>,
    /// Refreshes that failed in a row since the last success.
    #[serde(default)]
    pub failures: u32,
    /// After a failed refresh: no refresh, and no call needing the token, before this.
    #[serde(default)]
    pub retry_at: u64,
    /// The newest generation a call has succeeded with: a token Zoho accepted once and
    /// rejects later has expired (Zoho's clock runs ahead of ours by the refresh's
    /// round trip), it is not a bad token.
    #[serde(default)]
    pub proven_generation: u64,
}

/// A point-in-time view of the token state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TokenStatus {
    /// Current generation.
    pub generation: u64,
    /// Expiry, when known.
    pub expires_at: Option<u64>,
    /// API domain, when known.
    pub api_domain: Option<String>,
    /// Data centre of the API domain.
    pub data_center: Option<String>,
    /// Whether a refresh is pending.
    pub refresh_pending: bool,
    /// Ms before another refresh is allowed: by the rate limit, or after a failed refresh.
    pub refresh_wait_ms: u64,
}

impl TokenState {
    /// Forgets refreshes older than the rate-limit window.
    pub fn expire(&mut self, now: u64) {
        while let Some(&t) = self.refreshes.front() {
            if t.saturating_add(TOKEN_REFRESH_WINDOW_MS) > now {
                break;
            }
            self.refreshes.pop_front();
        }
    }

    /// Ms until the refresh-token rate limit allows another refresh.
    pub fn refresh_wait(&self, now: u64) -> u64 {
        if self.refreshes.len() < TOKEN_REFRESHES_PER_WINDOW as usize {
            return 0;
        }
        self.refreshes.front().map_or(0, |&t| {
            t.saturating_add(TOKEN_REFRESH_WINDOW_MS)
                .saturating_sub(now)
        })
    }

    /// Ms until a failed refresh may be tried again.
    pub fn retry_wait(&self, now: u64) -> u64 {
        self.retry_at.saturating_sub(now)
    }

    /// Ms until the next refresh may go: the rate limit, and a failed refresh's wait.
    pub fn next_refresh_wait(&self, now: u64) -> u64 {
        self.refresh_wait(now).max(self.retry_wait(now))
    }

    /// Whether the token expires within the refresh margin: `skew_ms`, but at most half
    /// the token's lifetime, so that a token living 2 s is used for 1 s rather than
    /// never (PYSDK/NODESDK's 5 s would refuse every call).
    pub fn expiring(&self, now: u64, skew_ms: u64) -> bool {
        let margin = self.lifetime_ms.map_or(skew_ms, |l| skew_ms.min(l / 2));
        self.expires_at
            .is_some_and(|exp| now.saturating_add(margin) >= exp)
    }

    /// Records a refresh: a new generation.
    pub fn refreshed(&mut self, now: u64, info: &TokenInfo) {
        self.generation = self.generation.saturating_add(1);
        self.refresh = None;
        self.failures = 0;
        self.retry_at = 0;
        self.lifetime_ms = info.expires_in_ms;
        self.expires_at = info.expires_in_ms.map(|ms| now.saturating_add(ms));
        if info.api_domain.is_some() {
            self.api_domain.clone_from(&info.api_domain);
        }
        self.refreshes.push_back(now);
    }

    /// Data centre id of the token's API domain.
    pub fn data_center(&self) -> Option<String> {
        self.api_domain
            .as_deref()
            .and_then(data_center_for)
            .map(|dc| dc.id.to_owned())
    }

    /// The public view.
    pub fn status(&self, now: u64) -> TokenStatus {
        TokenStatus {
            generation: self.generation,
            expires_at: self.expires_at,
            api_domain: self.api_domain.clone(),
            data_center: self.data_center(),
            refresh_pending: self.refresh.is_some(),
            refresh_wait_ms: self.next_refresh_wait(now),
        }
    }
}
