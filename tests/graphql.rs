//! GraphQL pre-flight: each Zoho rule, with queries written from Zoho's GraphQL docs
//! (query-records-examples.html, getting-started.html, filter-response.html).

// Helpers outside `#[test]` functions are test code too (clippy.toml allows unwrap in tests).
#![allow(clippy::unwrap_used)]

use serde_json::json;
use zcrm_guard::graphql::{
    analyze_graphql, analyze_graphql_bytes, variables_from_json, Analysis, DepthConvention,
    GraphqlOptions, ResourceKind, ViolationCode,
};

fn analyze(query: &str) -> Analysis {
    analyze_graphql(query, None, &GraphqlOptions::default()).unwrap()
}

fn analyze_with(query: &str, vars: serde_json::Value, options: &GraphqlOptions) -> Analysis {
    let vars = variables_from_json(vars).unwrap();
    analyze_graphql(query, vars.as_ref(), options).unwrap()
}

fn codes(a: &Analysis) -> Vec<ViolationCode> {
    a.violations.iter().map(|v| v.code).collect()
}

/// Zoho's "Querying Records in Leads Module" example.
const LEADS: &str = r#"query {
    Records {
        Leads {
            _data {
                id { value }
                Full_Name { value }
                Description { value }
            }
        }
    }
}"#;

/// Zoho's "Querying Lookup in Products Module" example.
const PRODUCTS_LOOKUP: &str = r#"query {
    Records {
        Products {
            _data {
                Vendor_Name {
                    Vendor_Name { value }
                    id { value }
                }
            }
        }
    }
}"#;

/// Zoho's "Querying Subform in Leads Module" example: Leads → Subform_1__r → Parent_Id.
const LEADS_SUBFORM: &str = r#"query {
    Records {
        Leads {
            _data {
                id { value }
                Subform_1__r {
                    _data {
                        id { value }
                        Parent_Id {
                            Email { value }
                            Company { value }
                        }
                    }
                }
            }
        }
    }
}"#;

/// Zoho's getting-started sample (metadata).
const META_MODULES: &str = r#"query {
    Meta {
        Modules(filter: { api_name: "Leads" }) {
            _data {
                plural_label
                presence_sub_menu
                id
                properties
                visibility
                on_demand_properties
                web_link
            }
        }
    }
}"#;

#[test]
fn plain_record_query_costs_one_root_resource() {
    let a = analyze(LEADS);
    assert!(a.ok, "{:?}", a.violations);
    assert_eq!(a.complexity, 100);
    assert_eq!(a.credits, 1);
    assert_eq!(a.credits_exact, 1.0);
    assert_eq!(a.depth.records, 1);
    assert_eq!(a.root_records, 100, "no limit counts as the root maximum");
    assert_eq!(a.resources.len(), 1);
    assert_eq!(a.resources[0].kind, ResourceKind::Module);
    assert_eq!(a.resources[0].path, vec!["Records", "Leads"]);
    assert_eq!(a.operation, None);
}

#[test]
fn lookup_costs_25_points_and_a_quarter_credit() {
    let a = analyze(PRODUCTS_LOOKUP);
    assert!(a.ok, "{:?}", a.violations);
    assert_eq!(a.complexity, 125);
    assert_eq!(a.credits_exact, 1.25);
    assert_eq!(a.credits, 2, "1.25 credits are rounded up");
    assert_eq!(a.depth.records, 2);
    let lookup = &a.resources[1];
    assert_eq!(lookup.kind, ResourceKind::Lookup);
    assert_eq!(
        lookup.path,
        vec!["Records", "Products", "_data", "Vendor_Name"]
    );
}

#[test]
fn subform_is_a_child_relation_and_zohos_example_is_exactly_depth_3() {
    let a = analyze(LEADS_SUBFORM);
    assert!(a.ok, "{:?}", a.violations);
    let kinds: Vec<_> = a.resources.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        vec![
            ResourceKind::Module,
            ResourceKind::ChildRelation,
            ResourceKind::Lookup
        ]
    );
    assert_eq!(a.complexity, 100 + 50 + 25);
    assert_eq!(a.credits_exact, 1.75);
    assert_eq!(a.credits, 2);
    assert_eq!(a.depth.records, 3);
}

