//! The response headers that matter to a caller, read case-insensitively.
//!
//! - `X-API-CREDITS-REMAINING` (sources §6, LIM via AEV): sent once half the day's
//!   credits are used; absent means "at least half left, or unknown", never 0.
//! - `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date in any of the
//!   three formats RFC 9110 §5.6.7 requires recipients to accept (IMF-fixdate,
//!   obsolete RFC 850, asctime), made relative to the response's `Date` header, else
//!   to the caller's `now_ms`. Zoho documents none (sources §6); proxies send it.
//! - Legacy `X-RATELIMIT-*` (PHPLEG `APIConstants.php`): the reset is used only when
//!   the window is exhausted.
//! - `X-ACCESSTOKEN-RESET` (V7DOC composite sample `2022-02-12T23:43:25-11:00`):
//!   ISO 8601 / RFC 3339, converted to epoch ms.
//!
//! Crates: `httpdate` parses exactly the three RFC 9110 formats and nothing else (no
//! dependencies, about 6 KiB of wasm code); RFC 3339 is parsed by hand in
//! `crate::datetime` (the `time` crate did it for about 9 KiB of wasm, and remains the
//! reference of its property test).

use std::borrow::Cow;
use std::time::UNIX_EPOCH;

/// `X-API-CREDITS-REMAINING` (sources §6).
pub const CREDITS_REMAINING: &str = "x-api-credits-remaining";
/// `Retry-After` (RFC 9110 §10.2.3).
pub const RETRY_AFTER: &str = "retry-after";
/// `Date` (RFC 9110 §6.6.1): the origin's clock, the base of an HTTP-date `Retry-After`.
pub const DATE: &str = "date";
/// `X-ACCESSTOKEN-RESET` (PHPLEG `ACCESS_TOKEN_EXPIRY`; V7DOC composite sample).
pub const ACCESS_TOKEN_RESET: &str = "x-accesstoken-reset";
/// Legacy `X-RATELIMIT-REMAINING` (PHPLEG `CURR_WINDOW_REMAINING_API_COUNT`).
pub const RATELIMIT_REMAINING: &str = "x-ratelimit-remaining";
/// Legacy `X-RATELIMIT-DAY-REMAINING` (PHPLEG `API_COUNT_REMAINING_FOR_THE_DAY`).
pub const RATELIMIT_DAY_REMAINING: &str = "x-ratelimit-day-remaining";
/// Legacy `X-RATELIMIT-RESET` (PHPLEG `CURR_WINDOW_RESET`).
pub const RATELIMIT_RESET: &str = "x-ratelimit-reset";

/// A reset value at or above this is epoch milliseconds (year 2001 onwards in ms).
const EPOCH_MS_THRESHOLD: u64 = 1_000_000_000_000;
/// A reset value at or above this (and below the ms threshold) is epoch seconds
/// (September 2001 onwards); smaller values are a delay in seconds. Zoho never
/// documented the unit of `X-RATELIMIT-RESET`, so all three readings are accepted.
const EPOCH_S_THRESHOLD: u64 = 1_000_000_000;

/// Case-insensitive view of a response's header list (first occurrence wins).
#[derive(Debug, Clone, Copy)]
pub struct Headers<'h, 'a> {
    pairs: &'h [(Cow<'a, str>, Cow<'a, str>)],
}

/// What the headers say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeaderFacts {
    /// `X-API-CREDITS-REMAINING`.
    pub credits_remaining: Option<u64>,
    /// Delay asked for by `Retry-After` or an exhausted legacy window, in ms.
    pub retry_after_ms: Option<u64>,
    /// `X-ACCESSTOKEN-RESET` in ms since the Unix epoch.
    pub token_expires_at: Option<u64>,
}

impl<'h, 'a> Headers<'h, 'a> {
    /// Wraps a list of `(name, value)` pairs.
    pub fn new(pairs: &'h [(Cow<'a, str>, Cow<'a, str>)]) -> Self {
        Headers { pairs }
    }

    /// The value of a header, by case-insensitive name, trimmed.
    pub fn get(&self, name: &str) -> Option<&'h str> {
        self.pairs
            .iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }

    /// Reads every fact; `now_ms` is the caller's clock, used when there is no `Date`.
    pub fn facts(&self, now_ms: Option<u64>) -> HeaderFacts {
        let base_ms = self.get(DATE).and_then(http_date_ms).or(now_ms);
        let retry_after_ms = self
            .get(RETRY_AFTER)
            .and_then(|v| retry_after_ms(v, base_ms))
            .or_else(|| self.legacy_reset_ms(base_ms));
        HeaderFacts {
            credits_remaining: self.get(CREDITS_REMAINING).and_then(parse_u64),
            retry_after_ms,
            token_expires_at: self.get(ACCESS_TOKEN_RESET).and_then(timestamp_ms),
        }
    }

    /// The legacy window reset, only when a legacy window says it is exhausted.
    fn legacy_reset_ms(&self, base_ms: Option<u64>) -> Option<u64> {
        let exhausted = [RATELIMIT_REMAINING, RATELIMIT_DAY_REMAINING]
            .iter()
            .any(|h| self.get(h).and_then(parse_u64) == Some(0));
        if !exhausted {
            return None;
        }
        let reset = self.get(RATELIMIT_RESET).and_then(parse_u64)?;
        if reset >= EPOCH_MS_THRESHOLD {
            Some(reset.saturating_sub(base_ms?))
        } else if reset >= EPOCH_S_THRESHOLD {
            Some(reset.saturating_mul(1000).saturating_sub(base_ms?))
        } else {
            Some(reset.saturating_mul(1000))
        }
    }
}

