//! Credit costs: what one call reserves of the 24 h allowance, with the source of
//! every figure and the caller's overrides for figures Zoho has not confirmed.
//!
//! Sources (keys as in `shared/zoho-api-facts.md`): LIM (default 1 credit, Convert Lead 5),
//! COQL tiers (Zoho Vertical Solutions COQL overview; quoted for CRM v8 by a third party),
//! V7DOC (composite costs), GQL-C (GraphQL ceiling), AEV (write cost per 10 records and
//! Bulk Write 500: third-party, unverified).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::limits::DEFAULT_COQL_LIMIT;
use super::operation::{Operation, OperationKind};

/// Records per credit on insert/update/upsert: "1 credit per 10 records" (AEV,
/// third-party, unverified). Reserving more than Zoho may charge is the safe error.
pub const DEFAULT_WRITE_RECORDS_PER_CREDIT: u32 = 10;

/// Credits of one Convert Lead call (LIM).
pub const CONVERT_LEAD_CREDITS: u32 = 5;

/// Credit ceiling of one GraphQL call (GQL-C: "up to 10 credits"); also the cost
/// reserved for a GraphQL call whose analysed cost is not given.
pub const GRAPHQL_MAX_CREDITS: u32 = 10;

/// Credits of a Bulk Write job (AEV: "initialize 500", third-party, unverified).
pub const BULK_WRITE_CREDITS: u32 = 500;

/// Overrides of the credit table, for figures Zoho has not confirmed.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct CostOverrides {
    /// Flat credits per call for a kind (`{ "search": 3 }`).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub per_call: BTreeMap<OperationKind, u32>,
    /// Records per credit on insert/update/upsert; 0 means one credit per call.
    pub write_records_per_credit: Option<u32>,
}

/// What one call costs and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CreditCost {
    /// Credits reserved for the call.
    pub credits: u32,
    /// Credits given back when the call ends a certain way (a composite with
    /// `rollback_on_fail` costs 1 instead of 2 when it rolls back).
    pub refund_on_rollback: u32,
    /// Whether a primary Zoho source confirms the figure.
    pub verified: bool,
    /// The rule applied, as a stable id.
    pub basis: &'static str,
    /// Where the figure comes from.
    pub source: &'static str,
}

fn cost(credits: u32, verified: bool, basis: &'static str, source: &'static str) -> CreditCost {
    CreditCost {
        credits,
        refund_on_rollback: 0,
        verified,
        basis,
        source,
    }
}

/// The credit cost of one call, with the default table and the given overrides.
pub fn credit_cost(op: &Operation, overrides: &CostOverrides) -> CreditCost {
    if let Some(credits) = op.credits {
        return cost(
            credits,
            true,
            "explicit",
            "operation.credits given by the caller",
        );
    }
    if let Some(&credits) = overrides.per_call.get(&op.kind) {
        return cost(credits, false, "override", "caller's cost overrides");
    }
    match op.kind {
        OperationKind::Insert | OperationKind::Update | OperationKind::Upsert => {
            let n = op.record_count.unwrap_or(1).max(1);
            // The basis names the rule that counted: the default table, or the
            // caller's override (0: one credit per call, whatever the records).
            match overrides.write_records_per_credit {
                None => cost(
                    n.div_ceil(DEFAULT_WRITE_RECORDS_PER_CREDIT),
                    false,
                    "write_per_10_records",
                    "third-party summary of LIM (AEV): 1 credit per 10 records; unverified",
                ),
                Some(0) => cost(
                    1,
                    false,
                    "write_per_call",
                    "caller's cost overrides: writeRecordsPerCredit 0, one credit per call",
                ),
                Some(per) => cost(
                    n.div_ceil(per),
                    false,
                    "write_records_per_credit",
                    "caller's cost overrides: writeRecordsPerCredit records per credit",
                ),
            }
        }
        OperationKind::ConvertLead => cost(
            CONVERT_LEAD_CREDITS,
            true,
            "convert_lead",
            "LIM: Convert Lead 5 credits",
        ),
        OperationKind::Coql => {
            let limit = op.coql_limit.unwrap_or(DEFAULT_COQL_LIMIT);
            let credits = match limit {
                0..=200 => 1,
                201..=1000 => 2,
                _ => 3,
            };
            cost(
                credits,
                false,
                "coql_limit_tier",
                "COQL overview (Zoho platform): LIMIT 1-200: 1, 201-1000: 2, 1001-2000: 3; quoted for CRM v8 by a third party",
            )
        }
        OperationKind::Composite => {
            let mut c = cost(
                if op.rollback_on_fail { 2 } else { 1 },
                true,
                "composite",
                "V7DOC composite: 1 credit; with rollback_on_fail 2, or 1 when rolled back",
            );
            if op.rollback_on_fail {
                c.refund_on_rollback = 1;
            }
            c
        }
        OperationKind::Graphql => cost(
            GRAPHQL_MAX_CREDITS,
            true,
            "graphql_ceiling",
            "GQL-C: at most 10 credits per call; pass operation.credits from analyzeGraphql for the real cost",
        ),
        OperationKind::BulkWrite => cost(
            BULK_WRITE_CREDITS,
            false,
            "bulk_write",
            "third-party summary (AEV): Bulk Write 500 credits; unverified",
        ),
        OperationKind::Token => cost(
            0,
            true,
            "token_endpoint",
            "The accounts server's token endpoint is not a CRM API call",
        ),
        OperationKind::Search
        | OperationKind::SendMail
        | OperationKind::MassUpdate
        | OperationKind::BulkRead => cost(
            1,
            false,
            "default",
            "LIM: 1 credit per call unless stated; Zoho's per-API table for this call was not available",
        ),
        OperationKind::Delete
        | OperationKind::Get
        | OperationKind::Metadata
        | OperationKind::Other => cost(
            1,
            true,
            "default",
            "LIM: each API call costs 1 credit",
        ),
    }
}
