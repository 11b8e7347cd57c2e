//! Fuzz target: classify never panics on any status, headers or body, keeps the status,
//! and gives one record per result entry, in order (the check is zcrm-guard-fuzz-common's,
//! shared with tests/classify_malformed.rs).
//! Input: 2 bytes of status, then header lines, a NUL, the body.
#![no_main]

use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::classify::{classify, Body, ClassifyOptions, Response};
use zcrm_guard_fuzz_common::classify::check_verdict;

fuzz_target!(|data: &[u8]| {
    let status = u16::from_le_bytes([
        data.first().copied().unwrap_or(0),
        data.get(1).copied().unwrap_or(0),
    ]) % 1000;
    let rest = data.get(2..).unwrap_or_default();
    let split = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    let head = String::from_utf8_lossy(rest.get(..split).unwrap_or_default());
    let body = rest.get(split.saturating_add(1)..).unwrap_or_default();
    let headers: Vec<(Cow<str>, Cow<str>)> = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (Cow::Owned(k.to_owned()), Cow::Owned(v.to_owned())))
        .collect();
    let kind = OperationKind::ALL[usize::from(data.len() as u8) % OperationKind::ALL.len()];
    let op = Operation::new(kind);
    let response = Response {
        status,
        headers,
        body: Body::Bytes(body),
        network_error: None,
    };
    let options = ClassifyOptions {
        now_ms: Some(1_700_000_000_000),
        ..ClassifyOptions::default()
    };
    let verdict = classify(&response, Some(&op), &options).expect("only BODY_TOO_LARGE can fail");
    check_verdict(&verdict, status);
});
