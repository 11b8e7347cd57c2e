//! The verdict on one response, and the per-record result shape shared by
//! classification, validation and batching.
//!
//! `RecordResult` deliberately mirrors Zoho's own per-record envelope
//! (`code`, `message`, `details` with `api_name` / `json_path`), so that an error
//! found before sending and one returned by Zoho have one shape.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What kind of failure (or success) a response or record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "snake_case"))]
pub enum Category {
    /// Success, or an empty success (204/304).
    Ok,
    /// Some records succeeded, some failed.
    Partial,
    /// The request or data is wrong.
    Validation,
    /// A unique value already exists.
    Duplicate,
    /// Authentication: token expired, invalid or lacking scope.
    Auth,
    /// The user or edition may not do this.
    Permission,
    /// The URL or resource does not exist.
    NotFound,
    /// 429: concurrency or credits exhausted.
    RateLimit,
    /// A per-call or account limit was exceeded.
    Limit,
    /// Precondition or ordering conflict; may succeed after re-reading or fixing another part.
    Conflict,
    /// The record is locked (approval, blueprint, …).
    Locked,
    /// Zoho's side failed (5xx).
    Server,
    /// No response at all.
    Network,
    /// Anything unrecognised. Never treated as success.
    Unknown,
}

/// What the caller may do about a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "snake_case"))]
pub enum RetryHint {
    /// Do not resend as is.
    None,
    /// Resend after a delay.
    Backoff,
    /// Refresh the access token, then resend once.
    RefreshToken,
    /// Resend only after a condition is met (re-read, restart pagination, fix a sibling).
    Conditional,
    /// Resend only the records whose own retry is backoff or refresh_token.
    Records,
}

/// Serde by a wire name: the one spelling of each variant is its `as_str()`.
macro_rules! serde_by_name {
    ($ty:ident, $what:literal) => {
        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $ty::from_name(&name).ok_or_else(|| {
                    serde::de::Error::custom(format_args!(
                        "unknown {} {:?}",
                        $what,
                        crate::error::clip(&name)
                    ))
                })
            }
        }
    };
}

impl Category {
    /// Every category, in declaration order.
    pub const ALL: [Category; 14] = [
        Category::Ok,
        Category::Partial,
        Category::Validation,
        Category::Duplicate,
        Category::Auth,
        Category::Permission,
        Category::NotFound,
        Category::RateLimit,
        Category::Limit,
        Category::Conflict,
        Category::Locked,
        Category::Server,
        Category::Network,
        Category::Unknown,
    ];

    /// The wire name (`rate_limit`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Ok => "ok",
            Category::Partial => "partial",
            Category::Validation => "validation",
            Category::Duplicate => "duplicate",
            Category::Auth => "auth",
            Category::Permission => "permission",
            Category::NotFound => "not_found",
            Category::RateLimit => "rate_limit",
            Category::Limit => "limit",
            Category::Conflict => "conflict",
            Category::Locked => "locked",
            Category::Server => "server",
            Category::Network => "network",
            Category::Unknown => "unknown",
        }
    }

    /// The category of a wire name.
    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

serde_by_name!(Category, "category");

impl RetryHint {
    /// Every hint, in declaration order.
    pub const ALL: [RetryHint; 5] = [
        RetryHint::None,
        RetryHint::Backoff,
        RetryHint::RefreshToken,
        RetryHint::Conditional,
        RetryHint::Records,
    ];

    /// The wire name (`refresh_token`).
    pub const fn as_str(self) -> &'static str {
        match self {
            RetryHint::None => "none",
            RetryHint::Backoff => "backoff",
            RetryHint::RefreshToken => "refresh_token",
            RetryHint::Conditional => "conditional",
            RetryHint::Records => "records",
        }
    }

    /// The hint of a wire name.
    pub fn from_name(name: &str) -> Option<RetryHint> {
        RetryHint::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

serde_by_name!(RetryHint, "retry hint");

/// The overall outcome of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Outcome {
    /// Everything succeeded.
    Success,
    /// Some results succeeded, some failed.
    Partial,
    /// The request, or every result, failed.
    Failure,
    /// 204, 304, or an empty body on a 2xx.
    Empty,
}

/// One entry of a response's result array (or one pre-send validation finding),
/// in Zoho's shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecordResult {
    /// Index of the entry: in the response's array, or the caller's record index.
    pub index: usize,
    /// Whether this record succeeded.
    pub ok: bool,
    /// Zoho's code (`SUCCESS`, `INVALID_DATA`, …).
    pub code: String,
    /// Zoho's message.
    pub message: String,
    /// Zoho's `details` object, as given (`{}` when absent).
    #[cfg_attr(feature = "ts", ts(type = "Record<string, unknown>"))]
    pub details: Value,
    /// Record id from `details.id`, when present.
    pub id: Option<String>,
    /// Upsert's `action` (`insert` / `update`), when present.
    pub action: Option<String>,
    /// Category of this record.
    pub category: Category,
    /// Retry hint of this record.
    pub retry: RetryHint,
}

