//! Native cost of classifying a 100-record 207 body (half successes, half
//! INVALID_DATA), next to parsing the same text into a `serde_json::Value`.
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use zcrm_guard::classify::{classify, classify_lean, ClassifyOptions, Response};

fn body_207(n: usize) -> String {
    let records: Vec<String> = (0..n)
        .map(|i| {
            if i % 2 == 0 {
                format!(
                    r#"{{"code":"SUCCESS","details":{{"Modified_Time":"2023-05-10T01:10:47-07:00","Modified_By":{{"name":"Patricia Boyle","id":"5725767000000411001"}},"Created_Time":"2023-05-10T01:10:47-07:00","id":"57257670000005{i:05}","Created_By":{{"name":"Patricia Boyle","id":"5725767000000411001"}},"$approval_state":"approved"}},"message":"record added","status":"success"}}"#
                )
            } else {
                format!(
                    r#"{{"code":"INVALID_DATA","details":{{"expected_data_type":"double","api_name":"Annual_Revenue","json_path":"$.data[{i}].Annual_Revenue"}},"message":"invalid data","status":"error"}}"#
                )
            }
        })
        .collect();
    format!(r#"{{"data":[{}]}}"#, records.join(","))
}

fn bench(c: &mut Criterion) {
    let text = body_207(100);
    let options = ClassifyOptions::default();
    let response = Response::from_text(207, &[("content-type", "application/json")], &text);
    c.bench_function("serde_json::Value parse (100-record 207)", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&text)))
    });
    c.bench_function("classify_lean (100-record 207)", |b| {
        b.iter(|| classify_lean(black_box(&response), None, &options))
    });
    c.bench_function("classify (100-record 207, owned verdict)", |b| {
        b.iter(|| classify(black_box(&response), None, &options))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
