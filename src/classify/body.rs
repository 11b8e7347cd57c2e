//! The result array of a body, read into lean records: per-record `details` stay raw
//! JSON slices borrowed from the body until a caller wants them ([`Classified`]).

use std::borrow::Cow;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::codes::{code_rule, status_rule};
use super::details;
use super::parse::{self, Entry, Item, Parsed, Top, TopValue};
use super::{is_success, Category, RecordResult, RetryHint, Verdict};

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

pub(super) fn empty_object() -> Value {
    Value::Object(Map::new())
}

/// A raw slice as a value; JSON deeper than serde_json's limit becomes `{}`.
pub(super) fn raw_to_value(raw: &RawValue) -> Value {
    serde_json::from_str(raw.get()).unwrap_or_else(|_| empty_object())
}

/// A body's array of per-record results.
pub(super) struct ResultArray<'t, 'a> {
    /// `__composite_requests[]`: sub-responses, not records.
    composite: bool,
    /// The entries.
    items: &'t [Item<'a>],
}

/// The result array: `data[]` when its entries are action results, else
/// `__composite_requests[]`, else the first top-level array of action results.
pub(super) fn result_array<'t, 'a>(top: &'t Top<'a>) -> Option<ResultArray<'t, 'a>> {
    let has_results = |items: &[Item<'_>]| {
        items
            .iter()
            .any(|i| matches!(i, Item::Entry(e) if e.is_result()))
    };
    if let Some(TopValue::Array(items)) = top.member("data") {
        if has_results(items) {
            return Some(ResultArray {
                composite: false,
                items,
            });
        }
    }
    if let Some(TopValue::Array(items)) = top.member("__composite_requests") {
        return Some(ResultArray {
            composite: true,
            items,
        });
    }
    top.members.iter().find_map(|(k, v)| match v {
        TopValue::Array(items) if k != "data" && has_results(items) => Some(ResultArray {
            composite: false,
            items: items.as_slice(),
        }),
        _ => None,
    })
}

/// The records of a result array, in order.
pub(super) fn records_of<'a>(array: ResultArray<'_, 'a>) -> Vec<LeanRecord<'a>> {
    let composite = array.composite;
    array
        .items
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

/// A result entry of `data[]` (or another result array).
fn record<'a>(index: usize, e: &Entry<'a>) -> LeanRecord<'a> {
    let (ok, category, retry) = entry_rule(e);
    LeanRecord {
        id: e.details.and_then(details::details_id),
        ..lean(index, e, ok, category, retry)
    }
}

/// The lean record of entry `e`, judged `ok`, `category`, `retry`; no `id`.
fn lean<'a>(
    index: usize,
    e: &Entry<'a>,
    ok: bool,
    category: Category,
    retry: RetryHint,
) -> LeanRecord<'a> {
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

/// A composite sub-response: ok when the wrapper succeeded and the inner response is
/// a 2xx without error; otherwise the wrapper's code with the inner error's category
/// (except ROLLBACK_PERFORMED / PROCESSING_STOPPED: that sub-request was not at fault).
fn composite_record<'a>(index: usize, e: &Entry<'a>) -> LeanRecord<'a> {
    let (wrapper_ok, wrapper_category, wrapper_retry) = entry_rule(e);
    let inner = e
        .details
        .map(details::composite_details)
        .unwrap_or_default();
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
    lean(index, e, ok, category, retry)
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
    let array = result_array(&top)?;
    array.items.iter().find_map(|i| match i {
        Item::Entry(e) => {
            let (ok, c, r) = entry_rule(e);
            (!ok).then_some((c, r))
        }
        Item::Other => Some((Category::Unknown, RetryHint::None)),
    })
}