#[test]
fn one_more_lookup_level_exceeds_record_depth_with_path_and_location() {
    let q = r#"query {
  Records {
    Leads {
      _data {
        Subform_1__r {
          _data {
            Parent_Id {
              Owner { email { value } }
            }
          }
        }
      }
    }
  }
}"#;
    let a = analyze(q);
    assert!(!a.ok);
    let v = &a.violations[0];
    assert_eq!(v.code, ViolationCode::DepthExceeded);
    assert_eq!((v.limit, v.actual), (Some(3), Some(4)));
    assert_eq!(
        v.path,
        vec![
            "Records",
            "Leads",
            "_data",
            "Subform_1__r",
            "_data",
            "Parent_Id",
            "Owner"
        ]
    );
    assert_eq!((v.line, v.column), (Some(8), Some(15)));
    assert_eq!(a.depth.records, 4);
    // The lenient convention starts counting at the first relation.
    let lenient = GraphqlOptions {
        depth_convention: DepthConvention::Lenient,
        ..GraphqlOptions::default()
    };
    let b = analyze_with(q, json!(null), &lenient);
    assert!(b.ok, "{:?}", b.violations);
    assert_eq!(b.depth.records, 3);
}

#[test]
fn metadata_depth_counts_every_level_under_meta() {
    let a = analyze(META_MODULES);
    assert!(a.ok, "{:?}", a.violations);
    assert_eq!(a.depth.meta, 3, "Modules, _data, plural_label");
    assert_eq!(a.complexity, 100);
    assert_eq!(a.credits, 1);
    // 8 levels below Meta.
    let deep = "{ Meta { Modules { _data { a { b { c { d { e { f } } } } } } } } }";
    let a = analyze(deep);
    assert_eq!(codes(&a), vec![ViolationCode::DepthExceeded]);
    assert_eq!(a.violations[0].actual, Some(8));
    assert_eq!(a.violations[0].path.last().map(String::as_str), Some("f"));
    let lenient = GraphqlOptions {
        depth_convention: DepthConvention::Lenient,
        ..GraphqlOptions::default()
    };
    assert!(analyze_with(deep, json!(null), &lenient).ok);
}

#[test]
fn meta_resources_cost_what_zohos_table_says() {
    let q = "{ Meta { Modules { _data { id } } Field { _data { id } } Roles { _data { id } } Users { _data { id } } } }";
    let a = analyze(q);
    assert!(a.ok, "{:?}", a.violations);
    assert_eq!(a.complexity, 100 + 50 + 100 + 100);
    assert_eq!(a.credits_exact, 3.5);
    assert_eq!(a.credits, 4);
    // An unlisted root meta resource is charged the table's maximum.
    let a = analyze("{ Meta { Something_New { _data { id } } } }");
    assert_eq!((a.complexity, a.credits), (100, 1));
}

#[test]
fn multi_module_lookups_cost_50_and_are_recognised_by_name_or_option() {
    let q = r#"{ Records { Tasks { _data {
        What_Id { id { value } }
        Custom_Poly { id { value } }
    } } } }"#;
    let a = analyze(q);
    assert_eq!(a.resources[1].kind, ResourceKind::MultiModuleLookup);
    assert_eq!(a.resources[2].kind, ResourceKind::Lookup);
    assert_eq!(a.complexity, 100 + 50 + 25);
    let options = GraphqlOptions {
        multi_module_lookups: vec!["Custom_Poly".into()],
        ..GraphqlOptions::default()
    };
    let a = analyze_with(q, json!(null), &options);
    assert_eq!(a.resources[2].kind, ResourceKind::MultiModuleLookup);
    assert_eq!(a.complexity, 200);
    assert_eq!(a.credits, 2);
}

#[test]
fn options_classify_fields_the_shape_cannot_tell() {
    // A subform selected without `_data` and a lookup selected with leaves only.
    let q = "{ Records { Deals { _data { Items { Qty } Owner { id } Stage { value } } } } }";
    let plain = analyze(q);
    assert_eq!(
        plain.resources.len(),
        1,
        "leaf-only selections are value wrappers"
    );
    let options = GraphqlOptions {
        subforms: vec!["Items".into()],
        lookups: vec!["Owner".into()],
        ..GraphqlOptions::default()
    };
    let a = analyze_with(q, json!(null), &options);
    let kinds: Vec<_> = a.resources.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        vec![
            ResourceKind::Module,
            ResourceKind::ChildRelation,
            ResourceKind::Lookup
        ]
    );
    // Free lookups (Created_By/Modified_By, unverified) cost nothing when configured.
    let options = GraphqlOptions {
        free_lookups: vec!["Created_By".into()],
        ..GraphqlOptions::default()
    };
    let a = analyze_with(
        "{ Records { Leads { _data { Created_By { name { value } } } } } }",
        json!(null),
        &options,
    );
    assert_eq!((a.complexity, a.credits_exact), (100, 1.0));
}

#[test]
fn complexity_over_1000_is_reported_like_execution_aborted() {
    // 11 root modules: 1,100 points and 11 credits.
    let modules: String = (0..11)
        .map(|i| format!("m{i}: Leads {{ _data {{ id {{ value }} }} }}\n"))
        .collect();
    let a = analyze(&format!("{{ Records {{ {modules} }} }}"));
    assert_eq!(a.complexity, 1100);
    assert_eq!(a.credits, 11);
    assert_eq!(
        codes(&a),
        vec![
            ViolationCode::ComplexityExceeded,
            ViolationCode::CreditsExceeded
        ]
    );
    let v = &a.violations[0];
    assert_eq!((v.limit, v.actual), (Some(1000), Some(1100)));
    assert!(v.path.is_empty());
    assert_eq!(a.resources.len(), 11, "aliases are counted once each");
}

