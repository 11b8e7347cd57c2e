//! A refresh that failed (`tokenRefreshFailed`): what the token endpoint's answer
//! means, and how long every caller waits before the next refresh.
//!
//! - The refresh token or the client is no good (`invalid_code`, `invalid_client`,
//!   `invalid_grant`, … or an `access_denied` saying it was revoked): permanent,
//!   `give_up` with `token_revoked`.
//! - "Access Denied" or "too many requests" (or a 429): Zoho's refresh-token rate limit
//!   (OAUTH: 10 access tokens per 10 minutes); Zoho blocks for the rest of the window,
//!   so the wait runs until the oldest refresh the Guard recorded leaves it, or 10
//!   minutes from now when it recorded none (basis `token_rate_limit`).
//! - Anything else (no response, 5xx, an unreadable answer): transient, equal-jitter
//!   backoff from 1 s, doubling per failure in a row, up to `retry.maxDelayMs` (basis
//!   `transient`); never sooner than the rate limit allows.
//!
//! Every attempt, failed or not, counts against the rate limit (the Guard cannot know
//! whether a failed one reached Zoho). While the wait runs, `admit` refuses every call
//! needing the token (`token_refresh`, `refresh: false`, `waitMs` the rest of it); when
//! it ends, exactly one caller is asked to refresh.

use serde::{Deserialize, Serialize};

use super::config::TOKEN_REFRESH_WINDOW_MS;
use super::{ceiling, Action, DelayBasis, GuardState, Reason};
use crate::MAX_WAIT_MS;

/// Backoff base of a transient refresh failure, ms. Design value: a token endpoint
/// that failed once is not asked again within the same second.
pub const TOKEN_RETRY_BASE_MS: u64 = 1_000;

/// The token endpoint's errors that mean the refresh token, the grant or the client
/// is no good (RFC 6749 §5.2, and Zoho's `invalid_code` for a revoked refresh token).
const PERMANENT: [&str; 8] = [
    "invalid_code",
    "invalid_client",
    "invalid_client_secret",
    "invalid_token",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
];

/// What the caller tells `tokenRefreshFailed`: the endpoint's answer, or that there
/// was none (absent: no response). Unknown keys are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct TokenFailure {
    /// The endpoint's `error` (`invalid_client`, `Access Denied`, …), when it answered.
    pub error: Option<String>,
    /// The HTTP status; absent or 0: no response.
    pub status: Option<u16>,
    /// The endpoint's `error_description`, or the exception's message.
    pub message: Option<String>,
}

/// Longest `error` or `message` kept of a failure, in characters.
pub const MAX_FAILURE_TEXT_CHARS: usize = 500;

/// The first [`MAX_FAILURE_TEXT_CHARS`] characters (cutting twice cuts the same: the
/// replay of a log finds what was logged).
fn cut(text: &str) -> String {
    match text.char_indices().nth(MAX_FAILURE_TEXT_CHARS) {
        None => text.to_owned(),
        Some((at, _)) => text.get(..at).unwrap_or_default().to_owned(),
    }
}

impl TokenFailure {
    /// The failure with its texts cut to [`MAX_FAILURE_TEXT_CHARS`] (what the log keeps).
    pub fn clipped(&self) -> Self {
        TokenFailure {
            error: self.error.as_deref().map(cut),
            status: self.status,
            message: self.message.as_deref().map(cut),
        }
    }
}

/// What to do after a failed refresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TokenFailureDecision {
    /// `retry`: refresh again once `delayMs` has passed (`admit` then asks one caller
    /// with `refresh: true`); `give_up`: the refresh token is no good, fail for good.
    #[cfg_attr(feature = "ts", ts(type = "'retry' | 'give_up'"))]
    pub action: Action,
    /// Ms before the next refresh (at most 2^31 - 1).
    pub delay_ms: u64,
    /// `token_revoked` (give up); `too_many_requests` (the rate limit); `network_error`
    /// (no response), `server_error` (5xx) or `unknown_response` (anything else).
    pub reason: Reason,
    /// What the delay rests on: `token_rate_limit` or `transient`; `null` on give up.
    pub delay_basis: Option<DelayBasis>,
    /// Refreshes that failed in a row, this one included.
    pub failures: u32,
}

