//! Native figures of the validation and batching path (`make bench` runs it briefly):
//! 10,000 Leads records as JSON text -> validated, ready-to-send bodies.
#![allow(clippy::expect_used, clippy::indexing_slicing)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::json;
use std::hint::black_box;
use zcrm_guard::batch::{plan_json, validate_and_plan_text, BatchOptions};
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::validate::{FieldsMetadata, ValidateOptions};

const N: usize = 10_000;

fn records() -> String {
    let sources = ["Web", "Advertisement", "Cold Call", "Partner", "Trade Show"];
    let recs: Vec<_> = (0..N)
        .map(|i| {
            json!({
                "Last_Name": format!("Lovelace-{i}"), "First_Name": "Ada",
                "Email": format!("ada.{i}@example.com"), "Company": format!("Engines {}", i % 997),
                "Phone": "+44 20 7946 0000", "Website": "https://engines.example.org",
                "Annual_Revenue": (i as f64) + 0.25, "No_of_Employees": i % 5000,
                "Lead_Source": sources[i % 5], "Rating": if i % 50 == 7 { "Lukewarm" } else { "Hot" }
            })
        })
        .collect();
    serde_json::to_string(&recs).expect("json")
}

fn meta() -> FieldsMetadata {
    FieldsMetadata::from_json(
        &json!({ "fields": [
            { "api_name": "Last_Name", "data_type": "text", "length": 80, "system_mandatory": true },
            { "api_name": "First_Name", "data_type": "text", "length": 40 },
            { "api_name": "Email", "data_type": "email", "length": 100, "unique": { "case_sensitive": false } },
            { "api_name": "Company", "data_type": "text", "length": 200 },
            { "api_name": "Phone", "data_type": "phone" },
            { "api_name": "Website", "data_type": "website" },
            { "api_name": "Annual_Revenue", "data_type": "currency", "decimal_place": 2 },
            { "api_name": "No_of_Employees", "data_type": "integer" },
            { "api_name": "Lead_Source", "data_type": "picklist", "pick_list_values": [
                { "actual_value": "Web" }, { "actual_value": "Advertisement" }, { "actual_value": "Cold Call" },
                { "actual_value": "Partner" }, { "actual_value": "Trade Show" } ] },
            { "api_name": "Rating", "data_type": "picklist", "pick_list_values": [{ "actual_value": "Hot" }] }
        ] })
        .to_string(),
    )
    .expect("meta")
}

fn bench(c: &mut Criterion) {
    let text = records();
    let meta = meta();
    let op = Operation::new(OperationKind::Insert).with_module("Leads");
    let mut g = c.benchmark_group("validate");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("validate_and_plan_text 10k Leads", |b| {
        b.iter(|| {
            validate_and_plan_text(
                &op,
                black_box(&text),
                &meta,
                &ValidateOptions::default(),
                &BatchOptions::default(),
            )
            .expect("plan")
        })
    });
    g.bench_function("plan_json 10k Leads (no validation)", |b| {
        b.iter(|| plan_json(&op, black_box(&text), &BatchOptions::default()).expect("plan"))
    });
    g.bench_function("serde_json::Value parse (reference)", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&text)).expect("parse"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
