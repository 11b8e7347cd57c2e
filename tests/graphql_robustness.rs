//! GraphQL robustness: nesting, size and UTF-8 limits are typed results; random token soups and
//! bytes never panic.

mod support;

use serde_json::json;
use support::graphql::*;
use zcrm_guard::graphql::{
    analyze_graphql, analyze_graphql_bytes, variables_from_json, GraphqlOptions, ViolationCode,
};
use zcrm_guard_fuzz_common::graphql::check_analysis;

#[test]
fn ten_thousand_nested_selections_hit_the_nesting_limit_without_overflow() {
    let q = format!("{}{}", "{ a ".repeat(10_000), "}".repeat(10_000));
    let a = analyze(&q);
    assert_eq!(codes(&a), vec![ViolationCode::NestingLimitExceeded]);
    assert_eq!(a.violations[0].limit, Some(64));
    // Nested lists in arguments are capped the same way.
    let q = format!(
        "{{ Records {{ Leads(where: {}1{}) {{ _data {{ id }} }} }} }}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert_eq!(
        codes(&analyze(&q)),
        vec![ViolationCode::NestingLimitExceeded]
    );
}

#[test]
fn query_size_limit_and_invalid_utf8_are_typed_errors() {
    let big = format!(
        "{{ Records {{ Leads {{ _data {{ {} }} }} }} }}",
        "id { value } ".repeat(100_000)
    );
    assert!(big.len() > 1024 * 1024);
    let e = analyze_graphql(&big, None, &GraphqlOptions::default()).unwrap_err();
    assert_eq!(e.code(), "QUERY_TOO_LARGE");
    // Accepted when the limit allows it: many fields, no overflow.
    let options = GraphqlOptions {
        max_query_bytes: 2 * 1024 * 1024,
        max_expanded_fields: 1_000_000,
        ..GraphqlOptions::default()
    };
    let a = analyze_graphql(&big, None, &options).unwrap();
    assert_eq!(
        codes(&a),
        Vec::<ViolationCode>::new(),
        "merged: one field `id`"
    );
    let e =
        analyze_graphql_bytes(b"{ Records \xff }", None, &GraphqlOptions::default()).unwrap_err();
    assert_eq!(e.code(), "INVALID_UTF8");
    let a = analyze_graphql_bytes(LEADS.as_bytes(), None, &GraphqlOptions::default()).unwrap();
    assert!(a.ok);
    let e = variables_from_json(json!([1, 2])).unwrap_err();
    assert_eq!(e.code(), "INVALID_ARGUMENT");
    let bad = GraphqlOptions {
        root_record_credits: 0.3,
        ..GraphqlOptions::default()
    };
    assert_eq!(
        analyze_graphql(LEADS, None, &bad).unwrap_err().code(),
        "INVALID_ARGUMENT"
    );
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Tokens of Zoho-shaped queries, so that random sequences reach the analysis
    /// (not only the parser's error path).
    fn token() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "{",
            "}",
            "(",
            ")",
            "[",
            "]",
            ":",
            "$n",
            "...",
            "...F",
            "... on T",
            "fragment F on T",
            "query Q($n: Int)",
            "Records",
            "Meta",
            "Leads",
            "_data",
            "id",
            "value",
            "Owner",
            "Subform_1__r",
            "What_Id",
            "Modules",
            "limit: 5",
            "limit: $n",
            "where: {",
            "and: [",
            "or:",
            "equals: 1",
            "a:",
            " ",
            "\n",
            "#c\n",
            "\"s\"",
            "1.5",
            "null",
        ])
    }

    // The analysis's invariants are zcrm-guard-fuzz-common's, shared with the `graphql` fuzz target.
    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn random_token_soup_is_analysed_without_panic(tokens in prop::collection::vec(token(), 0..120), n in any::<i64>()) {
            let query = tokens.join(" ");
            let vars = variables_from_json(json!({ "n": n })).unwrap();
            let a = analyze_graphql(&query, vars.as_ref(), &GraphqlOptions::default()).unwrap();
            check_analysis(&a);
        }

        #[test]
        fn arbitrary_bytes_give_an_analysis_or_a_typed_error(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            match analyze_graphql_bytes(&bytes, None, &GraphqlOptions::default()) {
                Ok(a) => check_analysis(&a),
                Err(e) => prop_assert_eq!(e.code(), "INVALID_UTF8"),
            }
        }
    }
}
