//! Fuzz target: a sequence of Guard events decoded from the bytes (admit, settle,
//! settle without response, token refreshed, snapshot, toJSON + fromJSON), with times
//! that may go backwards. Invariants after every step: in flight never above the
//! limits, each ticket settles once, attempts per request within the configuration's,
//! the state round-trips, the credits of any 24 h window never above the allowance,
//! the access token never stored; at the end the decision log replays. The events and
//! the checks are zcrm-guard-fuzz-common's, shared with tests/guard_props.rs.
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use zcrm_guard_fuzz_common::guard;

fuzz_target!(|data: &[u8]| {
    let _ = guard::fuzz(&mut Unstructured::new(data));
});
