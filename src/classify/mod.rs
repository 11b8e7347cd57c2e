//! Classification of every Zoho CRM response into one typed [`Verdict`].
//!
//! Zoho's guidance is to read every body, even on a 2xx: one call can succeed for
//! some records and fail for others (sources §4.3). [`classify`] reads a response the
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
pub mod details;
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
use crate::MAX_WAIT_MS;
use body::empty_object;
use envelope::{object, set, set_error, short_reply, status_failure};
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
/// Synthetic code of a 2xx write reply with fewer results than records sent
/// (`details: { expected, received }`): category `unknown`, retry `backoff`.
pub const SHORT_REPLY: &str = "SHORT_REPLY";

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
        // A wait no timer holds is as good as "beyond any ceiling" (2^31 - 1 ms).
        retry_after_ms: facts.retry_after_ms.map(|r| r.min(MAX_WAIT_MS)),
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
    if status != 304 {
        short_reply(&mut verdict, operation, records.len());
    }
    verdict.retry_after_ms = verdict.retry_after_ms.map(|r| r.min(MAX_WAIT_MS));
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

#[cfg(test)]
mod tests {
    use super::*;

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
