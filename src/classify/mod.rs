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

pub mod codes;
pub mod headers;
pub mod parse;
pub mod verdict;

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

pub use verdict::*;

use crate::catalog::{Operation, OperationKind};
use crate::error::{clip, Error, Result};
use codes::{code_rule, status_rule};
use parse::{Entry, Item, Parsed, Top, TopValue};

/// Default largest body classified: 32 MiB. A Get Records page of 200 records with
/// 50 fields is well under 1 MiB; the limit only stops a runaway body.
pub const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

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

/// Options of [`classify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClassifyOptions {
    /// Largest body accepted, in bytes; a larger one is `BODY_TOO_LARGE`.
    pub max_body_bytes: usize,
    /// The caller's clock (ms since the epoch), for an HTTP-date `Retry-After` when
    /// the response has no `Date` header.
    pub now_ms: Option<u64>,
}

impl Default for ClassifyOptions {
    fn default() -> Self {
        ClassifyOptions {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            now_ms: None,
        }
    }
}

/// A response body as the caller has it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Body<'a> {
    /// No body.
    #[default]
    None,
    /// Raw text.
    Text(&'a str),
    /// Raw bytes (UTF-8 expected; anything else is a non-JSON body).
    Bytes(&'a [u8]),
    /// An already parsed JSON value.
    Json(&'a Value),
}

/// Why there was no response (status 0): a `fetch` rejection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct NetworkError {
    /// The error's `name` (`TypeError`, `AbortError`, `TimeoutError`).
    pub name: String,
    /// The error's `message`.
    pub message: String,
}

/// A response to classify.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Response<'a> {
    /// HTTP status; 0 when there was no response.
    pub status: u16,
    /// Header `(name, value)` pairs, any case.
    pub headers: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// The body.
    pub body: Body<'a>,
    /// Why there was no response, when `status` is 0.
    pub network_error: Option<NetworkError>,
}

impl<'a> Response<'a> {
    /// A response with a status and nothing else.
    pub fn new(status: u16) -> Self {
        Response {
            status,
            ..Response::default()
        }
    }

    /// A response with a text body and borrowed headers.
    pub fn from_text(status: u16, headers: &[(&'a str, &'a str)], body: &'a str) -> Self {
        Response {
            status,
            headers: headers
                .iter()
                .map(|&(k, v)| (Cow::Borrowed(k), Cow::Borrowed(v)))
                .collect(),
            body: Body::Text(body),
            network_error: None,
        }
    }

    /// No response at all: `fetch` rejected with this error.
    pub fn network(name: impl Into<String>, message: impl Into<String>) -> Self {
        Response {
            network_error: Some(NetworkError {
                name: name.into(),
                message: message.into(),
            }),
            ..Response::new(0)
        }
    }

    /// Builder: adds a header.
    pub fn with_header(
        mut self,
        name: impl Into<Cow<'a, str>>,
        value: impl Into<Cow<'a, str>>,
    ) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Builder: sets the body.
    pub fn with_body(mut self, body: Body<'a>) -> Self {
        self.body = body;
        self
    }
}

/// One record result with its `details` still raw JSON borrowed from the body.
#[derive(Debug, Clone)]
pub struct LeanRecord<'a> {
    /// Index in the result array.
    pub index: usize,
    /// Whether this record succeeded.
    pub ok: bool,
    /// Zoho's code (empty when the entry has none).
    pub code: Cow<'a, str>,
    /// Zoho's message (empty when the entry has none).
    pub message: Cow<'a, str>,
    /// `details`, raw; `None` when absent (`{}`).
    pub details: Option<&'a RawValue>,
    /// `details.id`.
    pub id: Option<Cow<'a, str>>,
    /// Upsert's `action`.
    pub action: Option<Cow<'a, str>>,
    /// Category.
    pub category: Category,
    /// Retry hint.
    pub retry: RetryHint,
}

impl LeanRecord<'_> {
    /// The owned [`RecordResult`].
    pub fn to_result(&self) -> RecordResult {
        RecordResult {
            index: self.index,
            ok: self.ok,
            code: self.code.clone().into_owned(),
            message: self.message.clone().into_owned(),
            details: self.details.map_or_else(empty_object, raw_to_value),
            id: self.id.clone().map(Cow::into_owned),
            action: self.action.clone().map(Cow::into_owned),
            category: self.category,
            retry: self.retry,
        }
    }
}

