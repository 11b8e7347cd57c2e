//! GraphQL costs: complexity points and credits of modules, lookups, subforms and metadata,
//! with queries written from Zoho's GraphQL docs (query-records-examples.html, getting-started.html).

mod support;

use serde_json::json;
use support::graphql::*;
use zcrm_guard::graphql::{GraphqlOptions, ResourceKind, ViolationCode};

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
    assert_eq!(
        kinds(&a),
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
    assert_eq!(
        kinds(&a),
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
