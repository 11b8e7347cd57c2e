//! Classification of every Zoho CRM response into one typed [`Verdict`].
//!
//! Zoho's guidance is to read every body, even on a 2xx: one call can succeed for
//! some records and fail for others (facts §4.3). [`classify`] reads a response the
//! way an expert would: the HTTP status, the headers that matter ([`headers`]), the
//! top-level error envelope, the result array (`data[]`, `__composite_requests[]`, or
//! another key such as `users`/`tags`), GraphQL `errors`, OAuth token-endpoint
//! errors, proxy pages and no response at all.
//!
//! The body is parsed borrowed and once ([`parse`]); per-record `details` stay raw
//! JSON slices in [`Classified`] until a caller wants them, which keeps the wasm
//! binding lean. Codes map to categories through the deliberate table of [`codes`].

mod body;
pub mod codes;
mod envelope;
pub mod headers;
pub mod parse;
mod response;
pub mod verdict;

use serde_json::{Map, Value};

pub use body::{Classified, LeanRecord};
pub use response::{Body, ClassifyOptions, NetworkError, Response, DEFAULT_MAX_BODY_BYTES};
pub use verdict::*;

use crate::catalog::Operation;
use crate::error::{clip, Error, Result};
use body::empty_object;
use envelope::{object, set, set_error, status_failure};
use parse::Parsed;

/// Deepest JSON accepted in an already-parsed body (serde_json's own parse limit).
pub const MAX_JSON_DEPTH: usize = 128;

/// Synthetic code of a top-level error when there was no response (status 0).
pub const NETWORK_ERROR: &str = "NETWORK_ERROR";
/// Synthetic code when the request was aborted (`AbortError`).
pub const ABORTED: &str = "ABORTED";
/// Synthetic code when the request timed out (`TimeoutError`).
pub const TIMEOUT: &str = "TIMEOUT";
/// Synthetic code of a GraphQL error with no code of its own.
pub const GRAPHQL_ERROR: &str = "GRAPHQL_ERROR";

/// Classifies one response.
///
/// Errors only on a body over `options.max_body_bytes` (`BODY_TOO_LARGE`); every
/// other input, however malformed, gets a verdict.
pub fn classify(
    response: &Response<'_>,
    operation: Option<&Operation>,
    options: &ClassifyOptions,
) -> Result<Verdict> {
    if let Body::Json(value) = response.body {
        if json_depth_exceeds(value, MAX_JSON_DEPTH) {
            // As serde_json would refuse to parse it: a non-JSON body.
            let text = "\u{0}";
            let r = Response {
                body: Body::Text(text),
                ..response.clone()
            };
            return classify_lean(&r, operation, options).map(Classified::into_verdict);
        }
        let text = serde_json::to_string(value)
            .map_err(|e| Error::invalid("response.body", clip(&e.to_string())))?;
        let r = Response {
            body: Body::Text(&text),
            ..response.clone()
        };
        return classify_lean(&r, operation, options).map(Classified::into_verdict);
    }
    classify_lean(response, operation, options).map(Classified::into_verdict)
}

/// [`classify`] with the records left lean (raw `details`), borrowing from the body.
/// A [`Body::Json`] body is refused (`INVALID_ARGUMENT`): it has no text to borrow
/// from; use [`classify`].
pub fn classify_lean<'a>(
    response: &Response<'a>,
    operation: Option<&Operation>,
    options: &ClassifyOptions,
) -> Result<Classified<'a>> {
    let text: Option<&'a str> = match response.body {
        Body::None => None,
        Body::Text(t) => {
            check_size(t.len(), options)?;
            Some(t)
        }
        Body::Bytes(b) => {
            check_size(b.len(), options)?;
            // Invalid UTF-8 is not JSON: classified as a non-JSON body.
            Some(std::str::from_utf8(b).unwrap_or("\u{0}"))
        }
        Body::Json(_) => {
            return Err(Error::invalid(
                "response.body",
                "lean classification needs the body as text or bytes",
            ))
        }
    };
    let facts = headers::Headers::new(&response.headers).facts(options.now_ms);
    let mut verdict = Verdict {
        outcome: Outcome::Failure,
        http_status: response.status,
        category: Category::Unknown,
        retry: RetryHint::None,
        error: None,
        records: Vec::new(),
        credits: facts
            .credits_remaining
            .map(|remaining| Credits { remaining }),
        retry_after_ms: facts.retry_after_ms,
        token_expires_at: facts.token_expires_at,
    };
    let status = response.status;
    if status == 0 {
        network(&mut verdict, response.network_error.as_ref());
        return Ok(Classified {
            verdict,
            records: Vec::new(),
        });
    }
    let parsed = text.map_or(Parsed::Empty, parse::parse);
    let mut records = Vec::new();
    if status == 204 || status == 304 {
        set(&mut verdict, Outcome::Empty, Category::Ok, RetryHint::None);
    } else {
        match parsed {
            Parsed::Empty if is_success(status) => {
                set(&mut verdict, Outcome::Empty, Category::Ok, RetryHint::None)
            }
            Parsed::Empty => status_failure(&mut verdict, "empty body"),
            Parsed::NotJson | Parsed::NotObject => {
                status_failure(&mut verdict, "response body is not a JSON object")
            }
            Parsed::Object(top) => {
                records = object(&mut verdict, &top, operation);
            }
        }
    }
    if status == 429 {
        // Any 429 is the rate limit, whatever its body says (STAT, K203).
        set(
            &mut verdict,
            Outcome::Failure,
            Category::RateLimit,
            RetryHint::Backoff,
        );
        match &mut verdict.error {
            Some(e) => {
                e.category = Category::RateLimit;
                e.retry = RetryHint::Backoff;
            }
            None => {
                verdict.error = Some(TopError {
                    code: "TOO_MANY_REQUESTS".into(),
                    message: "too many requests".into(),
                    details: empty_object(),
                    category: Category::RateLimit,
                    retry: RetryHint::Backoff,
                })
            }
        }
    }
    Ok(Classified { verdict, records })
}

