//! The TypeScript view of a [`Decision`] (feature `ts` only): its fields, with
//! `action` and the records it concerns as a union discriminated by `action`.
//!
//! The Rust type keeps `action` and `indices` side by side (the rules, the bindings
//! and the tests read them as two fields, and the wire keeps `indices: null` where
//! there are none). What TypeScript callers need is the pairing: `retry_records`
//! always names its records, `give_up` of a partial names the failed ones, every
//! other action has `indices: null`. [`DecisionStep`] states that pairing as a type;
//! [`DecisionStep::of`] maps every [`Action`] onto it, so a new action does not
//! compile until it is placed here, and the drift test (tests/ts_types.rs) checks
//! that the step serializes exactly as the decision's own `action` and `indices`.

use serde::Serialize;

use super::{Action, Decision};

/// `action` and `indices` of a decision, as one value per action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum DecisionStep {
    /// Finished.
    Done {
        /// Always `null`.
        indices: (),
    },
    /// Resend the whole call.
    Retry {
        /// Always `null`.
        indices: (),
    },
    /// Resend only these records.
    RetryRecords {
        /// The records to resend, as indices of the call's records.
        indices: Vec<usize>,
    },
    /// Refresh the access token, then resend.
    RefreshToken {
        /// Always `null`.
        indices: (),
    },
    /// Stop.
    GiveUp {
        /// The failed records of a partial result, else `null`.
        indices: Option<Vec<usize>>,
    },
    /// Look the records up before resending any.
    Verify {
        /// Always `null`.
        indices: (),
    },
    /// Split the batch.
    Split {
        /// Always `null`.
        indices: (),
    },
}

impl DecisionStep {
    /// The step a decision carries.
    pub fn of(decision: &Decision) -> Self {
        match decision.action {
            Action::Done => DecisionStep::Done { indices: () },
            Action::Retry => DecisionStep::Retry { indices: () },
            Action::RetryRecords => DecisionStep::RetryRecords {
                indices: decision.indices.clone().unwrap_or_default(),
            },
            Action::RefreshToken => DecisionStep::RefreshToken { indices: () },
            Action::GiveUp => DecisionStep::GiveUp {
                indices: decision.indices.clone(),
            },
            Action::Verify => DecisionStep::Verify { indices: () },
            Action::Split => DecisionStep::Split { indices: () },
        }
    }
}

/// What to do after one response: the rule that decided (`reason`), the figures it
/// used (`inputs`) and the verdict it read, with `action` telling what `indices`
/// holds (narrow on `action` to read them).
#[derive(ts_rs::TS)]
#[ts(rename = "Decision")]
pub struct DecisionView {
    /// The fields every decision has.
    #[ts(flatten)]
    pub fields: Decision,
    /// `action` and `indices`.
    #[ts(flatten)]
    pub step: DecisionStep,
}
