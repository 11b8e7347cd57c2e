//! Invariants of an edition's limits.

use zcrm_guard::catalog::{EditionLimits, EditionOptions};

/// The credits available never exceed the computed figure nor the cap (add-ons may go
/// above the cap only when `addOnsAboveCap` asks for it); concurrency is at least 1.
pub fn check_edition_limits(limits: &EditionLimits, options: &EditionOptions) {
    let c = &limits.credits;
    assert!(
        c.available <= c.computed,
        "available {} > computed {}",
        c.available,
        c.computed
    );
    if let Some(cap) = c.cap {
        let ceiling = if options.add_ons_above_cap.unwrap_or(false) {
            cap.saturating_add(c.add_on_credits)
        } else {
            cap
        };
        assert!(
            c.available <= ceiling,
            "available {} > cap {ceiling}",
            c.available
        );
    }
    assert!(limits.concurrency >= 1);
}
