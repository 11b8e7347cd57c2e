//! Native cost of the Guard's decisions (no wasm boundary): admit + settle pairs.
#![allow(clippy::unwrap_used, clippy::panic)]

use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::classify::Verdict;
use zcrm_guard::guard::{Admission, Guard, RawGuardConfig};

fn pairs(c: &mut Criterion) {
    let raw: RawGuardConfig =
        serde_json::from_value(json!({"edition": "ultimate", "licenses": 1000, "logCapacity": 0}))
            .unwrap();
    let mut g = Guard::from_raw(raw).unwrap();
    let op = Operation::new(OperationKind::Insert)
        .with_module("Leads")
        .with_records(1);
    let ok = Verdict::success(200);
    let mut now = 0.0;
    c.bench_function("guard admit+settle pair", |b| {
        b.iter(|| {
            now += 1_000.0;
            let Admission::Admitted(a) = g.admit(&op, now, None).unwrap() else {
                panic!("refused")
            };
            g.settle_verdict(a.ticket, &ok, now).unwrap()
        })
    });
}

criterion_group!(benches, pairs);
criterion_main!(benches);