#[test]
fn credits_are_summed_in_quarters_and_rounded_up_once() {
    // 9 modules (9 credits) + 4 lookups (1 credit) = 10: allowed.
    let mut q = String::from("{ Records {\n");
    for i in 0..9 {
        q += &format!("m{i}: Leads {{ _data {{ id {{ value }} }} }}\n");
    }
    q += "x: Contacts { _data { A { id { value } } B { id { value } } C { id { value } } D { id { value } } } }\n} }";
    let a = analyze(&q);
    assert_eq!(a.credits_exact, 11.0);
    // x is a tenth module: 10 + 1 = 11 > 10.
    assert_eq!(
        codes(&a),
        vec![
            ViolationCode::ComplexityExceeded,
            ViolationCode::CreditsExceeded
        ]
    );
    let options = GraphqlOptions {
        max_credits: 11,
        max_complexity: 2000,
        ..GraphqlOptions::default()
    };
    assert!(analyze_with(&q, json!(null), &options).ok);
}

#[test]
fn root_limit_over_100_and_sub_limit_over_10_are_rejected() {
    let q = r#"query Big($n: Int) {
        Records {
            Leads(limit: 150) { _data { id { value } } }
            Contacts(limit: $n) { _data { Subform_1__r(limit: 11) { _data { id { value } } } } }
        }
    }"#;
    let a = analyze_with(q, json!({ "n": 20 }), &GraphqlOptions::default());
    assert_eq!(a.operation.as_deref(), Some("Big"));
    assert_eq!(
        codes(&a),
        vec![
            ViolationCode::RecordsLimitExceeded,
            ViolationCode::RecordsLimitExceeded
        ]
    );
    assert_eq!(a.violations[0].limit, Some(100));
    assert_eq!(a.violations[0].actual, Some(150));
    assert_eq!(a.violations[0].path, vec!["Records", "Leads"]);
    assert_eq!(a.violations[1].limit, Some(10));
    assert_eq!(a.violations[1].actual, Some(11));
    assert_eq!(a.root_records, 170);
}

#[test]
fn limits_are_resolved_through_variables_and_defaults() {
    let q = "query Q($n: Int = 500) { Records { Leads(limit: $n) { _data { id { value } } } } }";
    let a = analyze_with(q, json!(null), &GraphqlOptions::default());
    assert_eq!(codes(&a), vec![ViolationCode::RecordsLimitExceeded]);
    assert_eq!(a.violations[0].actual, Some(500));
    let a = analyze_with(q, json!({ "n": 50 }), &GraphqlOptions::default());
    assert!(a.ok);
    assert_eq!(a.root_records, 50);
    // Wrong types are violations, not exceptions.
    for bad in [json!("100"), json!(1.5), json!(-1), json!(true), json!([1])] {
        let a = analyze_with(q, json!({ "n": bad }), &GraphqlOptions::default());
        assert_eq!(codes(&a), vec![ViolationCode::InvalidVariable], "{bad}");
    }
    let a = analyze("{ Records { Leads(limit: $m) { _data { id { value } } } } }");
    assert_eq!(codes(&a), vec![ViolationCode::UndefinedVariable]);
}

#[test]
fn fifty_fields_per_resource_and_five_relations() {
    let fields: String = (0..51).map(|i| format!("F{i} {{ value }}\n")).collect();
    let a = analyze(&format!(
        "{{ Records {{ Leads {{ _data {{ {fields} }} }} }} }}"
    ));
    assert_eq!(codes(&a), vec![ViolationCode::FieldsLimitExceeded]);
    assert_eq!(
        (a.violations[0].limit, a.violations[0].actual),
        (Some(50), Some(51))
    );
    assert_eq!(a.violations[0].path, vec!["Records", "Leads", "_data"]);
    // The same field twice (directly and through a fragment) is one selection.
    let fields: String = (0..50).map(|i| format!("F{i} {{ value }}\n")).collect();
    let q = format!(
        "{{ Records {{ Leads {{ _data {{ {fields} ...More }} }} }} }} fragment More on Leads__data {{ F0 {{ value }} F1 {{ value }} }}"
    );
    assert!(analyze(&q).ok);
    let lookups: String = (0..6)
        .map(|i| format!("L{i} {{ id {{ value }} }}\n"))
        .collect();
    let a = analyze(&format!(
        "{{ Records {{ Leads {{ _data {{ {lookups} }} }} }} }}"
    ));
    assert_eq!(codes(&a), vec![ViolationCode::LookupLimitExceeded]);
    assert_eq!(a.violations[0].actual, Some(6));
    assert_eq!(a.violations[0].line, Some(6), "points at the sixth lookup");
}

