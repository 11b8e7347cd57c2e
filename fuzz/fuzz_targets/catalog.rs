//! Fuzz target: the catalog never panics on any edition name, option figures or URL, and
//! an edition's credits stay within the computed figure and the cap (the check is
//! zcrm-guard-fuzz-common's, shared with tests/catalog_editions.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zcrm_guard::catalog::{
    data_center_for, edition_limits, EditionOptions, Operation, RawOperation,
};
use zcrm_guard_fuzz_common::catalog::check_edition_limits;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = data_center_for(&text);
    let mut words = text.split('\u{0}');
    let name = words.next().unwrap_or_default();
    let num = |s: Option<&str>| s.and_then(|s| s.parse::<f64>().ok());
    let options = EditionOptions {
        licenses: num(words.next()),
        add_on_credits: num(words.next()),
        credit_cap: num(words.next()),
        add_ons_above_cap: Some(data.len().is_multiple_of(2)),
        concurrency: num(words.next()),
    };
    if let Ok(limits) = edition_limits(name, &options) {
        check_edition_limits(&limits, &options);
    }
    if let Ok(raw) = serde_json::from_slice::<RawOperation>(data) {
        if let Ok(op) = Operation::try_from(raw) {
            let _ = zcrm_guard::catalog::credit_cost(&op, &Default::default());
            let _ = zcrm_guard::catalog::operation_limits(&op);
        }
    }
});
