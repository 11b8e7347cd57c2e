//! The verdict of a JSON object body: the OAuth token endpoint's error, GraphQL
//! `errors`, the REST envelope `{code, message, details, status}` and the result
//! array's records; and of a body known only by its HTTP status.

use serde_json::{Map, Value};

use super::body::{empty_object, raw_to_value, records_of, result_array, LeanRecord};
use super::codes::{code_rule, status_rule};
use super::details;
use super::parse::{Entry, Item, Top, TopValue};
use super::{
    is_success, Category, Outcome, RetryHint, TopError, Verdict, GRAPHQL_ERROR, SHORT_REPLY,
};
use crate::catalog::{Operation, OperationKind};

/// Sets the verdict's outcome, category and retry hint.
pub(super) fn set(v: &mut Verdict, outcome: Outcome, category: Category, retry: RetryHint) {
    v.outcome = outcome;
    v.category = category;
    v.retry = retry;
}

/// A top-level failure: the error decides the verdict's category and retry hint.
pub(super) fn set_error(v: &mut Verdict, error: TopError) {
    set(v, Outcome::Failure, error.category, error.retry);
    v.error = Some(error);
}

/// A failure known only by its HTTP status (a proxy page, an empty 4xx, a 2xx that
/// is not JSON).
pub(super) fn status_failure(v: &mut Verdict, why: &str) {
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

/// Kinds whose 2xx reply has one result per record sent (a mass update answers with
/// one job, whatever its record count).
fn one_result_per_record(kind: OperationKind) -> bool {
    matches!(
        kind,
        OperationKind::Insert
            | OperationKind::Update
            | OperationKind::Upsert
            | OperationKind::Delete
    )
}

/// A 2xx write reply with fewer results than the operation's `recordCount` (`{}`,
/// `{"data":[]}`, an entry missing): not a success, whatever the entries it has say;
/// the records it lacks may or may not have been written (`SHORT_REPLY`).
pub(super) fn short_reply(v: &mut Verdict, operation: Option<&Operation>, received: usize) {
    let Some(expected) = operation
        .filter(|o| one_result_per_record(o.kind))
        .and_then(|o| o.record_count)
    else {
        return;
    };
    let short = usize::try_from(expected).is_ok_and(|n| received < n);
    if !short || !is_success(v.http_status) || v.http_status == 204 || v.error.is_some() {
        return;
    }
    let mut details = Map::new();
    details.insert("expected".into(), Value::from(expected));
    details.insert("received".into(), Value::from(received));
    set_error(
        v,
        TopError {
            code: SHORT_REPLY.into(),
            message: format!("the reply has {received} results for {expected} records"),
            details: Value::Object(details),
            category: Category::Unknown,
            retry: RetryHint::Backoff,
        },
    );
}

/// Reads a JSON object body into `v`; returns its records, lean.
pub(super) fn object<'a>(
    v: &mut Verdict,
    top: &Top<'a>,
    operation: Option<&Operation>,
) -> Vec<LeanRecord<'a>> {
    let status = v.http_status;
    if let Some(retry_s) = top.details.and_then(details::details_retry_after_s) {
        v.retry_after_ms = v.retry_after_ms.or(Some(retry_s.saturating_mul(1000)));
    }

    // OAuth token endpoint: `{"error":"invalid_code"}`, often on a 200 (sources §8).
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

    // The top-level envelope `{code, message, details, status}` (sources §4.2); a
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

/// GraphQL `errors`: the first error decides; `data` with a value makes it partial.
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
