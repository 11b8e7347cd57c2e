//! Classification of every Zoho CRM response into one typed [`Verdict`].
//!
//! (Issue 3.) The public result types live in [`verdict`] and are shared with
//! validation (its errors are [`RecordResult`]s) and the Guard.

pub mod verdict;

pub use verdict::*;
