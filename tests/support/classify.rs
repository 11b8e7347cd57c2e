//! Classification of a bare status and body.

use zcrm_guard::classify::{classify, ClassifyOptions, Response, Verdict};

/// The verdict of a status and body text, without headers or operation.
pub fn classify_text(status: u16, body: &str) -> Verdict {
    classify(
        &Response::from_text(status, &[], body),
        None,
        &ClassifyOptions::default(),
    )
    .unwrap()
}
