//! The JavaScript bindings of zcrm-guard: conversion and error mapping only, no logic.
//!
//! One file per exposed area (`guard`: the `Guard` class; `classify`, `validate`,
//! `batch`, `catalog`, `graphql`: their functions; `errors`: the code list), each
//! export the same three steps: read its arguments through [`interop`], call one
//! function of the core crate `zcrm_guard`, write the result through [`interop`]. A
//! wrong type from JavaScript becomes a `ZcrmGuardError` with code `INVALID_ARGUMENT`,
//! never a glue-code exception.

pub mod batch;
pub mod catalog;
pub mod classify;
pub mod errors;
pub mod graphql;
pub mod guard;
pub mod interop;
pub mod validate;
