//! GraphQL options and output as JavaScript sees them: camelCase options, SCREAMING_SNAKE codes,
//! every violation code typed in the package's .d.ts.

mod support;

use serde_json::json;
use support::graphql::*;
use zcrm_guard::graphql::{DepthConvention, GraphqlOptions, ViolationCode};

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