fn check_size(size: usize, options: &ClassifyOptions) -> Result<()> {
    if size > options.max_body_bytes {
        return Err(Error::BodyTooLarge {
            size,
            limit: options.max_body_bytes,
        });
    }
    Ok(())
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

fn network(v: &mut Verdict, error: Option<&NetworkError>) {
    let name = error.map_or("", |e| e.name.as_str());
    let code = match name {
        "AbortError" => ABORTED,
        "TimeoutError" => TIMEOUT,
        _ => NETWORK_ERROR,
    };
    let message = error
        .map(|e| e.message.as_str())
        .filter(|m| !m.is_empty())
        .unwrap_or("no response");
    let mut details = Map::new();
    if let Some(e) = error {
        details.insert("name".into(), Value::String(clip(&e.name)));
        details.insert("message".into(), Value::String(clip(&e.message)));
    }
    set_error(
        v,
        TopError {
            code: code.into(),
            message: clip(message),
            details: Value::Object(details),
            category: Category::Network,
            retry: RetryHint::Backoff,
        },
    );
}
/// Whether a value nests deeper than `limit` (iterative: no recursion on input).
fn json_depth_exceeds(value: &Value, limit: usize) -> bool {
    let mut stack = vec![(value, 1usize)];
    while let Some((v, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match v {
            Value::Array(a) => Box::new(a.iter()),
            Value::Object(o) => Box::new(o.values()),
            _ => continue,
        };
        if depth > limit {
            return true;
        }
        stack.extend(children.map(|c| (c, depth.saturating_add(1))));
    }
    false
}

/// The wire name of a category (as serialized: `rate_limit`).
pub fn category_name(c: Category) -> &'static str {
    match c {
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

/// The wire name of a retry hint (as serialized: `refresh_token`).
pub fn retry_name(r: RetryHint) -> &'static str {
    match r {
        RetryHint::None => "none",
        RetryHint::Backoff => "backoff",
        RetryHint::RefreshToken => "refresh_token",
        RetryHint::Conditional => "conditional",
        RetryHint::Records => "records",
    }
}

/// Byte span of `part` inside `text`, when `part` is a slice of `text`.
pub fn span_in(text: &str, part: &str) -> Option<(usize, usize)> {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let end = start.checked_add(part.len())?;
    (end <= text.len()).then_some((start, end))
}

/// Converts ascending byte offsets of `text` (on char boundaries) to UTF-16 offsets,
/// in place, in one pass. Offsets must be sorted ascending.
pub fn utf16_offsets(text: &str, offsets: &mut [usize]) {
    if text.is_ascii() {
        return;
    }
    let mut byte = 0usize;
    let mut units = 0usize;
    let mut chars = text.chars();
    for off in offsets.iter_mut() {
        while byte < *off {
            let Some(c) = chars.next() else { break };
            byte = byte.saturating_add(c.len_utf8());
            units = units.saturating_add(c.len_utf16());
        }
        *off = units;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_utf16() {
        let text = r#"{"a":"é😀","d":{"x":1}}"#;
        let part = text
            .get(text.find("{\"x").unwrap()..text.len() - 1)
            .unwrap();
        let (s, e) = span_in(text, part).unwrap();
        let mut offs = [s, e];
        utf16_offsets(text, &mut offs);
        let utf16: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(
            String::from_utf16(&utf16[offs[0]..offs[1]]).unwrap(),
            r#"{"x":1}"#
        );
        assert_eq!(span_in(text, "other"), None);
    }

    #[test]
    fn wire_names_match_serde() {
        use Category as C;
        for c in [
            C::Ok,
            C::Partial,
            C::Validation,
            C::Duplicate,
            C::Auth,
            C::Permission,
            C::NotFound,
            C::RateLimit,
            C::Limit,
            C::Conflict,
            C::Locked,
            C::Server,
            C::Network,
            C::Unknown,
        ] {
            assert_eq!(
                serde_json::to_value(c).unwrap(),
                Value::from(category_name(c))
            );
        }
        use RetryHint as R;
        for r in [
            R::None,
            R::Backoff,
            R::RefreshToken,
            R::Conditional,
            R::Records,
        ] {
            assert_eq!(serde_json::to_value(r).unwrap(), Value::from(retry_name(r)));
        }
    }

    #[test]
    fn depth_check_is_iterative() {
        let mut v = Value::Null;
        for _ in 0..200 {
            v = Value::Array(vec![v]);
        }
        assert!(json_depth_exceeds(&v, MAX_JSON_DEPTH));
        assert!(!json_depth_exceeds(&Value::Array(vec![]), MAX_JSON_DEPTH));
        // Dropping the deep value is left to serde_json's (recursive) Drop: 200 is safe.
    }
}