/// A verdict whose records are still lean: `verdict.records` is empty and
/// `records` holds them.
#[derive(Debug, Clone)]
pub struct Classified<'a> {
    /// Everything but the records.
    pub verdict: Verdict,
    /// The records, in order.
    pub records: Vec<LeanRecord<'a>>,
}

impl Classified<'_> {
    /// The full [`Verdict`].
    pub fn into_verdict(self) -> Verdict {
        let mut verdict = self.verdict;
        verdict.records = self.records.iter().map(LeanRecord::to_result).collect();
        verdict
    }
}

fn empty_object() -> Value {
    Value::Object(Map::new())
}

/// A raw slice as a value; JSON deeper than serde_json's limit becomes `{}`.
fn raw_to_value(raw: &RawValue) -> Value {
    serde_json::from_str(raw.get()).unwrap_or_else(|_| empty_object())
}

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

fn set(v: &mut Verdict, outcome: Outcome, category: Category, retry: RetryHint) {
    v.outcome = outcome;
    v.category = category;
    v.retry = retry;
}

fn set_error(v: &mut Verdict, error: TopError) {
    set(v, Outcome::Failure, error.category, error.retry);
    v.error = Some(error);
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

/// A failure known only by its HTTP status (a proxy page, an empty 4xx, a 2xx that
/// is not JSON).
fn status_failure(v: &mut Verdict, why: &str) {
    let (category, retry) = status_rule(v.http_status);
    set_error(
        v,
        TopError {
            code: format!("HTTP_{}", v.http_status),
            message: format!("HTTP {}: {why}", v.http_status),
            details: empty_object(),
            category,
            retry,
        },
    );
}

fn object<'a>(
    v: &mut Verdict,
    top: &Top<'a>,
    operation: Option<&Operation>,
) -> Vec<LeanRecord<'a>> {
    let status = v.http_status;
    if let Some(retry_s) = top.details.and_then(parse::details_retry_after_s) {
        v.retry_after_ms = v.retry_after_ms.or(Some(retry_s.saturating_mul(1000)));
    }

    // OAuth token endpoint: `{"error":"invalid_code"}`, often on a 200 (facts §8).
    let token_op = operation.is_some_and(|o| o.kind == OperationKind::Token);
    if let Some(error) = top
        .error
        .as_deref()
        .filter(|_| !top.has_access_token && (token_op || top.code.is_none()))
    {
        let message = top.error_description.as_deref().unwrap_or(error);
        let throttled = [error, message]
            .iter()
            .any(|s| s.to_ascii_lowercase().contains("too many requests"));
        let (category, retry) = if status >= 500 {
            status_rule(status)
        } else if throttled {
            (Category::RateLimit, RetryHint::Backoff)
        } else {
            (Category::Auth, RetryHint::None)
        };
        set_error(
            v,
            TopError {
                code: error.into(),
                message: message.into(),
                details: empty_object(),
                category,
                retry,
            },
        );
        return Vec::new();
    }

    // GraphQL: `errors` on a 200 (GQL-R); a 400 carries the REST envelope instead.
    if top.code.is_none() {
        if let Some(TopValue::Array(errors)) = top.member("errors") {
            if let Some(first) = errors.iter().find_map(|i| match i {
                Item::Entry(e) => Some(e),
                Item::Other => None,
            }) {
                graphql(v, top, first, errors.len());
                return Vec::new();
            }
        }
    }

    let records = result_array(top).map(records_of).unwrap_or_default();

    // The top-level envelope `{code, message, details, status}` (facts §4.2); a
    // `"status": "error"` without a code is an error too.
    let said_error = top
        .status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("error"));
    let synthetic = format!("HTTP_{status}");
    if let Some(code) = top
        .code
        .as_deref()
        .or(said_error.then_some(synthetic.as_str()))
    {
        let rule = code_rule(code);
        let ok = !said_error && rule.is_some_and(|(c, _)| c == Category::Ok) && status < 400;
        if !ok && (said_error || records.is_empty()) {
            let (category, retry) = match rule {
                Some((Category::Ok, _)) | None => status_rule(status),
                Some(r) => r,
            };
            set_error(
                v,
                TopError {
                    code: code.into(),
                    message: top.message.as_deref().unwrap_or_default().into(),
                    details: top.details.map_or_else(empty_object, raw_to_value),
                    category,
                    retry,
                },
            );
            return records;
        }
    }

    let failed: Vec<&LeanRecord<'_>> = records.iter().filter(|r| !r.ok).collect();
    if let Some(first) = failed.first() {
        let retry = if failed
            .iter()
            .any(|r| matches!(r.retry, RetryHint::Backoff | RetryHint::RefreshToken))
        {
            RetryHint::Records
        } else {
            RetryHint::None
        };
        if failed.len() == records.len() {
            set(v, Outcome::Failure, first.category, retry);
        } else {
            set(v, Outcome::Partial, Category::Partial, retry);
        }
    } else if is_success(status) {
        set(v, Outcome::Success, Category::Ok, RetryHint::None);
    } else {
        status_failure(v, "no error code in the body");
    }
    records
}

