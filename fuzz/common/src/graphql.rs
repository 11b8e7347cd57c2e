//! Invariants of a GraphQL analysis.

use zcrm_guard::graphql::Analysis;

/// `ok` iff there is no violation; the credits are the exact credits rounded up; the
/// complexity is the sum of the resources' complexities.
pub fn check_analysis(a: &Analysis) {
    assert_eq!(a.ok, a.violations.is_empty());
    assert_eq!(f64::from(a.credits), a.credits_exact.ceil());
    let sum: u32 = a.resources.iter().map(|r| r.complexity).sum();
    assert_eq!(sum, a.complexity);
}
