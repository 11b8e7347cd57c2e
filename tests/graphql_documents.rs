//! GraphQL documents: fragments and their cycles, operation selection by name, syntax errors.

mod support;

use serde_json::json;
use support::graphql::*;
use zcrm_guard::graphql::{GraphqlOptions, ViolationCode};

#[test]
fn fragments_and_inline_fragments_are_expanded_and_merged() {
    let q = r#"
query Deals {
  Records {
    Deals(limit: 10) {
      _data {
        ...DealFields
        ... on Deals__data { Account_Name { Account_Name { value } } }
        Account_Name { id { value } }
      }
    }
  }
}
fragment DealFields on Deals__data { Deal_Name { value } Owner { ...UserFields } }
fragment UserFields on Users__data { email { value } name { value } }
"#;
    let a = analyze(q);
    assert!(a.ok, "{:?}", a.violations);
    // Owner and Account_Name (merged from two selections) are lookups: 100 + 2 × 25.
    assert_eq!(a.complexity, 150);
    assert_eq!(a.resources.len(), 3);
}

#[test]
fn fragment_cycles_are_violations_not_stack_overflows() {
    let q = r#"{ Records { Leads { _data { ...A } } } }
fragment A on Leads__data { Owner { ...B } }
fragment B on Users__data { x { ...A } }"#;
    let a = analyze(q);
    assert_eq!(codes(&a), vec![ViolationCode::FragmentCycle]);
    assert_eq!(a.violations[0].path, vec!["A", "B", "A"]);
    assert_eq!(a.violations[0].line, Some(3));
    let a = analyze("{ Records { Leads { _data { ...Self } } } } fragment Self on X { ...Self }");
    assert_eq!(codes(&a), vec![ViolationCode::FragmentCycle]);
    let a = analyze("{ Records { Leads { _data { ...Missing } } } }");
    assert_eq!(codes(&a), vec![ViolationCode::UnknownFragment]);
}

#[test]
fn exponential_fragment_expansion_stops_at_the_budget() {
    // Each level doubles: 2^30 fields if fully expanded.
    let mut q = String::from("{ Records { Leads { _data { ...F0 } } } }\n");
    for i in 0..30 {
        q += &format!(
            "fragment F{i} on T {{ a: x {{ ...F{n} }} b: y {{ ...F{n} }} }}\n",
            n = i + 1
        );
    }
    q += "fragment F30 on T { id { value } }";
    let a = analyze(&q);
    assert!(codes(&a).contains(&ViolationCode::AnalysisLimitExceeded));
}

#[test]
fn operation_selection_by_name() {
    let q = "query A { Records { Leads { _data { id { value } } } } } query B { Meta { Modules { _data { id } } } }";
    assert_eq!(
        codes(&analyze(q)),
        vec![ViolationCode::OperationNameRequired]
    );
    let pick = |name: &str| GraphqlOptions {
        operation_name: Some(name.into()),
        ..GraphqlOptions::default()
    };
    let b = analyze_with(q, json!(null), &pick("B"));
    assert!(b.ok);
    assert_eq!(b.operation.as_deref(), Some("B"));
    assert_eq!(b.depth.meta, 3);
    assert_eq!(b.depth.records, 0);
    let c = analyze_with(q, json!(null), &pick("C"));
    assert_eq!(codes(&c), vec![ViolationCode::UnknownOperation]);
    assert_eq!(
        codes(&analyze("fragment F on T { a }")),
        vec![ViolationCode::NoOperation]
    );
    let m = analyze("mutation { Records { Leads { _data { id } } } }");
    assert_eq!(codes(&m), vec![ViolationCode::UnsupportedOperation]);
}

#[test]
fn syntax_errors_have_line_and_column_and_are_all_reported() {
    let a = analyze("query {\n  Records {\n    Leads( { _data { id } }\n}");
    assert!(!a.ok);
    assert!(a
        .violations
        .iter()
        .all(|v| v.code == ViolationCode::SyntaxError));
    let v = &a.violations[0];
    assert_eq!(v.line, Some(3));
    assert!(v.column.is_some());
    assert_eq!(a.credits, 0);
}