/// The result array: `data[]` when its entries are action results, else
/// `__composite_requests[]`, else the first top-level array of action results.
fn result_array<'t, 'a>(top: &'t Top<'a>) -> Option<(bool, &'t [Item<'a>])> {
    let has_results = |items: &[Item<'_>]| {
        items
            .iter()
            .any(|i| matches!(i, Item::Entry(e) if e.is_result()))
    };
    if let Some(TopValue::Array(items)) = top.member("data") {
        if has_results(items) {
            return Some((false, items));
        }
    }
    if let Some(TopValue::Array(items)) = top.member("__composite_requests") {
        return Some((true, items));
    }
    top.members.iter().find_map(|(k, v)| match v {
        TopValue::Array(items) if k != "data" && has_results(items) => {
            Some((false, items.as_slice()))
        }
        _ => None,
    })
}

fn records_of<'a>((composite, items): (bool, &[Item<'a>])) -> Vec<LeanRecord<'a>> {
    items
        .iter()
        .enumerate()
        .map(|(index, item)| match item {
            Item::Entry(e) if composite => composite_record(index, e),
            Item::Entry(e) => record(index, e),
            Item::Other => LeanRecord {
                index,
                ok: false,
                code: Cow::Borrowed(""),
                message: Cow::Borrowed(""),
                details: None,
                id: None,
                action: None,
                category: Category::Unknown,
                retry: RetryHint::None,
            },
        })
        .collect()
}

/// `(ok, category, retry)` of a result entry from its `status` and `code`.
fn entry_rule(e: &Entry<'_>) -> (bool, Category, RetryHint) {
    let status = e.status.as_deref().unwrap_or_default();
    if status.eq_ignore_ascii_case("success") {
        return (true, Category::Ok, RetryHint::None);
    }
    let rule = e.code.as_deref().and_then(code_rule);
    let ok = !status.eq_ignore_ascii_case("error") && matches!(rule, Some((Category::Ok, _)));
    match (ok, rule) {
        (true, _) => (true, Category::Ok, RetryHint::None),
        // A failure whose code claims success, or an unknown code: never success.
        (false, Some((Category::Ok, _)) | None) => (false, Category::Unknown, RetryHint::None),
        (false, Some((c, r))) => (false, c, r),
    }
}

fn record<'a>(index: usize, e: &Entry<'a>) -> LeanRecord<'a> {
    let (ok, category, retry) = entry_rule(e);
    LeanRecord {
        index,
        ok,
        code: e.code.clone().unwrap_or_default(),
        message: e.message.clone().unwrap_or_default(),
        details: e.details,
        id: e.details.and_then(parse::details_id),
        action: e.action.clone(),
        category,
        retry,
    }
}

