//! zcrm-guard: the decisions an integration with the Zoho CRM API has to get right
//! (limits, batching, validation, classification of responses, retries), as a pure
//! core with no I/O, no clock and no randomness of its own.
//!
//! The core is this crate's root; the JavaScript bindings live in `src/wasm/` and
//! are compiled only for `wasm32`.

pub mod batch;
pub mod catalog;
pub mod classify;
pub mod error;
pub mod graphql;
pub mod guard;
pub mod validate;

pub use error::{Error, Result};

#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod wasm;
