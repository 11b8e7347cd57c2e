//! The limits catalog's editions: credits by the LIM v4 formula, caps, add-ons, aliases, concurrency.

use proptest::prelude::*;
use zcrm_guard::catalog::*;
use zcrm_guard_fuzz_common::catalog::check_edition_limits;

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

// The limits' invariants are zcrm-guard-fuzz-common's, shared with the `catalog` fuzz target.
proptest! {
    #[test]
    fn edition_limits_never_panic(name in ".{0,40}", lic in proptest::num::f64::ANY, add in proptest::num::f64::ANY) {
        let o = EditionOptions { licenses: Some(lic), add_on_credits: Some(add), ..EditionOptions::default() };
        if let Ok(l) = edition_limits(&name, &o) {
            check_edition_limits(&l, &o);
        }
    }
}
