//! Fuzz target: analyzeGraphql never panics on any bytes, with the default options and
//! with the widest nesting allowed, and its totals stay consistent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zcrm_guard::graphql::{analyze_graphql_bytes, DepthConvention, GraphqlOptions};

fuzz_target!(|data: &[u8]| {
    let wide = GraphqlOptions {
        max_nesting: 256,
        depth_convention: DepthConvention::Lenient,
        subforms: vec!["Owner".into()],
        ..GraphqlOptions::default()
    };
    for options in [GraphqlOptions::default(), wide] {
        if let Ok(a) = analyze_graphql_bytes(data, None, &options) {
            assert_eq!(a.ok, a.violations.is_empty());
            assert_eq!(f64::from(a.credits), a.credits_exact.ceil());
            let sum: u32 = a.resources.iter().map(|r| r.complexity).sum();
            assert_eq!(sum, a.complexity);
        }
    }
});
