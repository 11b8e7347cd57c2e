//! zcrm-guard: the decisions an integration with the Zoho CRM API has to get right
//! (limits, batching, validation, classification of responses, retries), as a pure
//! core with no I/O, no clock and no randomness of its own.
//!
//! This crate is the core: it knows no JavaScript. The bindings (`js-api/`, the
//! crate `zcrm-guard-js`) read JS arguments, call one function here and write its
//! result; every JS wire shape lives there.

pub mod batch;
pub mod catalog;
pub mod classify;
pub mod datetime;
pub mod error;
pub mod graphql;
pub mod guard;
pub mod validate;

pub use error::{Error, Result};

/// Longest wait the package ever asks for, in ms: 2^31 - 1, the most a JavaScript
/// `setTimeout` holds (a longer delay overflows and fires at once). Every `delayMs` and
/// `waitMs` of the Guard is at most this, and `classify` clamps `retryAfterMs` to it.
pub const MAX_WAIT_MS: u64 = 2_147_483_647;
