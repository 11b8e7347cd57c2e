//! wasm-bindgen-test suite, run in Node:
//! `cargo test --target wasm32-unknown-unknown --test wasm_node` (runner: wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

#[path = "wasm/suite.rs"]
mod suite;