impl RecordResult {
    /// A record that succeeded: `SUCCESS`, empty `details`, no id.
    pub fn success(index: usize) -> Self {
        RecordResult {
            index,
            ok: true,
            code: "SUCCESS".to_owned(),
            message: String::new(),
            details: Value::Object(serde_json::Map::new()),
            id: None,
            action: None,
            category: Category::Ok,
            retry: RetryHint::None,
        }
    }

    /// A record rejected with `code` (empty `details`, no id).
    pub fn rejected(
        index: usize,
        code: &str,
        message: &str,
        category: Category,
        retry: RetryHint,
    ) -> Self {
        RecordResult {
            index,
            ok: false,
            code: code.to_owned(),
            message: message.to_owned(),
            category,
            retry,
            ..RecordResult::success(index)
        }
    }
}

/// A top-level error: the whole request was rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TopError {
    /// Zoho's code, or a synthetic one (`HTTP_502`, `NETWORK_ERROR`, …).
    pub code: String,
    /// Zoho's message, or a description.
    pub message: String,
    /// Zoho's `details`, as given (`{}` when absent).
    #[cfg_attr(feature = "ts", ts(type = "Record<string, unknown>"))]
    pub details: Value,
    /// Category.
    pub category: Category,
    /// Retry hint.
    pub retry: RetryHint,
}

/// Credit figures read from the response headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Credits {
    /// `X-API-CREDITS-REMAINING`.
    pub remaining: u64,
}

/// The verdict on one response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Verdict {
    /// Overall outcome.
    pub outcome: Outcome,
    /// HTTP status (0 when there was no response).
    pub http_status: u16,
    /// Category of the whole response.
    pub category: Category,
    /// Retry hint of the whole response.
    pub retry: RetryHint,
    /// Top-level error, when the whole request was rejected.
    pub error: Option<TopError>,
    /// One result per entry of the response's result array, in order.
    pub records: Vec<RecordResult>,
    /// Credits from `X-API-CREDITS-REMAINING`, when sent.
    #[cfg_attr(feature = "ts", ts(inline))]
    pub credits: Option<Credits>,
    /// Delay asked by the server (`Retry-After`, legacy headers, `details.retry_after`), in ms.
    pub retry_after_ms: Option<u64>,
    /// Access-token expiry from `X-ACCESSTOKEN-RESET`, in ms since the Unix epoch.
    pub token_expires_at: Option<u64>,
}

impl Verdict {
    /// A plain success: no records, no error, no header facts.
    pub fn success(http_status: u16) -> Self {
        Verdict {
            outcome: Outcome::Success,
            http_status,
            category: Category::Ok,
            retry: RetryHint::None,
            error: None,
            records: Vec::new(),
            credits: None,
            retry_after_ms: None,
            token_expires_at: None,
        }
    }

    /// A 207: one result per record, no top-level error, no header facts.
    pub fn partial(records: Vec<RecordResult>) -> Self {
        Verdict {
            outcome: Outcome::Partial,
            category: Category::Partial,
            retry: RetryHint::Records,
            records,
            ..Verdict::success(207)
        }
    }

    /// The whole request rejected: a top-level error in Zoho's envelope (empty
    /// `details`), no records, no header facts.
    pub fn rejected(
        http_status: u16,
        code: &str,
        message: &str,
        category: Category,
        retry: RetryHint,
    ) -> Self {
        Verdict {
            outcome: Outcome::Failure,
            http_status,
            category,
            retry,
            error: Some(TopError {
                code: code.to_owned(),
                message: message.to_owned(),
                details: Value::Object(serde_json::Map::new()),
                category,
                retry,
            }),
            records: Vec::new(),
            credits: None,
            retry_after_ms: None,
            token_expires_at: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_through_serde() {
        for c in Category::ALL {
            let json = serde_json::to_value(c).unwrap();
            assert_eq!(json, Value::from(c.as_str()));
            assert_eq!(serde_json::from_value::<Category>(json).unwrap(), c);
            assert_eq!(Category::from_name(c.as_str()), Some(c));
        }
        for r in RetryHint::ALL {
            let json = serde_json::to_value(r).unwrap();
            assert_eq!(json, Value::from(r.as_str()));
            assert_eq!(serde_json::from_value::<RetryHint>(json).unwrap(), r);
        }
        assert_eq!(Category::as_str(Category::RateLimit), "rate_limit");
        assert_eq!(RetryHint::RefreshToken.as_str(), "refresh_token");
        assert!(serde_json::from_str::<Category>("\"RateLimit\"").is_err());
        assert!(serde_json::from_str::<RetryHint>("\"later\"").is_err());
        assert_eq!(Category::from_name("nope"), None);
    }
}
