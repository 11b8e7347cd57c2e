//! Fuzz target: analyzeGraphql never panics on any bytes, with the default options and
//! with the widest nesting allowed, and its totals stay consistent (the check is
//! zcrm-guard-fuzz-common's, shared with tests/graphql_robustness.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zcrm_guard::graphql::{analyze_graphql_bytes, DepthConvention, GraphqlOptions};
use zcrm_guard_fuzz_common::graphql::check_analysis;

fuzz_target!(|data: &[u8]| {
    let wide = GraphqlOptions {
        max_nesting: 256,
        depth_convention: DepthConvention::Lenient,
        subforms: vec!["Owner".into()],
        ..GraphqlOptions::default()
    };
    for options in [GraphqlOptions::default(), wide] {
        if let Ok(a) = analyze_graphql_bytes(data, None, &options) {
            check_analysis(&a);
        }
    }
});
