//! The limits catalog's data centres: every Zoho domain maps back to its data centre, and only those.

use proptest::prelude::*;
use zcrm_guard::catalog::*;

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
    fn data_center_lookup_never_panics(url in ".{0,200}") {
        let _ = data_center_for(&url);
    }
}