/// A non-negative decimal integer (digits only, saturating).
pub fn parse_u64(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() || s.len() > 20 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().or(Some(u64::MAX))
}

/// An HTTP-date (IMF-fixdate, RFC 850 or asctime) in ms since the epoch.
pub fn http_date_ms(s: &str) -> Option<u64> {
    let t = httpdate::parse_http_date(s.trim()).ok()?;
    let d = t.duration_since(UNIX_EPOCH).ok()?;
    u64::try_from(d.as_millis()).ok()
}

/// `Retry-After`: delay-seconds, or an HTTP-date relative to `base_ms` (0 when past).
pub fn retry_after_ms(value: &str, base_ms: Option<u64>) -> Option<u64> {
    if let Some(seconds) = parse_u64(value) {
        return Some(seconds.saturating_mul(1000));
    }
    let at = http_date_ms(value)?;
    Some(at.saturating_sub(base_ms?))
}

/// An RFC 3339 timestamp (the ISO 8601 profile Zoho sends, with offset), or epoch ms
/// digits, in epoch ms. Other ISO 8601 forms (basic format, week dates) are not
/// accepted: Zoho does not send them, and their parser costs wasm size.
pub fn timestamp_ms(s: &str) -> Option<u64> {
    let s = s.trim();
    if let Some(ms) = parse_u64(s) {
        return Some(ms);
    }
    u64::try_from(crate::datetime::rfc3339_ms(s)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&'static str, &'static str)]) -> Vec<(Cow<'static, str>, Cow<'static, str>)> {
        list.iter()
            .map(|&(k, v)| (Cow::Borrowed(k), Cow::Borrowed(v)))
            .collect()
    }

    #[test]
    fn all_three_http_date_formats() {
        // RFC 9110 §5.6.7's own example, in its three formats: 1994-11-06T08:49:37Z.
        let expected = 784_111_777_000;
        assert_eq!(
            http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(expected)
        );
        assert_eq!(
            http_date_ms("Sunday, 06-Nov-94 08:49:37 GMT"),
            Some(expected)
        );
        assert_eq!(http_date_ms("Sun Nov  6 08:49:37 1994"), Some(expected));
        assert_eq!(http_date_ms("yesterday"), None);
    }

    #[test]
    fn retry_after_relative_to_date_header_or_now() {
        let h = pairs(&[
            ("date", "Sun, 06 Nov 1994 08:49:37 GMT"),
            ("RETRY-AFTER", "Sun, 06 Nov 1994 08:50:07 GMT"),
        ]);
        assert_eq!(Headers::new(&h).facts(Some(0)).retry_after_ms, Some(30_000));
        let h = pairs(&[("Retry-After", "Sunday, 06-Nov-94 08:49:47 GMT")]);
        assert_eq!(
            Headers::new(&h).facts(Some(784_111_777_000)).retry_after_ms,
            Some(10_000)
        );
        assert_eq!(
            Headers::new(&h).facts(None).retry_after_ms,
            None,
            "no base, no delay"
        );
        let h = pairs(&[("retry-after", " 120 ")]);
        assert_eq!(Headers::new(&h).facts(None).retry_after_ms, Some(120_000));
        let h = pairs(&[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]);
        assert_eq!(
            Headers::new(&h).facts(Some(u64::MAX)).retry_after_ms,
            Some(0),
            "past date"
        );
    }

    #[test]
    fn credits_token_reset_and_legacy_headers() {
        let h = pairs(&[
            ("X-Api-Credits-Remaining", "4321"),
            ("X-ACCESSTOKEN-RESET", "2022-02-12T23:43:25-11:00"),
            ("X-RATELIMIT-REMAINING", "0"),
            ("X-RATELIMIT-RESET", "60"),
        ]);
        let f = Headers::new(&h).facts(None);
        assert_eq!(f.credits_remaining, Some(4321));
        // 2022-02-13T10:43:25Z
        assert_eq!(f.token_expires_at, Some(1_644_749_005_000));
        assert_eq!(f.retry_after_ms, Some(60_000));
        let h = pairs(&[("x-ratelimit-remaining", "5"), ("x-ratelimit-reset", "60")]);
        assert_eq!(
            Headers::new(&h).facts(None).retry_after_ms,
            None,
            "window not exhausted"
        );
        let h = pairs(&[
            ("x-ratelimit-day-remaining", "0"),
            ("x-ratelimit-reset", "1700000060000"),
        ]);
        assert_eq!(
            Headers::new(&h)
                .facts(Some(1_700_000_000_000))
                .retry_after_ms,
            Some(60_000)
        );
        let h = pairs(&[
            ("x-api-credits-remaining", "lots"),
            ("x-accesstoken-reset", "soon"),
        ]);
        let f = Headers::new(&h).facts(None);
        assert_eq!((f.credits_remaining, f.token_expires_at), (None, None));
    }
}
