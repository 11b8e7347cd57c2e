//! Validation robustness: bad inputs are typed errors, deep and wide records and a million records
//! are handled, and the one-pass text path matches the raw-value path.

mod support;

use serde_json::{json, Value};
use support::validate::*;
use zcrm_guard::validate::{validate_json, validate_values, FieldsMetadata, ValidateOptions};

#[test]
fn robustness_bad_inputs_are_typed_errors() {
    let meta = leads_meta();
    let o = ValidateOptions::default();
    for bad in ["{}", "nope", "[1,", "", "\"x\""] {
        let err = validate_json("Leads", bad, &meta, &o).expect_err(bad);
        assert_eq!(err.code(), "INVALID_ARGUMENT", "{bad}");
    }
    for bad in [
        r#"{"field":[]}"#,
        r#"[]"#,
        r#"{"fields":{}}"#,
        r#"{"fields":[{"data_type":"text"}]}"#,
    ] {
        let err = FieldsMetadata::from_json(bad).expect_err(bad);
        assert_eq!(err.code(), "INVALID_ARGUMENT", "{bad}");
    }
    let err = validate_json(
        "Leads",
        "[]",
        &meta,
        &ValidateOptions {
            operation: Some("get".into()),
            ..Default::default()
        },
    )
    .expect_err("get");
    assert_eq!(err.code(), "INVALID_ARGUMENT");
}

#[test]
fn robustness_deep_nesting_and_wide_records() {
    let meta = leads_meta();
    let o = ValidateOptions::default();
    // Deep nesting inside a field value: captured as raw text without recursion.
    let deep = format!(
        "[{{\"Last_Name\":\"L\",\"X\":{}1{}}}]",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let v = validate_json("Leads", &deep, &meta, &o).expect("deep value is fine");
    assert_eq!(v.valid, vec![0]);
    // Deep nesting of the array itself: a typed error, never a stack overflow.
    let deeper = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(
        validate_json("Leads", &deeper, &meta, &o)
            .is_ok_and(|v| v.valid.len() + v.errors.len() == 1)
            || validate_json("Leads", &deeper, &meta, &o).is_err()
    );
    // 10,000 fields on one record.
    let mut rec = serde_json::Map::new();
    rec.insert("Last_Name".into(), json!("L"));
    for i in 0..10_000 {
        rec.insert(format!("F{i}"), json!(i));
    }
    let v = validate_values("Leads", &[Value::Object(rec)], &meta, &o).expect("wide");
    assert_eq!(v.valid, vec![0]);
    assert_eq!(v.warnings.len(), 10_000);
    // Warnings are bounded.
    let v = validate_json(
        "Leads",
        &format!("[{}]", ["{\"Last_Name\":\"L\",\"Zz\":1}"; 20].join(",")),
        &meta,
        &ValidateOptions {
            max_warnings: Some(5),
            ..Default::default()
        },
    )
    .expect("runs");
    assert_eq!(v.warnings.len(), 5);
    assert_eq!(v.warnings_dropped, 15);
}

#[test]
fn robustness_a_million_records_every_index_accounted_for() {
    let meta = leads_meta();
    let mut text = String::from("[");
    for i in 0..1_000_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(if i % 10 == 0 {
            "{}"
        } else {
            "{\"Last_Name\":\"x\"}"
        });
    }
    text.push(']');
    let v = validate_json("Leads", &text, &meta, &ValidateOptions::default()).expect("runs");
    assert_eq!(v.valid.len(), 900_000);
    assert_eq!(v.errors.len(), 100_000);
    let mut all: Vec<usize> = v
        .valid
        .iter()
        .copied()
        .chain(v.errors.iter().map(|e| e.index))
        .collect();
    all.sort_unstable();
    assert!(all.iter().enumerate().all(|(i, &x)| i == x));
}

#[test]
fn one_pass_text_validation_matches_the_raw_value_path() {
    use zcrm_guard::validate::{parse_records, validate_records, validate_text};
    let meta = leads_meta();
    let o = ValidateOptions::default();
    let text = r#" [ {"Last_Name":"a","Email":"x@example.com"} , 1, "s", null, true, [1,[2]], {} ,
        {"Last_Name":"b\u00e9","Email":"X@example.com"}, {"Last_Name" : "c", "Rating":"Hot"} ] "#;
    let (one_pass, texts) = validate_text("Leads", text, &meta, &o).expect("one pass");
    let raw = parse_records(text).expect("raw");
    let two_pass = validate_records("Leads", &raw, &meta, &o).expect("two pass");
    assert_eq!(one_pass, two_pass);
    assert_eq!(texts.len(), raw.len());
    for (t, r) in texts.iter().zip(&raw) {
        assert_eq!(*t, r.get());
    }
    for bad in ["[1 2]", "[1,]", "[", "[1]x", "[{]", "[] []"] {
        assert_eq!(
            validate_text("Leads", bad, &meta, &o)
                .expect_err(bad)
                .code(),
            "INVALID_ARGUMENT",
            "{bad}"
        );
    }
    assert!(validate_text("Leads", " [ ] ", &meta, &o)
        .expect("empty")
        .0
        .valid
        .is_empty());
}
