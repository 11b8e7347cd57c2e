//! The limits catalog: editions, operations, data centres.

use proptest::prelude::*;
use zcrm_guard::catalog::*;
use zcrm_guard::Error;

fn opts(licenses: f64) -> EditionOptions {
    EditionOptions {
        licenses: Some(licenses),
        ..EditionOptions::default()
    }
}

#[test]
fn paid_editions_follow_lim_formula() {
    // LIM v4: 50,000 + licences × {250, 500, 1,000, 2,000}.
    for (name, per, conc) in [
        ("standard", 250, 10),
        ("professional", 500, 15),
        ("enterprise", 1_000, 20),
        ("ultimate", 2_000, 25),
    ] {
        let l = edition_limits(name, &opts(10.0)).unwrap();
        assert_eq!(l.credits.computed, 50_000 + 10 * per, "{name}");
        assert_eq!(l.credits.available, 50_000 + 10 * per, "{name}");
        assert_eq!(l.concurrency, conc, "{name}");
        assert_eq!(l.sub_concurrency, 10);
        assert_eq!(l.graphql_concurrency, 5);
        assert_eq!(l.credits.window_ms, 86_400_000);
    }
}

#[test]
fn lim_v4_worked_example_standard_ten_users() {
    // LIM v4: "10 users → 52,500".
    let l = edition_limits("standard", &opts(10.0)).unwrap();
    assert_eq!(l.credits.available, 52_500);
}

#[test]
fn caps_default_to_the_lower_figure_and_can_be_overridden() {
    let l = edition_limits("standard", &opts(1_000.0)).unwrap();
    assert_eq!(l.credits.computed, 300_000);
    assert_eq!(l.credits.available, 100_000);

    // K93's 1,000,000 is lower than LIM's 3,000,000: the default.
    let l = edition_limits("professional", &opts(5_000.0)).unwrap();
    assert_eq!(l.credits.cap, Some(1_000_000));
    assert_eq!(l.credits.available, 1_000_000);

    let o = EditionOptions {
        licenses: Some(5_000.0),
        credit_cap: Some(3_000_000.0),
        ..EditionOptions::default()
    };
    assert_eq!(
        edition_limits("professional", &o)
            .unwrap()
            .credits
            .available,
        2_550_000
    );
    assert_eq!(
        edition_limits("enterprise", &opts(0.0))
            .unwrap()
            .credits
            .cap,
        Some(2_000_000)
    );
    assert_eq!(
        edition_limits("ultimate", &opts(1e6)).unwrap().credits.cap,
        None
    );
}

#[test]
fn add_ons_stay_inside_the_cap_unless_asked() {
    let mut o = EditionOptions {
        licenses: Some(200.0),
        add_on_credits: Some(10_000.0),
        ..EditionOptions::default()
    };
    // 50,000 + 200×250 = 100,000, at the Standard cap already.
    let l = edition_limits("standard", &o).unwrap();
    assert_eq!(l.credits.computed, 110_000);
    assert_eq!(l.credits.available, 100_000);
    assert_eq!(l.credits.header_threshold, 50_000);
    o.add_ons_above_cap = Some(true);
    assert_eq!(
        edition_limits("standard", &o).unwrap().credits.available,
        110_000
    );
}

#[test]
fn free_edition_is_flat() {
    let l = edition_limits("free", &opts(50.0)).unwrap();
    assert_eq!(l.credits.available, 5_000);
    assert_eq!(l.concurrency, 5);
}

#[test]
fn aliases() {
    let cases = [
        ("Starter", Edition::Standard, Some("starter"), 10),
        ("zoho_one", Edition::Enterprise, Some("zoho_one"), 20),
        ("Zoho One", Edition::Enterprise, Some("zoho_one"), 20),
        ("CRM-Plus", Edition::Ultimate, Some("crm_plus"), 20),
        ("ULTIMATE", Edition::Ultimate, None, 25),
    ];
    for (name, edition, alias, conc) in cases {
        let l = edition_limits(name, &EditionOptions::default()).unwrap();
        assert_eq!(
            (l.edition, l.alias, l.concurrency),
            (edition, alias, conc),
            "{name}"
        );
    }
    let plus = edition_limits("crm_plus", &opts(10.0)).unwrap();
    assert_eq!(
        plus.credits.per_license, 2_000,
        "CRM Plus has Ultimate's credits"
    );
}

#[test]
fn bad_edition_inputs_are_typed_errors() {
    let e = edition_limits("gold", &EditionOptions::default()).unwrap_err();
    assert_eq!(e.code(), "UNKNOWN_EDITION");
    let huge = "x".repeat(1_000_000);
    let e = edition_limits(&huge, &EditionOptions::default()).unwrap_err();
    assert!(e.to_string().len() < 300, "echoed input is clipped");
    for bad in [-1.0, 1.5, f64::NAN, f64::INFINITY, 1e300] {
        let e = edition_limits("standard", &opts(bad)).unwrap_err();
        assert_eq!(e.code(), "INVALID_ARGUMENT", "{bad}");
    }
    let o = EditionOptions {
        concurrency: Some(0.0),
        ..EditionOptions::default()
    };
    assert_eq!(
        edition_limits("standard", &o).unwrap_err().code(),
        "INVALID_ARGUMENT"
    );
}

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
    assert_eq!(
        credit_cost(&op(OperationKind::Insert).with_records(100), &o).credits,
        1
    );
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

#[test]
fn data_centres_round_trip_from_every_domain() {
    assert_eq!(DATA_CENTERS.len(), 8);
    for dc in &DATA_CENTERS {
        for url in [
            dc.accounts_server,
            dc.api_domain,
            dc.sandbox_domain,
            dc.developer_domain,
            dc.file_domain,
        ] {
            assert_eq!(data_center_for(url).map(|d| d.id), Some(dc.id), "{url}");
        }
    }
    assert_eq!(
        data_center_for("https://www.zohoapis.com.au:443/crm/v8/Leads?x=1").map(|d| d.id),
        Some("au")
    );
    assert_eq!(data_center_for("WWW.ZOHOAPIS.EU").map(|d| d.id), Some("eu"));
    assert_eq!(
        data_center_for("https://www.zohoapis.com").map(|d| d.id),
        Some("us")
    );
    for other in [
        "",
        "https://evil-zohoapis.com",
        "https://zohoapis.com.evil.io",
        "::::",
    ] {
        assert_eq!(data_center_for(other).map(|d| d.id), None, "{other}");
    }
}

proptest! {
    #[test]
    fn edition_limits_never_panic(name in ".{0,40}", lic in proptest::num::f64::ANY, add in proptest::num::f64::ANY) {
        let o = EditionOptions { licenses: Some(lic), add_on_credits: Some(add), ..EditionOptions::default() };
        if let Ok(l) = edition_limits(&name, &o) {
            prop_assert!(l.credits.available <= l.credits.computed);
            if let Some(cap) = l.credits.cap { prop_assert!(l.credits.available <= cap); }
        }
    }

    #[test]
    fn data_center_lookup_never_panics(url in ".{0,200}") {
        let _ = data_center_for(&url);
    }

    #[test]
    fn write_cost_covers_every_ten_records(n in 0u32..100_000) {
        let c = credit_cost(&Operation::new(OperationKind::Insert).with_records(n), &CostOverrides::default());
        prop_assert!(c.credits >= 1);
        prop_assert!(u64::from(c.credits) * 10 >= u64::from(n));
    }
}
