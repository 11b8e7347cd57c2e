//! GraphQL limits: record and metadata depth, record limits through variables, fields, lookups and
//! filter criteria (filter-response.html), children below root resources.

mod support;

use serde_json::json;
use support::graphql::*;
use zcrm_guard::graphql::{DepthConvention, GraphqlOptions, ViolationCode};

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
fn children_below_root_resources_are_flagged() {
    let q = "{ Records { Leads { _data { Owner { Subform_2__r { _data { id { value } } } } } } } }";
    let a = analyze(q);
    assert_eq!(codes(&a), vec![ViolationCode::ChildFieldNotAtRoot]);
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
