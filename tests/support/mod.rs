//! Builders and fixtures shared by the native test files: each one declares `mod support;`
//! and imports the part it needs (`use support::guard::*;`).

// A test binary uses only part of these helpers; helpers outside `#[test]` functions
// may fail loudly, as the tests themselves do.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod batch;
pub mod classify;
pub mod graphql;
pub mod guard;
pub mod validate;

use std::path::Path;

/// `tests/fixtures`: Zoho's documented samples and code lists.
pub fn fixture_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
}
