//! Merge shapes: batches of record indices, their replies, and what a merge must return.

use std::ops::RangeInclusive;

use arbitrary::{Result, Unstructured};
use zcrm_guard::batch::{merge_results, MergeOptions, Reply, NO_REPLY};
use zcrm_guard::classify::{Category, RecordResult, RetryHint};

/// One record's result: a success with id `id<index>`, or an `INVALID_DATA` rejection.
pub fn record(index: usize, ok: bool) -> RecordResult {
    if ok {
        RecordResult {
            id: Some(format!("id{index}")),
            ..RecordResult::success(index)
        }
    } else {
        RecordResult::rejected(
            index,
            "INVALID_DATA",
            "",
            Category::Validation,
            RetryHint::None,
        )
    }
}

/// The reply to a batch of `len` records: the positions in `fail` rejected, the others done.
pub fn reply(len: usize, fail: &[usize]) -> Reply {
    Reply {
        records: (0..len).map(|j| record(j, !fail.contains(&j))).collect(),
        error: None,
    }
}

/// A later retry of half of an earlier batch.
#[derive(Debug, Clone)]
pub struct Retry {
    /// Which batch (modulo the number of batches).
    pub pick: u32,
    /// The first half, else the second.
    pub first_half: bool,
}

/// A well-formed merge: a permutation of `0..n` cut into batches, split halves of some
/// batches retried later, some replies missing, some records failing.
#[derive(Debug, Clone)]
pub struct MergeShape {
    /// Records in the job.
    pub n: usize,
    /// Batch sizes, cycled until every record is in a batch.
    pub sizes: Vec<usize>,
    /// Swaps that shuffle the records before they are cut into batches.
    pub shuffle: Vec<u32>,
    /// Retried halves, appended after the first batches.
    pub retries: Vec<Retry>,
    /// Whether the reply of batch `k` is missing (absent: replied).
    pub missing: Vec<bool>,
    /// Whether record `i` fails in every reply that holds it (absent: succeeds).
    pub fails: Vec<bool>,
}

impl MergeShape {
    /// A shape decoded from fuzz input, within the property test's ranges.
    pub fn decode(u: &mut Unstructured) -> Result<Self> {
        Ok(MergeShape {
            n: u.int_in_range(0..=299)?,
            sizes: list(u, 1..=19, |u| u.int_in_range(1..=100))?,
            shuffle: list(u, 0..=299, Unstructured::arbitrary)?,
            retries: list(u, 0..=5, |u| {
                Ok(Retry {
                    pick: u.arbitrary()?,
                    first_half: u.arbitrary()?,
                })
            })?,
            missing: list(u, 0..=39, Unstructured::arbitrary)?,
            fails: list(u, 0..=299, Unstructured::arbitrary)?,
        })
    }

    /// The batches: the shuffled records cut by `sizes`, then the retried halves.
    pub fn batches(&self) -> Vec<Vec<usize>> {
        let n = self.n;
        let mut order: Vec<usize> = (0..n).collect();
        for (i, s) in self.shuffle.iter().enumerate().take(n) {
            let j = (*s as usize) % n.max(1);
            order.swap(i, j);
        }
        let mut batches: Vec<Vec<usize>> = Vec::new();
        let mut at = 0;
        for s in self.sizes.iter().cycle() {
            if at >= n {
                break;
            }
            let end = (at + s).min(n);
            batches.push(order[at..end].to_vec());
            at = end;
        }
        for r in &self.retries {
            if batches.is_empty() {
                break;
            }
            let b = batches[r.pick as usize % batches.len()].clone();
            let mid = b.len().div_ceil(2);
            batches.push(if r.first_half {
                b[..mid].to_vec()
            } else {
                b[mid..].to_vec()
            });
        }
        batches
    }

    fn fails(&self, i: usize) -> bool {
        self.fails.get(i).copied().unwrap_or(false)
    }

    /// One reply per batch, `None` where it is missing.
    pub fn replies(&self, batches: &[Vec<usize>]) -> Vec<Option<Reply>> {
        batches
            .iter()
            .enumerate()
            .map(|(k, b)| {
                if self.missing.get(k).copied().unwrap_or(false) {
                    return None;
                }
                let fail: Vec<usize> = (0..b.len()).filter(|j| self.fails(b[*j])).collect();
                Some(reply(b.len(), &fail))
            })
            .collect()
    }

    /// Any batching, any retries, any missing replies: the merge returns exactly one
    /// result per index, every index accounted for; a replied record's result is the
    /// replies' verdict on it, an unreplied one is `NO_REPLY`.
    pub fn check(&self) {
        let batches = self.batches();
        let replies = self.replies(&batches);
        let options = MergeOptions {
            count: Some(self.n),
            prior: vec![],
        };
        let merged = merge_results(&batches, &replies, &options).expect("a well-formed merge");
        assert_eq!(merged.len(), self.n);
        for (i, r) in merged.iter().enumerate() {
            assert_eq!(r.index, i);
            let replied = batches
                .iter()
                .zip(&replies)
                .any(|(b, r)| r.is_some() && b.contains(&i));
            if replied {
                assert_eq!(r.ok, !self.fails(i), "record {i}");
            } else {
                assert_eq!(r.code.as_str(), NO_REPLY, "record {i}");
            }
        }
    }
}

/// A list of `lens` items (as many as the bytes decide), each decoded by `item`.
fn list<'a, T>(
    u: &mut Unstructured<'a>,
    lens: RangeInclusive<usize>,
    mut item: impl FnMut(&mut Unstructured<'a>) -> Result<T>,
) -> Result<Vec<T>> {
    let len = u.int_in_range(lens)?;
    (0..len).map(|_| item(u)).collect()
}
