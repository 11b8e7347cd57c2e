//! Batch splitting: halves until the record that fails the batch is isolated.

mod support;

use serde_json::json;
use support::batch::*;
use zcrm_guard::batch::*;
use zcrm_guard::catalog::OperationKind;

#[test]
fn split_halves_until_one_record_is_isolated() {
    let batches = plan(
        OperationKind::Upsert,
        &records_text(100),
        &BatchOptions {
            trigger: Some(vec![]),
            duplicate_check_fields: Some(vec!["Email".into()]),
            ..Default::default()
        },
    );
    let mut current = batches[0].clone();
    let mut steps = 0;
    while current.indices.len() > 1 {
        let halves = split_batch(&current, &Default::default()).expect("split");
        assert_eq!(halves.len(), 2);
        let joined: Vec<usize> = halves.iter().flat_map(|h| h.indices.clone()).collect();
        assert_eq!(joined, current.indices);
        for h in &halves {
            let b = body(h);
            assert_eq!(b["data"].as_array().expect("data").len(), h.indices.len());
            assert_eq!(b["trigger"], json!([]));
            assert_eq!(b["duplicate_check_fields"], json!(["Email"]));
            assert_eq!(b["data"][0]["Last_Name"], format!("L{}", h.indices[0]));
        }
        // Follow the half holding record 37, as if it poisoned the batch.
        current = halves
            .into_iter()
            .find(|h| h.indices.contains(&37))
            .expect("half");
        steps += 1;
    }
    assert_eq!(current.indices, vec![37]);
    assert!(steps <= 7, "log2(100) rounded up");
    assert_eq!(
        split_batch(&current, &Default::default())
            .expect("one")
            .len(),
        1
    );
    // Delete batches split their ids.
    let del = Batch {
        kind: OperationKind::Delete,
        indices: vec![0, 1, 2],
        body: None,
        ids: Some(vec!["a".into(), "b".into(), "c".into()]),
        credits: 1,
        complex: false,
    };
    let halves = split_batch(&del, &Default::default()).expect("split");
    assert_eq!(halves[0].ids, Some(vec!["a".into(), "b".into()]));
    // A body that does not match its indices is refused.
    let bad = Batch {
        body: Some(r#"{"data":[{}]}"#.into()),
        ids: None,
        kind: OperationKind::Insert,
        ..del
    };
    assert_eq!(
        split_batch(&bad, &Default::default())
            .expect_err("mismatch")
            .code(),
        "INVALID_ARGUMENT"
    );
}
