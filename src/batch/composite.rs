//! Composite calls (`POST /__composite_requests`, V7DOC composite, sources §3): at most 5
//! sub-requests per call, each within its own record limit, checked before sending.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::Batch;
use crate::catalog::{credit_cost, Operation, OperationKind, MAX_COMPOSITE_SUB_REQUESTS};
use crate::error::{Error, Result};

/// Records per create/update/upsert/delete sub-request (V7DOC composite "Records allowed": 1).
pub const MAX_RECORDS_PER_WRITE_SUB_REQUEST: u64 = 1;
/// Records per Get/Search/COQL/related-records sub-request (V7DOC composite: 25).
pub const MAX_RECORDS_PER_READ_SUB_REQUEST: u64 = 25;

/// Options of [`plan_composite`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct CompositeOptions {
    /// `rollback_on_fail`: all sub-requests must then fit in one call.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub rollback_on_fail: bool,
    /// `parallel_execution` (Zoho's default: true, false with rollback).
    pub parallel_execution: Option<bool>,
    /// Sub-requests per call, at most (and by default) 5.
    pub max_sub_requests: Option<u32>,
}

fn bad(i: usize, field: &str, reason: impl Into<String>) -> Error {
    Error::invalid(format!("subRequests[{i}]{field}"), reason)
}

/// `/crm(/.*)?/v[0-9]+([.][0-9]+)?/.*` (V7DOC composite); returns the path after the version.
fn path_after_version(uri: &str) -> Option<&str> {
    let rest = uri.strip_prefix("/crm/")?;
    let mut offset = 0usize;
    for seg in rest.split('/') {
        let after = offset.saturating_add(seg.len()).saturating_add(1);
        if let Some(v) = seg.strip_prefix('v') {
            let (major, minor) = v.split_once('.').unwrap_or((v, "0"));
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
            if digits(major) && digits(minor) {
                return rest.get(after..);
            }
        }
        offset = after;
    }
    None
}

fn is_sub_request_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && bytes.all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// The record count a sub-request asks for, and its limit, when one applies.
fn records_and_limit(
    method: &str,
    path: &str,
    sub: &Map<String, Value>,
) -> (Option<u64>, Option<u64>) {
    let first = path.split(['/', '?']).next().unwrap_or("");
    let lower = path.to_ascii_lowercase();
    let meta = first == "settings"
        || first == "org"
        || first == "users" && method == "GET"
        || lower.contains("/actions/convert");
    if meta {
        return (None, None);
    }
    let body_data = sub
        .get("body")
        .and_then(|b| b.get("data"))
        .and_then(Value::as_array)
        .map(|a| a.len() as u64);
    match method {
        "POST" | "PUT" | "PATCH" if first == "coql" => {
            let limit = sub
                .get("body")
                .and_then(|b| b.get("select_query"))
                .and_then(Value::as_str)
                .and_then(coql_limit);
            (limit, Some(MAX_RECORDS_PER_READ_SUB_REQUEST))
        }
        "POST" | "PUT" | "PATCH" => (body_data, Some(MAX_RECORDS_PER_WRITE_SUB_REQUEST)),
        "DELETE" => {
            let ids = sub
                .get("params")
                .and_then(|p| p.get("ids"))
                .map(|ids| match ids {
                    Value::String(s) => s.split(',').count() as u64,
                    Value::Array(a) => a.len() as u64,
                    _ => 1,
                });
            (ids, Some(MAX_RECORDS_PER_WRITE_SUB_REQUEST))
        }
        _ => {
            let per_page = sub
                .get("params")
                .and_then(|p| p.get("per_page"))
                .and_then(|v| {
                    v.as_u64()
                        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                });
            (per_page, Some(MAX_RECORDS_PER_READ_SUB_REQUEST))
        }
    }
}

/// `LIMIT n` or `LIMIT offset, n` of a COQL query.
fn coql_limit(query: &str) -> Option<u64> {
    let lower = query.to_ascii_lowercase();
    let at = lower.rfind(" limit ")?;
    let tail = lower.get(at.saturating_add(7)..)?;
    let mut nums = tail.split([',', ' ']).filter(|s| !s.is_empty());
    let first: u64 = nums.next()?.trim().parse().ok()?;
    match nums.next().and_then(|s| s.trim().parse::<u64>().ok()) {
        Some(second) if tail.contains(',') => Some(second),
        _ => Some(first),
    }
}

/// The keys of a sub-request (V7DOC composite); any other is refused, not ignored.
pub const SUB_REQUEST_KEYS: [&str; 6] = [
    "sub_request_id",
    "method",
    "uri",
    "params",
    "body",
    "headers",
];

