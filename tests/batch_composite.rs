//! Composite requests: five sub-requests per call and the rules of each sub-request.

mod support;

use serde_json::{json, Value};
use support::batch::*;
use zcrm_guard::batch::*;

fn sub(method: &str, uri: &str, body: Value) -> Value {
    json!({ "method": method, "uri": uri, "body": body })
}

#[test]
fn composite_packs_five_per_call() {
    let subs: Vec<Value> = (0..12).map(|i| json!({ "sub_request_id": format!("s{i}"), "method": "GET", "uri": "/crm/v8/Leads", "params": { "per_page": 25 } })).collect();
    let calls = plan_composite(&subs, &CompositeOptions::default()).expect("plan");
    assert_eq!(
        calls.iter().map(|c| c.indices.len()).collect::<Vec<_>>(),
        vec![5, 5, 2]
    );
    assert_eq!(calls[2].indices, vec![10, 11]);
    let b = body(&calls[0]);
    assert_eq!(b["__composite_requests"].as_array().expect("subs").len(), 5);
    assert_eq!(b["rollback_on_fail"], false);
    assert_eq!(calls[0].credits, 1);
    assert!(calls[0].complex);
    let rb = plan_composite(
        &subs[..3],
        &CompositeOptions {
            rollback_on_fail: true,
            ..Default::default()
        },
    )
    .expect("rollback");
    assert_eq!(rb[0].credits, 2);
    let err = plan_composite(
        &subs,
        &CompositeOptions {
            rollback_on_fail: true,
            ..Default::default()
        },
    )
    .expect_err("too many for one call");
    assert_eq!(err.code(), "INVALID_ARGUMENT");
}

#[test]
fn composite_per_sub_request_limits_and_rules() {
    let ok = [
        sub(
            "POST",
            "/crm/v8/Leads",
            json!({ "data": [{ "Last_Name": "a" }] }),
        ),
        sub(
            "POST",
            "/crm/v8/coql",
            json!({ "select_query": "select Last_Name from Leads limit 25" }),
        ),
        sub(
            "POST",
            "/crm/v8/Leads/123/actions/convert",
            json!({ "data": [{}, {}] }),
        ),
    ];
    assert!(plan_composite(&ok, &CompositeOptions::default()).is_ok());
    let cases = [
        sub("POST", "/crm/v8/Leads", json!({ "data": [{}, {}] })),
        sub("PUT", "/crm/v8/Leads", json!({ "data": [{}, {}] })),
        sub(
            "POST",
            "/crm/v8/coql",
            json!({ "select_query": "select Last_Name from Leads limit 0, 200" }),
        ),
        json!({ "method": "GET", "uri": "/crm/v8/Leads", "params": { "per_page": 200 } }),
        json!({ "method": "DELETE", "uri": "/crm/v8/Leads", "params": { "ids": "1,2" } }),
        json!({ "method": "GET", "uri": "/api/v8/Leads" }),
        json!({ "method": "GET", "uri": "/crm/v8/Leads", "sub_request_id": "_bad" }),
        json!({ "method": "GET", "uri": "/crm/v8/Leads", "headers": { "Authorization": "x" } }),
        json!({ "method": "FETCH", "uri": "/crm/v8/Leads" }),
        json!("not an object"),
    ];
    for (i, c) in cases.iter().enumerate() {
        let err = plan_composite(std::slice::from_ref(c), &CompositeOptions::default())
            .expect_err(&format!("case {i}"));
        assert_eq!(err.code(), "INVALID_ARGUMENT", "case {i}");
        assert!(
            err.details()
                .field
                .as_deref()
                .is_some_and(|f| f.starts_with("subRequests[0]")),
            "case {i}"
        );
    }
    let twice = [
        json!({ "method": "GET", "uri": "/crm/v8/Leads", "sub_request_id": "a" }),
        json!({ "method": "GET", "uri": "/crm/v8/Leads", "sub_request_id": "a" }),
    ];
    assert!(plan_composite(&twice, &CompositeOptions::default()).is_err());
    assert!(plan_composite(
        &[],
        &CompositeOptions {
            rollback_on_fail: true,
            parallel_execution: Some(true),
            ..Default::default()
        }
    )
    .is_err());
}

#[test]
fn composite_sub_requests_refuse_unknown_keys() {
    let opts = CompositeOptions::default();
    let subs = vec![
        json!({ "method": "GET", "uri": "/crm/v8/Leads" }),
        json!({ "method": "GET", "uri": "/crm/v8/Leads", "sub_requestid": "a" }),
    ];
    let e = plan_composite(&subs, &opts).unwrap_err();
    assert_eq!(e.code(), "INVALID_ARGUMENT");
    let d = e.details();
    assert_eq!(d.suggestion.as_deref(), Some("sub_request_id"));
    assert_eq!(d.json_path.as_deref(), Some("$[1].sub_requestid"));
    assert_eq!(d.api_name.as_deref(), Some("sub_requestid"));
    assert_eq!(d.field.as_deref(), Some("subRequests[1].sub_requestid"));
    let far = vec![json!({ "method": "GET", "uri": "/crm/v8/Leads", "retries": 3 })];
    assert_eq!(
        plan_composite(&far, &opts)
            .unwrap_err()
            .details()
            .suggestion,
        None
    );
}
