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
pub mod error;
pub mod graphql;
pub mod guard;
pub mod validate;

pub use error::{Error, Result};