/// A composite sub-response: ok when the wrapper succeeded and the inner response is
/// a 2xx without error; otherwise the wrapper's code with the inner error's category
/// (except ROLLBACK_PERFORMED / PROCESSING_STOPPED: that sub-request was not at fault).
fn composite_record<'a>(index: usize, e: &Entry<'a>) -> LeanRecord<'a> {
    let (wrapper_ok, wrapper_category, wrapper_retry) = entry_rule(e);
    let inner = e.details.map(parse::composite_details).unwrap_or_default();
    let inner_failure = inner
        .body
        .and_then(|b| inner_failure(b.get(), inner.status_code));
    let inner_bad_status = inner.status_code.filter(|s| !is_success(*s));
    let ok = wrapper_ok && inner_failure.is_none() && inner_bad_status.is_none();
    let not_at_fault = matches!(
        e.code.as_deref(),
        Some("ROLLBACK_PERFORMED" | "PROCESSING_STOPPED")
    );
    let (category, retry) = if ok {
        (Category::Ok, RetryHint::None)
    } else if not_at_fault {
        (wrapper_category, wrapper_retry)
    } else if let Some(inner) = inner_failure {
        inner
    } else if !wrapper_ok && wrapper_category != Category::Unknown {
        (wrapper_category, wrapper_retry)
    } else if let Some(s) = inner_bad_status {
        status_rule(s)
    } else {
        (Category::Unknown, RetryHint::None)
    };
    LeanRecord {
        index,
        ok,
        code: e.code.clone().unwrap_or_default(),
        message: e.message.clone().unwrap_or_default(),
        details: e.details,
        id: None,
        action: e.action.clone(),
        category,
        retry,
    }
}

/// The category of an inner (composite sub-response) body's failure, if it failed.
fn inner_failure(body: &str, status: Option<u16>) -> Option<(Category, RetryHint)> {
    let Parsed::Object(top) = parse::parse(body) else {
        return None;
    };
    if let Some(code) = top.code.as_deref() {
        let said_error = top
            .status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("error"));
        match code_rule(code) {
            Some((Category::Ok, _)) if !said_error => {}
            Some((Category::Ok, _)) | None => {
                return Some(status.map_or((Category::Unknown, RetryHint::None), status_rule))
            }
            Some(rule) => return Some(rule),
        }
    }
    let (_, items) = result_array(&top)?;
    items.iter().find_map(|i| match i {
        Item::Entry(e) => {
            let (ok, c, r) = entry_rule(e);
            (!ok).then_some((c, r))
        }
        Item::Other => Some((Category::Unknown, RetryHint::None)),
    })
}

/// Words that mark a GraphQL runtime error as a limit (GQL-C, GQL-L: credits, depth,
/// complexity; Zoho names complexity overflow "ExecutionAborted").
const GRAPHQL_LIMIT_WORDS: &[&str] = &[
    "credit",
    "depth",
    "complexity",
    "executionaborted",
    "execution_aborted",
    "limit",
];
/// Words that mark a GraphQL error as a schema/query error (graphql-java classifications
/// `ValidationError`, `InvalidSyntax`; spec wording).
const GRAPHQL_VALIDATION_WORDS: &[&str] = &[
    "validation",
    "syntax",
    "invalid",
    "undefined",
    "unknown",
    "cannot query",
    "parse",
];

fn graphql(v: &mut Verdict, top: &Top<'_>, first: &Entry<'_>, count: usize) {
    let mut text = first
        .message
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    for c in &first.extension_codes {
        text.push(' ');
        text.push_str(&c.to_ascii_lowercase());
    }
    let (category, retry) = if GRAPHQL_LIMIT_WORDS.iter().any(|w| text.contains(w)) {
        (Category::Limit, RetryHint::None)
    } else if text.contains("too many requests") {
        (Category::RateLimit, RetryHint::Backoff)
    } else if first.has_locations || GRAPHQL_VALIDATION_WORDS.iter().any(|w| text.contains(w)) {
        (Category::Validation, RetryHint::None)
    } else {
        (Category::Unknown, RetryHint::None)
    };
    let code = first
        .extension_codes
        .first()
        .map_or(GRAPHQL_ERROR, |c| c.as_ref())
        .to_owned();
    let mut details = Map::new();
    details.insert("errorCount".into(), Value::from(count));
    let error = TopError {
        code,
        message: first.message.as_deref().unwrap_or_default().into(),
        details: Value::Object(details),
        category,
        retry,
    };
    let partial = matches!(
        top.member("data"),
        Some(TopValue::Object { has_non_null: true })
    );
    if partial {
        set(v, Outcome::Partial, Category::Partial, RetryHint::None);
        v.error = Some(error);
    } else {
        set_error(v, error);
    }
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
