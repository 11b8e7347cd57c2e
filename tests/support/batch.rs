//! Record operations, record lists and planned batches of the batch tests.

use serde_json::{json, Value};
use zcrm_guard::batch::{plan_batches, Batch, BatchOptions};
use zcrm_guard::catalog::{Operation, OperationKind};
use zcrm_guard::validate::parse_records;

/// A record operation on Leads.
pub fn op(kind: OperationKind) -> Operation {
    Operation::new(kind).with_module("Leads")
}

/// `n` Leads records as JSON text, `Last_Name` "L0", "L1", …
pub fn records_text(n: usize) -> String {
    let recs: Vec<Value> = (0..n)
        .map(|i| json!({ "Last_Name": format!("L{i}") }))
        .collect();
    serde_json::to_string(&recs).expect("json")
}

/// The batches of a record list that must plan.
pub fn plan(kind: OperationKind, text: &str, options: &BatchOptions) -> Vec<Batch> {
    let raw = parse_records(text).expect("records");
    plan_batches(&op(kind), &raw, options).expect("plan")
}

/// A batch's body as JSON.
pub fn body(b: &Batch) -> Value {
    serde_json::from_str(b.body.as_deref().expect("body")).expect("body is JSON")
}
