//! The limits catalog's operations: credit costs and overrides, the complex pool, per-call limits,
//! operation kinds as JavaScript sends them.

use proptest::prelude::*;
use zcrm_guard::catalog::*;
use zcrm_guard::Error;

fn op(kind: OperationKind) -> Operation {
    Operation::new(kind)
}

#[test]
fn credit_costs_by_rule() {
    let none = CostOverrides::default();
    assert_eq!(credit_cost(&op(OperationKind::Get), &none).credits, 1);
    assert_eq!(
        credit_cost(&op(OperationKind::ConvertLead), &none).credits,
        5
    );
    assert_eq!(credit_cost(&op(OperationKind::Token), &none).credits, 0);
    for (limit, credits) in [(1, 1), (200, 1), (201, 2), (1000, 2), (1001, 3), (2000, 3)] {
        let mut o = op(OperationKind::Coql);
        o.coql_limit = Some(limit);
        assert_eq!(credit_cost(&o, &none).credits, credits, "LIMIT {limit}");
    }
    assert_eq!(
        credit_cost(&op(OperationKind::Coql), &none).credits,
        1,
        "default LIMIT 200"
    );
    let mut c = op(OperationKind::Composite);
    assert_eq!(credit_cost(&c, &none).credits, 1);
    c.rollback_on_fail = true;
    let cost = credit_cost(&c, &none);
    assert_eq!((cost.credits, cost.refund_on_rollback), (2, 1));
    for (n, credits) in [(1, 1), (10, 1), (11, 2), (100, 10)] {
        let cost = credit_cost(&op(OperationKind::Insert).with_records(n), &none);
        assert_eq!(cost.credits, credits, "{n} records");
        assert!(!cost.verified);
    }
    assert_eq!(credit_cost(&op(OperationKind::Graphql), &none).credits, 10);
    let mut g = op(OperationKind::Graphql);
    g.credits = Some(3);
    assert_eq!(credit_cost(&g, &none).credits, 3);
}

#[test]
fn credit_overrides() {
    let mut o = CostOverrides::default();
    o.per_call.insert(OperationKind::Search, 3);
    o.write_records_per_credit = Some(0);
    assert_eq!(credit_cost(&op(OperationKind::Search), &o).credits, 3);
    let per_call = credit_cost(&op(OperationKind::Insert).with_records(100), &o);
    assert_eq!(per_call.credits, 1);
    // The basis names the caller's rule, not the default table it replaced.
    assert_eq!(per_call.basis, "write_per_call");
    o.write_records_per_credit = Some(25);
    let per_25 = credit_cost(&op(OperationKind::Insert).with_records(100), &o);
    assert_eq!(
        (per_25.credits, per_25.basis),
        (4, "write_records_per_credit")
    );
    let default = credit_cost(
        &op(OperationKind::Insert).with_records(100),
        &CostOverrides::default(),
    );
    assert_eq!(
        (default.credits, default.basis),
        (10, "write_per_10_records")
    );
}

#[test]
fn unknown_keys_in_operations_and_overrides_are_refused() {
    let e = serde_json::from_str::<RawOperation>(r#"{"kind":"insert","recordcount":100}"#)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("unknown field `recordcount`"), "{e}");
    let e = serde_json::from_str::<Operation>(r#"{"kind":"insert","retryOf":3}"#).unwrap_err();
    assert!(e.to_string().contains("unknown field `retryOf`"), "{e}");
    let e = serde_json::from_str::<CostOverrides>(r#"{"writeRecordPerCredit":0}"#).unwrap_err();
    assert!(e.to_string().contains("writeRecordsPerCredit"), "{e}");
}

#[test]
fn complex_pool_membership() {
    assert!(op(OperationKind::Coql).is_complex());
    assert!(op(OperationKind::Search).is_complex());
    assert!(op(OperationKind::ConvertLead).is_complex());
    assert!(op(OperationKind::SendMail).is_complex());
    assert!(!op(OperationKind::Get).is_complex());
    let mut sorted = op(OperationKind::Get);
    sorted.sorted = true;
    assert!(sorted.is_complex());
    assert!(!op(OperationKind::Insert).with_records(10).is_complex());
    assert!(op(OperationKind::Upsert).with_records(11).is_complex());
    assert_eq!(op(OperationKind::Graphql).pool(), Pool::Graphql);
    assert_eq!(op(OperationKind::Composite).concurrency_slots(), 5);
}

#[test]
fn per_call_limits() {
    for kind in [
        OperationKind::Insert,
        OperationKind::Update,
        OperationKind::Upsert,
        OperationKind::Delete,
    ] {
        assert_eq!(operation_limits(&op(kind)).max_records_per_call, Some(100));
    }
    let get = operation_limits(&op(OperationKind::Get));
    assert_eq!(get.max_per_page, Some(200));
    assert_eq!(get.max_records_without_page_token, Some(2_000));
    assert_eq!(get.max_records_total, Some(100_000));
    assert_eq!(get.max_fields, Some(50));
    assert_eq!(
        operation_limits(&op(OperationKind::Composite)).max_sub_requests,
        Some(5)
    );
    assert_eq!(
        operation_limits(&op(OperationKind::Search)).max_records_total,
        Some(2_000)
    );
}

#[test]
fn raw_operations_are_checked() {
    let raw = |kind: &str| RawOperation {
        kind: Some(kind.into()),
        ..RawOperation::default()
    };
    assert_eq!(
        Operation::try_from(raw("convert_lead")).unwrap().kind,
        OperationKind::ConvertLead
    );
    let e = Operation::try_from(raw("launch")).unwrap_err();
    assert!(matches!(e, Error::UnknownOperationKind { .. }));
    assert_eq!(
        Operation::try_from(RawOperation::default())
            .unwrap_err()
            .code(),
        "INVALID_ARGUMENT"
    );
    let mut r = raw("coql");
    r.coql_limit = Some(2_001);
    assert_eq!(
        Operation::try_from(r).unwrap_err().code(),
        "INVALID_ARGUMENT"
    );
    let mut r = raw("get");
    r.module = Some(String::new());
    assert_eq!(
        Operation::try_from(r).unwrap_err().code(),
        "INVALID_ARGUMENT"
    );
    // The JSON shape JavaScript sends deserializes straight into the checked form.
    let op: Operation =
        serde_json::from_str(r#"{"kind":"insert","module":"Leads","recordCount":42}"#).unwrap();
    assert_eq!(op.record_count, Some(42));
    assert!(serde_json::from_str::<Operation>(r#"{"kind":"nope"}"#).is_err());
}

#[test]
fn every_kind_round_trips_its_name() {
    for kind in OperationKind::ALL {
        assert_eq!(OperationKind::parse(kind.name()).unwrap(), kind);
        let json = serde_json::to_string(&kind).unwrap();
        assert_eq!(json, format!("\"{}\"", kind.name()));
    }
}

proptest! {
    #[test]
    fn write_cost_covers_every_ten_records(n in 0u32..100_000) {
        let c = credit_cost(&Operation::new(OperationKind::Insert).with_records(n), &CostOverrides::default());
        prop_assert!(c.credits >= 1);
        prop_assert!(u64::from(c.credits) * 10 >= u64::from(n));
    }
}
