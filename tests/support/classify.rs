//! Classification of a bare status and body.

use zcrm_guard::classify::{classify, ClassifyOptions, Response, Verdict};

pub fn classify_text(status: u16, body: &str) -> Verdict {
    classify(
        &Response::from_text(status, &[], body),
        None,
        &ClassifyOptions::default(),
    )
    .unwrap()
}
