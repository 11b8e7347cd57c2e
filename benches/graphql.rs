//! Native speed of the GraphQL pre-flight on the 150-line query of bench/fixtures.
//! Run with `make bench` (short runs) or `cargo bench --bench graphql`.
#![allow(clippy::unwrap_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use zcrm_guard::graphql::{analyze_graphql, variables_from_json, GraphqlOptions};

const QUERY: &str = include_str!("../bench/fixtures/sales-dashboard.graphql");

fn bench(c: &mut Criterion) {
    let options = GraphqlOptions::default();
    let vars = variables_from_json(serde_json::json!({
        "dealLimit": 50, "leadLimit": 25, "stage": "Negotiation", "minAmount": 1000
    }))
    .unwrap();
    let analysis = analyze_graphql(QUERY, vars.as_ref(), &options).unwrap();
    assert!(analysis.ok, "{:?}", analysis.violations);
    c.bench_function("graphql/analyze 150-line query", |b| {
        b.iter(|| analyze_graphql(black_box(QUERY), vars.as_ref(), &options).unwrap())
    });
    let deep = format!("{}{}", "{ a ".repeat(10_000), "}".repeat(10_000));
    c.bench_function("graphql/10,000 nested selections (refused)", |b| {
        b.iter(|| analyze_graphql(black_box(&deep), None, &options).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