fn check(i: usize, sub: &Value, ids: &mut Vec<String>) -> Result<()> {
    let obj = sub
        .as_object()
        .ok_or_else(|| bad(i, "", "expected a sub-request object"))?;
    if let Some(key) = obj.keys().find(|k| !SUB_REQUEST_KEYS.contains(&k.as_str())) {
        return Err(Error::unknown_key(
            format!("subRequests[{i}]"),
            format!("$[{i}].{key}"),
            key,
            &SUB_REQUEST_KEYS,
            None,
        ));
    }
    let method = obj
        .get("method")
        .and_then(Value::as_str)
        .ok_or_else(|| bad(i, ".method", "is required"))?;
    if !matches!(method, "GET" | "POST" | "PUT" | "PATCH" | "DELETE") {
        return Err(bad(
            i,
            ".method",
            format!("{method:?} is not GET, POST, PUT, PATCH or DELETE"),
        ));
    }
    let uri = obj
        .get("uri")
        .and_then(Value::as_str)
        .ok_or_else(|| bad(i, ".uri", "is required"))?;
    let path = path_after_version(uri).ok_or_else(|| {
        bad(
            i,
            ".uri",
            "must match /crm(/.*)?/v[0-9]+([.][0-9]+)?/.* (V7DOC composite)",
        )
    })?;
    if let Some(id) = obj.get("sub_request_id") {
        let id = id
            .as_str()
            .filter(|s| is_sub_request_id(s))
            .ok_or_else(|| {
                bad(
                    i,
                    ".sub_request_id",
                    "must match [a-zA-Z0-9][a-zA-Z0-9_]* (V7DOC composite)",
                )
            })?;
        if ids.iter().any(|s| s == id) {
            return Err(bad(i, ".sub_request_id", format!("{id:?} is used twice")));
        }
        ids.push(id.to_owned());
    }
    if let Some(headers) = obj.get("headers").and_then(Value::as_object) {
        if let Some(h) = headers.keys().find(|k| {
            k.eq_ignore_ascii_case("authorization") || k.eq_ignore_ascii_case("x-crm-org")
        }) {
            return Err(bad(
                i,
                ".headers",
                format!("{h} is not allowed in a sub-request (V7DOC composite)"),
            ));
        }
    }
    if method == "DELETE" && obj.get("params").and_then(|p| p.get("ids")).is_some() {
        return Err(bad(
            i,
            ".params.ids",
            "composite delete takes one id in the URL (V7DOC composite)",
        ));
    }
    if let (Some(n), Some(limit)) = records_and_limit(method, path, obj) {
        if n > limit {
            return Err(bad(
                i,
                "",
                format!("LIMIT_EXCEEDED: {n} records, at most {limit} in this sub-request (V7DOC composite)"),
            ));
        }
    }
    Ok(())
}

/// Packs sub-requests (Zoho's own objects: `{ sub_request_id?, method, uri, params?,
/// body?, headers? }`) into composite calls of at most 5, in order. With
/// `rollback_on_fail` they must all fit in one call (splitting would break the rollback).
pub fn plan_composite(subs: &[Value], options: &CompositeOptions) -> Result<Vec<Batch>> {
    let per = options
        .max_sub_requests
        .unwrap_or(MAX_COMPOSITE_SUB_REQUESTS);
    if per == 0 || per > MAX_COMPOSITE_SUB_REQUESTS {
        return Err(Error::invalid(
            "options.maxSubRequests",
            format!("{per} is outside 1..={MAX_COMPOSITE_SUB_REQUESTS} (V7DOC composite)"),
        ));
    }
    if options.rollback_on_fail && options.parallel_execution == Some(true) {
        return Err(Error::invalid(
            "options.parallelExecution",
            "AMBIGUITY_DURING_PROCESSING: rollback_on_fail and parallel_execution cannot both be true",
        ));
    }
    if options.rollback_on_fail && subs.len() > per as usize {
        return Err(Error::invalid(
            "subRequests",
            format!(
                "{} sub-requests with rollbackOnFail need one call, which takes at most {per}",
                subs.len()
            ),
        ));
    }
    let mut ids = Vec::new();
    for (i, sub) in subs.iter().enumerate() {
        check(i, sub, &mut ids)?;
    }
    let mut op = Operation::new(OperationKind::Composite);
    op.rollback_on_fail = options.rollback_on_fail;
    let cost = credit_cost(&op, &Default::default());
    let mut out = Vec::new();
    for (c, chunk) in subs.chunks(per as usize).enumerate() {
        let start = c.saturating_mul(per as usize);
        let mut body = Map::new();
        body.insert("rollback_on_fail".into(), json!(options.rollback_on_fail));
        if let Some(p) = options.parallel_execution {
            body.insert("parallel_execution".into(), json!(p));
        }
        body.insert("__composite_requests".into(), Value::Array(chunk.to_vec()));
        let text = serde_json::to_string(&body)
            .map_err(|e| Error::invalid("subRequests", e.to_string()))?;
        out.push(Batch {
            kind: OperationKind::Composite,
            indices: (start..start.saturating_add(chunk.len())).collect(),
            body: Some(text),
            ids: None,
            credits: cost.credits,
            complex: op.is_complex(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_pattern_and_coql_limit() {
        assert_eq!(path_after_version("/crm/v8/Leads"), Some("Leads"));
        assert_eq!(
            path_after_version("/crm/v8.0/Leads/upsert"),
            Some("Leads/upsert")
        );
        assert_eq!(path_after_version("/crm/x/v3/coql"), Some("coql"));
        assert_eq!(path_after_version("/api/v8/Leads"), None);
        assert_eq!(coql_limit("select Last_Name from Leads limit 10"), Some(10));
        assert_eq!(
            coql_limit("select Last_Name from Leads LIMIT 5, 30"),
            Some(30)
        );
        assert_eq!(coql_limit("select Last_Name from Leads"), None);
    }
}
