//! What zcrm-guard's fuzz targets (`fuzz/fuzz_targets/`) and its property tests
//! (`tests/*.rs`, proptest) share: the inputs they build and the invariants they check.
//!
//! Both sides build Guard event sequences, verdicts and merge shapes from the same seeds:
//! a fuzz target decodes the seeds from its bytes ([`arbitrary::Unstructured`]), a property
//! test draws them with proptest strategies. The checks panic on a broken invariant, which
//! libFuzzer reports as a crash and proptest as a failing case (then shrinks).

pub mod catalog;
pub mod classify;
pub mod graphql;
pub mod guard;
pub mod merge;
pub mod plan;

pub use arbitrary;