/// What a failure means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meaning {
    Revoked,
    RateLimited,
    Transient(Reason),
}

fn meaning(f: &TokenFailure) -> Meaning {
    let error = f.error.as_deref().unwrap_or_default().trim();
    let code = error.to_ascii_lowercase();
    let message = f
        .message
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let says = |words: &str| code.contains(words) || message.contains(words);
    let denied = code == "access_denied" || code == "access denied";
    if (denied && message.contains("revoke")) || PERMANENT.contains(&code.as_str()) {
        return Meaning::Revoked;
    }
    if denied || says("too many requests") || f.status == Some(429) {
        return Meaning::RateLimited;
    }
    Meaning::Transient(match f.status.unwrap_or(0) {
        0 => Reason::NetworkError,
        500..=599 => Reason::ServerError,
        _ => Reason::UnknownResponse,
    })
}

impl GuardState {
    /// Decides on a failed refresh at a committed time, and makes every caller wait.
    pub(super) fn refresh_failed(
        &mut self,
        now: u64,
        failure: &TokenFailure,
    ) -> TokenFailureDecision {
        let oldest = self.token.refreshes.front().copied();
        self.token.refreshes.push_back(now);
        self.token.refresh = None;
        self.token.failures = self.token.failures.saturating_add(1);
        let failures = self.token.failures;
        let (action, reason, basis, delay) = match meaning(failure) {
            Meaning::Revoked => (Action::GiveUp, Reason::TokenRevoked, None, 0),
            Meaning::RateLimited => {
                let window_end = oldest
                    .map_or(now, |t| t)
                    .saturating_add(TOKEN_REFRESH_WINDOW_MS);
                let wait = window_end
                    .saturating_sub(now)
                    .max(self.token.refresh_wait(now));
                (
                    Action::Retry,
                    Reason::TooManyRequests,
                    Some(DelayBasis::TokenRateLimit),
                    wait,
                )
            }
            Meaning::Transient(reason) => {
                let ceil = ceiling(
                    TOKEN_RETRY_BASE_MS,
                    failures,
                    self.config.retry.max_delay_ms,
                );
                let backoff = (ceil / 2).saturating_add(self.jitter.up_to(ceil - ceil / 2));
                let rate = self.token.refresh_wait(now);
                let basis = if rate > backoff {
                    DelayBasis::TokenRateLimit
                } else {
                    DelayBasis::Transient
                };
                (Action::Retry, reason, Some(basis), backoff.max(rate))
            }
        };
        let delay_ms = delay.min(MAX_WAIT_MS);
        self.token.retry_at = now.saturating_add(delay_ms);
        TokenFailureDecision {
            action,
            delay_ms,
            reason,
            delay_basis: basis,
            failures,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(error: Option<&str>, status: Option<u16>, message: Option<&str>) -> Meaning {
        meaning(&TokenFailure {
            error: error.map(str::to_owned),
            status,
            message: message.map(str::to_owned),
        })
    }

    #[test]
    fn reads_the_endpoints_answers() {
        assert_eq!(
            failure(Some("invalid_code"), Some(200), None),
            Meaning::Revoked
        );
        assert_eq!(
            failure(Some("INVALID_CLIENT"), None, None),
            Meaning::Revoked
        );
        assert_eq!(
            failure(
                Some("access_denied"),
                Some(400),
                Some("Refresh token revoked")
            ),
            Meaning::Revoked
        );
        assert_eq!(
            failure(
                Some("Access Denied"),
                Some(200),
                Some("You have made too many requests continuously. Please try again after some time.")
            ),
            Meaning::RateLimited
        );
        assert_eq!(failure(None, Some(429), None), Meaning::RateLimited);
        assert_eq!(
            failure(None, None, Some("fetch failed")),
            Meaning::Transient(Reason::NetworkError)
        );
        assert_eq!(
            failure(None, Some(503), None),
            Meaning::Transient(Reason::ServerError)
        );
        assert_eq!(
            failure(Some("weird"), Some(400), None),
            Meaning::Transient(Reason::UnknownResponse)
        );
    }
}