#[test]
fn filter_criteria_are_counted_through_and_or_and_variables() {
    // Written from filter-response.html: field operators, `and`/`or` lists.
    let q = r#"query P($w: Products__Filter) {
        Records {
            Products(where: { Product_Active: { equals: true }, or: [
                { Qty_in_Stock: { greater_than: 5, less_than: 50 } },
                { Product_Category: { in: ["A", "B"] } }
            ] }) { _data { id { value } } }
            Vendors(where: $w) { _data { id { value } } }
        }
    }"#;
    let criteria: Vec<serde_json::Value> = (0..26)
        .map(|i| json!({ format!("F{i}"): { "equals": i } }))
        .collect();
    let a = analyze_with(
        q,
        json!({ "w": { "and": criteria } }),
        &GraphqlOptions::default(),
    );
    assert_eq!(codes(&a), vec![ViolationCode::CriteriaLimitExceeded]);
    assert_eq!(a.violations[0].actual, Some(26));
    assert_eq!(a.violations[0].path, vec!["Records", "Vendors"]);
    assert_eq!(a.criteria, 4 + 26);
}

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

#[test]
fn children_below_root_resources_are_flagged() {
    let q = "{ Records { Leads { _data { Owner { Subform_2__r { _data { id { value } } } } } } } }";
    let a = analyze(q);
    assert_eq!(codes(&a), vec![ViolationCode::ChildFieldNotAtRoot]);
}

#[test]
fn options_are_parsed_from_camel_case_json_and_unknown_keys_refused() {
    let o: GraphqlOptions = serde_json::from_value(json!({
        "operationName": "A", "maxComplexity": 500, "depthConvention": "lenient",
        "multiModuleLookups": ["X"], "rootRecordCredits": 0.5
    }))
    .unwrap();
    assert_eq!(o.max_complexity, 500);
    assert_eq!(o.depth_convention, DepthConvention::Lenient);
    assert_eq!(
        o.max_depth_records, 3,
        "unspecified keys keep Zoho's figure"
    );
    assert!(serde_json::from_value::<GraphqlOptions>(json!({ "maxComplexty": 1 })).is_err());
    let o = GraphqlOptions {
        operation_name: None,
        ..o
    };
    let a = analyze_with(LEADS, json!(null), &o);
    assert_eq!(a.credits_exact, 0.5);
    assert_eq!(a.credits, 1);
}

#[test]
fn violation_codes_serialize_screaming_snake() {
    let a = analyze("{ Records { Leads(limit: 101) { _data { id { value } } } } }");
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(v["violations"][0]["code"], "RECORDS_LIMIT_EXCEEDED");
    assert_eq!(v["rootRecords"], 101);
    assert_eq!(v["creditsExact"], 1.0);
    assert_eq!(v["resources"][0]["kind"], "module");
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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn random_token_soup_is_analysed_without_panic(tokens in prop::collection::vec(token(), 0..120), n in any::<i64>()) {
            let query = tokens.join(" ");
            let vars = variables_from_json(json!({ "n": n })).unwrap();
            let a = analyze_graphql(&query, vars.as_ref(), &GraphqlOptions::default()).unwrap();
            prop_assert_eq!(a.ok, a.violations.is_empty());
            prop_assert_eq!(f64::from(a.credits), a.credits_exact.ceil());
            let sum: u32 = a.resources.iter().map(|r| r.complexity).sum();
            prop_assert_eq!(sum, a.complexity);
        }

        #[test]
        fn arbitrary_bytes_give_an_analysis_or_a_typed_error(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            match analyze_graphql_bytes(&bytes, None, &GraphqlOptions::default()) {
                Ok(a) => prop_assert_eq!(a.ok, a.violations.is_empty()),
                Err(e) => prop_assert_eq!(e.code(), "INVALID_UTF8"),
            }
        }
    }
}

#[test]
fn every_violation_code_is_typed_in_the_package() {
    let types = include_str!("../pkg-template/types/generated/graphql.d.ts");
    for code in ViolationCode::ALL {
        let name = serde_json::to_value(code).unwrap();
        let name = name.as_str().unwrap();
        assert!(
            types.contains(&format!("'{name}'")),
            "{name} missing from graphql.d.ts"
        );
    }
    let index = include_str!("../pkg-template/types/generated/errors.d.ts");
    for code in ["QUERY_TOO_LARGE", "INVALID_UTF8"] {
        assert!(
            index.contains(&format!("'{code}'")),
            "{code} missing from index.d.ts"
        );
    }
}
