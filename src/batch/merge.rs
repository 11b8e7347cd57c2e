//! One result per caller index, whatever the batching, the retries and the order in
//! which the calls returned.
//!
//! Rules: the n-th entry of a reply's `data[]` is the n-th index of its batch (Zoho
//! answers in input order, sources §4.1); a success is final (a retry that then says
//! DUPLICATE_DATA does not undo it); otherwise the reply of the later batch in the
//! list wins (retries and splits are appended after the batch they replace); a
//! whole-request error applies to every index of its batch; prior results (validation
//! errors) stand unless a reply covers the index.

use crate::classify::{Category, RecordResult, RetryHint, TopError, Verdict};
use crate::error::{Error, Result};

/// Code of an index whose batch has no reply: maybe sent, maybe not.
pub const NO_REPLY: &str = "NO_REPLY";
/// Code of an index that is in no batch and has no prior result.
pub const NOT_PLANNED: &str = "NOT_PLANNED";
/// Code of an index whose batch got a reply with no entry for it.
pub const NO_RESULT: &str = "NO_RESULT";

/// Most indices merged at once: a larger `count` (or index) is refused with
/// `INVALID_ARGUMENT` before anything is allocated. One million results are about
/// 200 MB of JSON: beyond that the reply itself would not fit in a JavaScript string.
pub const MAX_MERGE_COUNT: usize = 1_000_000;

/// Refuses a `count` above [`MAX_MERGE_COUNT`] (the bindings check it before reading
/// the batches).
pub fn check_merge_count(count: usize) -> Result<()> {
    if count > MAX_MERGE_COUNT {
        return Err(Error::invalid(
            "options.count",
            format!("{count} exceeds {MAX_MERGE_COUNT}"),
        ));
    }
    Ok(())
}

/// What merging needs from a verdict.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reply {
    /// The per-record results, in the order of the batch's records.
    pub records: Vec<RecordResult>,
    /// The whole-request error, if any.
    pub error: Option<TopError>,
}

impl From<&Verdict> for Reply {
    fn from(v: &Verdict) -> Self {
        Reply {
            records: v.records.clone(),
            error: v.error.clone(),
        }
    }
}

/// Options of [`merge_results`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergeOptions {
    /// How many records the caller had; indices in no batch get [`NOT_PLANNED`].
    /// Default: one more than the highest index seen.
    pub count: Option<usize>,
    /// Results known before sending (validation errors).
    pub prior: Vec<RecordResult>,
}

fn synthetic(index: usize, code: &str, message: &str, retry: RetryHint) -> RecordResult {
    RecordResult::rejected(index, code, message, Category::Unknown, retry)
}

fn from_top(index: usize, e: &TopError) -> RecordResult {
    RecordResult {
        details: e.details.clone(),
        ..RecordResult::rejected(index, &e.code, &e.message, e.category, e.retry)
    }
}

/// Merges the replies of `batches` (the caller indices of each batch, in the order the
/// batches were planned, retries and splits appended) into exactly one result per
/// index, ascending. `replies[i]` is the reply to `batches[i]`, `None` when none came.
/// At most [`MAX_MERGE_COUNT`] indices, checked before any allocation.
pub fn merge_results(
    batches: &[Vec<usize>],
    replies: &[Option<Reply>],
    options: &MergeOptions,
) -> Result<Vec<RecordResult>> {
    if replies.len() > batches.len() {
        return Err(Error::invalid(
            "verdicts",
            format!("{} verdicts for {} batches", replies.len(), batches.len()),
        ));
    }
    let highest = batches
        .iter()
        .flatten()
        .chain(options.prior.iter().map(|r| &r.index))
        .max()
        .map_or(0, |m| m.saturating_add(1));
    let count = options.count.unwrap_or(highest);
    check_merge_count(count)?;
    if highest > count {
        return Err(Error::invalid(
            "batches",
            format!("index {} is outside 0..{count}", highest.saturating_sub(1)),
        ));
    }
    // (result, from a reply) per index.
    let mut slots: Vec<Option<(RecordResult, bool)>> = vec![None; count];
    let mut planned = vec![false; count];
    for p in &options.prior {
        if let Some(slot) = slots.get_mut(p.index) {
            *slot = Some((p.clone(), false));
        }
    }
    for (b, indices) in batches.iter().enumerate() {
        let reply = replies.get(b).and_then(Option::as_ref);
        for (pos, &index) in indices.iter().enumerate() {
            if let Some(flag) = planned.get_mut(index) {
                *flag = true;
            }
            let Some(reply) = reply else { continue };
            let mut r = match (reply.records.get(pos), &reply.error) {
                (Some(r), _) => r.clone(),
                (None, Some(e)) => from_top(index, e),
                (None, None) => synthetic(
                    index,
                    NO_RESULT,
                    "the reply to this record's batch has no entry for it",
                    RetryHint::Conditional,
                ),
            };
            r.index = index;
            let Some(slot) = slots.get_mut(index) else {
                continue;
            };
            let keep_old = matches!(slot, Some((old, true)) if old.ok);
            if !keep_old {
                *slot = Some((r, true));
            }
        }
    }
    Ok(slots
        .into_iter()
        .enumerate()
        .map(|(index, slot)| match slot {
            Some((r, _)) => r,
            None if planned.get(index).copied().unwrap_or(false) => synthetic(
                index,
                NO_REPLY,
                "no reply for this record's batch: not sent, or sent without an answer",
                RetryHint::Conditional,
            ),
            None => synthetic(
                index,
                NOT_PLANNED,
                "this record is in no batch and was not sent",
                RetryHint::Backoff,
            ),
        })
        .collect())
}
