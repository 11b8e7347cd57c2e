//! Operations: what one API call is, what it costs and which per-call limits bind it.
//!
//! An operation is the one plain object every function of the package takes:
//! `{ kind, module?, recordCount?, coqlLimit?, sorted?, rollbackOnFail?, credits? }`.
//!
//! Sources (keys as in `shared/zoho-api-facts.md`): LIM (default 1 credit, Convert Lead 5),
//! COQL tiers (Zoho Vertical Solutions COQL overview; quoted for CRM v8 by a third party),
//! V7DOC (per-call record limits, composite costs and slots), SUBC/K203 (complex APIs),
//! AEV (write cost per 10 records and Bulk Write 500: third-party, unverified).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{clip, Error, Result};

/// Largest record count accepted on an operation (far above any per-call limit; a
/// bigger figure is a caller bug, not a plan).
pub const MAX_RECORD_COUNT: u32 = 100_000_000;

/// Records per insert/update/upsert/delete call (V7DOC insert/update/upsert/delete:
/// "A maximum of 100 records can be inserted per API call").
pub const MAX_RECORDS_PER_WRITE: u32 = 100;

/// Records per page of Get Records and Search (`per_page` default and maximum, V7DOC).
pub const MAX_PER_PAGE: u32 = 200;

/// Records reachable with `page` alone; beyond, `page_token` (V7DOC get-records).
pub const MAX_RECORDS_WITHOUT_PAGE_TOKEN: u32 = 2_000;

/// Records reachable with `page_token` (V7DOC get-records; PAGINATION_LIMIT_EXCEEDED).
pub const MAX_RECORDS_WITH_PAGE_TOKEN: u32 = 100_000;

/// Field API names per Get Records call (V7DOC: "Fields limit exceeded" beyond 50).
pub const MAX_FIELDS_PER_GET: u32 = 50;

/// Records Search can reach in all (V7DOC search: LIMIT_REACHED beyond 2,000).
pub const MAX_SEARCH_RECORDS: u32 = 2_000;

/// Criteria per Search call (V7DOC search).
pub const MAX_SEARCH_CRITERIA: u32 = 10;

/// COQL rows per call (v8 COQL-Limitations: 2,000 per call).
pub const MAX_COQL_LIMIT: u32 = 2_000;

/// COQL rows via LIMIT/OFFSET in all (v8 COQL-Limitations: 100,000).
pub const MAX_COQL_ROWS: u32 = 100_000;

/// COQL LIMIT when the query has none (COQL overview: default LIMIT 200).
pub const DEFAULT_COQL_LIMIT: u32 = 200;

/// COQL WHERE criteria and SELECT columns (v8 COQL-Limitations).
pub const MAX_COQL_CRITERIA: u32 = 25;
/// COQL SELECT columns (v8 COQL-Limitations).
pub const MAX_COQL_FIELDS: u32 = 50;

/// Sub-requests per composite call (V7DOC composite: "1 to 5 sub-requests").
pub const MAX_COMPOSITE_SUB_REQUESTS: u32 = 5;

/// Concurrency slots one composite call takes (V7DOC composite: "consumes five
/// concurrency credits, irrespective of the number of sub-requests").
pub const COMPOSITE_CONCURRENCY_SLOTS: u32 = 5;

/// Records per mass update with record ids (V7DOC mass update).
pub const MAX_MASS_UPDATE_RECORDS: u32 = 500;

/// Records per Bulk Write file (bulk-write limitations: 25,000 per file, 25 MB).
pub const MAX_BULK_WRITE_RECORDS: u32 = 25_000;

/// Records per Bulk Read job page (V7DOC bulk read: 200,000).
pub const MAX_BULK_READ_RECORDS: u32 = 200_000;

/// Records above which an insert/update/upsert counts against the complex pool
/// (third-party design notes and creatorscripts KB: "more than 10 records").
pub const COMPLEX_WRITE_THRESHOLD: u32 = 10;

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

/// The kind of an API call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum OperationKind {
    /// `POST /{module}`.
    Insert,
    /// `PUT /{module}`.
    Update,
    /// `POST /{module}/upsert`.
    Upsert,
    /// `DELETE /{module}?ids=…`.
    Delete,
    /// `GET /{module}` and `GET /{module}/{id}`.
    Get,
    /// `GET /{module}/search`.
    Search,
    /// `POST /coql`.
    Coql,
    /// `POST /Leads/{id}/actions/convert`.
    ConvertLead,
    /// `POST /{module}/{id}/actions/send_mail`.
    SendMail,
    /// `POST /__composite_requests`.
    Composite,
    /// `POST /crm/graphql`.
    Graphql,
    /// `POST /{module}/actions/mass_update`.
    MassUpdate,
    /// Bulk Read job.
    BulkRead,
    /// Bulk Write job.
    BulkWrite,
    /// Settings and metadata (`/settings/...`).
    Metadata,
    /// The OAuth token endpoint of the accounts server (no CRM credits).
    Token,
    /// Anything else.
    Other,
}

impl OperationKind {
    /// Every kind, in declaration order.
    pub const ALL: [OperationKind; 17] = [
        OperationKind::Insert,
        OperationKind::Update,
        OperationKind::Upsert,
        OperationKind::Delete,
        OperationKind::Get,
        OperationKind::Search,
        OperationKind::Coql,
        OperationKind::ConvertLead,
        OperationKind::SendMail,
        OperationKind::Composite,
        OperationKind::Graphql,
        OperationKind::MassUpdate,
        OperationKind::BulkRead,
        OperationKind::BulkWrite,
        OperationKind::Metadata,
        OperationKind::Token,
        OperationKind::Other,
    ];

    const EXPECTED: &'static str = "insert, update, upsert, delete, get, search, coql, convert_lead, send_mail, composite, graphql, mass_update, bulk_read, bulk_write, metadata, token, other";

    /// The wire name (`convert_lead`).
    pub fn name(self) -> &'static str {
        match self {
            OperationKind::Insert => "insert",
            OperationKind::Update => "update",
            OperationKind::Upsert => "upsert",
            OperationKind::Delete => "delete",
            OperationKind::Get => "get",
            OperationKind::Search => "search",
            OperationKind::Coql => "coql",
            OperationKind::ConvertLead => "convert_lead",
            OperationKind::SendMail => "send_mail",
            OperationKind::Composite => "composite",
            OperationKind::Graphql => "graphql",
            OperationKind::MassUpdate => "mass_update",
            OperationKind::BulkRead => "bulk_read",
            OperationKind::BulkWrite => "bulk_write",
            OperationKind::Metadata => "metadata",
            OperationKind::Token => "token",
            OperationKind::Other => "other",
        }
    }

    /// Parses a wire name; an unknown one is `UNKNOWN_OPERATION_KIND`.
    pub fn parse(name: &str) -> Result<Self> {
        OperationKind::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| Error::UnknownOperationKind {
                kind: clip(name),
                expected: Self::EXPECTED,
            })
    }

    /// Whether the call writes records (insert, update, upsert).
    pub fn is_record_write(self) -> bool {
        matches!(
            self,
            OperationKind::Insert | OperationKind::Update | OperationKind::Upsert
        )
    }
}

/// An operation exactly as JavaScript passes it; [`Operation`] is the checked form.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "Operation", optional_fields = nullable))]
pub struct RawOperation {
    /// Kind name (`"insert"`).
    #[cfg_attr(feature = "ts", ts(as = "OperationKind"))]
    pub kind: Option<String>,
    /// Module API name.
    pub module: Option<String>,
    /// Records the call carries (writes, deletes) or asks for.
    pub record_count: Option<u32>,
    /// LIMIT of a COQL query.
    pub coql_limit: Option<u32>,
    /// A Get Records call with `sort_by` or `cvid`.
    pub sorted: Option<bool>,
    /// `rollback_on_fail` of a composite call.
    pub rollback_on_fail: Option<bool>,
    /// Credits known for this call (a GraphQL call's analysed cost): overrides the table.
    pub credits: Option<u32>,
    /// Attempts for this call, overriding the Guard's `retry.maxAttempts`.
    pub max_attempts: Option<u32>,
}

/// A checked operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "RawOperation")]
pub struct Operation {
    /// What the call is.
    pub kind: OperationKind,
    /// Module API name, when the call has one.
    pub module: Option<String>,
    /// Records the call carries or asks for.
    pub record_count: Option<u32>,
    /// LIMIT of a COQL query.
    pub coql_limit: Option<u32>,
    /// Get Records with `sort_by` or `cvid`.
    pub sorted: bool,
    /// `rollback_on_fail` of a composite call.
    pub rollback_on_fail: bool,
    /// Known credit cost, overriding the table.
    pub credits: Option<u32>,
    /// Attempts for this call (the first included), overriding the Guard's
    /// `retry.maxAttempts`: fewer for an interactive call, more for a read that
    /// resolves a lost reply. 1 to [`MAX_ATTEMPTS_PER_CALL`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
}

/// Most attempts one call may ask for (the Guard's configuration has the same bound).
pub const MAX_ATTEMPTS_PER_CALL: u32 = 100;

/// Longest module name accepted (Zoho API names are far shorter).
pub const MAX_MODULE_NAME_LEN: usize = 200;

impl TryFrom<RawOperation> for Operation {
    type Error = Error;

    fn try_from(raw: RawOperation) -> Result<Self> {
        let Some(kind) = raw.kind else {
            return Err(Error::invalid("operation.kind", "is required"));
        };
        let kind = OperationKind::parse(&kind)?;
        if let Some(module) = &raw.module {
            if module.is_empty() || module.len() > MAX_MODULE_NAME_LEN {
                return Err(Error::invalid(
                    "operation.module",
                    format!("must be 1 to {MAX_MODULE_NAME_LEN} bytes long"),
                ));
            }
        }
        if let Some(n) = raw.record_count {
            if n > MAX_RECORD_COUNT {
                return Err(Error::invalid(
                    "operation.recordCount",
                    format!("{n} exceeds {MAX_RECORD_COUNT}"),
                ));
            }
        }
        if let Some(limit) = raw.coql_limit {
            if limit == 0 || limit > MAX_COQL_LIMIT {
                return Err(Error::invalid(
                    "operation.coqlLimit",
                    format!("{limit} is outside 1..={MAX_COQL_LIMIT} (COQL rows per call)"),
                ));
            }
        }
        if let Some(n) = raw.max_attempts {
            if n == 0 || n > MAX_ATTEMPTS_PER_CALL {
                return Err(Error::invalid(
                    "operation.maxAttempts",
                    format!("{n} is outside 1..={MAX_ATTEMPTS_PER_CALL}"),
                ));
            }
        }
        Ok(Operation {
            kind,
            module: raw.module,
            record_count: raw.record_count,
            coql_limit: raw.coql_limit,
            sorted: raw.sorted.unwrap_or(false),
            rollback_on_fail: raw.rollback_on_fail.unwrap_or(false),
            credits: raw.credits,
            max_attempts: raw.max_attempts,
        })
    }
}

impl Operation {
    /// An operation of this kind with no other facts.
    pub fn new(kind: OperationKind) -> Self {
        Operation {
            kind,
            module: None,
            record_count: None,
            coql_limit: None,
            sorted: false,
            rollback_on_fail: false,
            credits: None,
            max_attempts: None,
        }
    }

    /// Builder: the module.
    pub fn with_module(mut self, module: impl Into<String>) -> Self {
        self.module = Some(module.into());
        self
    }

    /// Builder: the record count.
    pub fn with_records(mut self, n: u32) -> Self {
        self.record_count = Some(n);
        self
    }

    /// Whether the call counts against the complex-API pool of 10 (SUBC, K203 and
    /// third-party lists; the union is used, since a missed complex call risks a 429).
    pub fn is_complex(&self) -> bool {
        match self.kind {
            OperationKind::Coql
            | OperationKind::Search
            | OperationKind::ConvertLead
            | OperationKind::SendMail
            | OperationKind::MassUpdate
            // "Each composite API reduces the sub-concurrency by one" (V7DOC composite).
            | OperationKind::Composite => true,
            OperationKind::Get => self.sorted,
            OperationKind::Insert | OperationKind::Update | OperationKind::Upsert => {
                self.record_count.unwrap_or(1) > COMPLEX_WRITE_THRESHOLD
            }
            _ => false,
        }
    }

    /// Slots of the edition's concurrency the call occupies.
    pub fn concurrency_slots(&self) -> u32 {
        match self.kind {
            OperationKind::Composite => COMPOSITE_CONCURRENCY_SLOTS,
            OperationKind::Token => 0,
            _ => 1,
        }
    }

    /// The pool that limits the call besides the edition's concurrency.
    pub fn pool(&self) -> Pool {
        if self.kind == OperationKind::Graphql {
            Pool::Graphql
        } else if self.is_complex() {
            Pool::Complex
        } else {
            Pool::Standard
        }
    }
}

/// Which concurrency pool a call draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Pool {
    /// Only the edition's concurrency.
    Standard,
    /// Also the complex-API sub-concurrency of 10.
    Complex,
    /// The GraphQL pool of 5 per org.
    Graphql,
}

/// Overrides of the credit table, for figures Zoho has not confirmed.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
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
            let per = overrides
                .write_records_per_credit
                .unwrap_or(DEFAULT_WRITE_RECORDS_PER_CREDIT);
            let n = op.record_count.unwrap_or(1).max(1);
            let credits = if per == 0 { 1 } else { n.div_ceil(per) };
            cost(
                credits,
                false,
                "write_per_10_records",
                "third-party summary of LIM (AEV): 1 credit per 10 records; unverified",
            )
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

/// The per-call maxima of an operation; `null` where a figure does not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OperationLimits {
    /// The kind these limits are for.
    pub kind: OperationKind,
    /// Records one call may carry or return.
    pub max_records_per_call: Option<u32>,
    /// Largest `per_page`.
    pub max_per_page: Option<u32>,
    /// Records reachable by `page` alone.
    pub max_records_without_page_token: Option<u32>,
    /// Records reachable in all (with `page_token` or OFFSET).
    pub max_records_total: Option<u32>,
    /// Field API names per call.
    pub max_fields: Option<u32>,
    /// Criteria per call.
    pub max_criteria: Option<u32>,
    /// Sub-requests per composite call.
    pub max_sub_requests: Option<u32>,
    /// Whether the call counts against the complex pool of 10.
    pub complex: bool,
    /// Which pool bounds it.
    pub pool: Pool,
    /// Slots of the edition's concurrency it takes.
    pub concurrency_slots: u32,
    /// Where the figures come from.
    pub source: &'static str,
}

/// The per-call limits of an operation.
pub fn operation_limits(op: &Operation) -> OperationLimits {
    let mut l = OperationLimits {
        kind: op.kind,
        max_records_per_call: None,
        max_per_page: None,
        max_records_without_page_token: None,
        max_records_total: None,
        max_fields: None,
        max_criteria: None,
        max_sub_requests: None,
        complex: op.is_complex(),
        pool: op.pool(),
        concurrency_slots: op.concurrency_slots(),
        source: "LIM and V7DOC (see shared/zoho-api-facts.md)",
    };
    match op.kind {
        OperationKind::Insert
        | OperationKind::Update
        | OperationKind::Upsert
        | OperationKind::Delete => {
            l.max_records_per_call = Some(MAX_RECORDS_PER_WRITE);
            l.source = "V7DOC insert/update/upsert/delete: 100 records per call";
        }
        OperationKind::Get => {
            l.max_records_per_call = Some(MAX_PER_PAGE);
            l.max_per_page = Some(MAX_PER_PAGE);
            l.max_records_without_page_token = Some(MAX_RECORDS_WITHOUT_PAGE_TOKEN);
            l.max_records_total = Some(MAX_RECORDS_WITH_PAGE_TOKEN);
            l.max_fields = Some(MAX_FIELDS_PER_GET);
            l.source =
                "V7DOC get-records: per_page 200, 2,000 by page, 100,000 by page_token, 50 fields";
        }
        OperationKind::Search => {
            l.max_records_per_call = Some(MAX_PER_PAGE);
            l.max_per_page = Some(MAX_PER_PAGE);
            l.max_records_total = Some(MAX_SEARCH_RECORDS);
            l.max_criteria = Some(MAX_SEARCH_CRITERIA);
            l.source = "V7DOC search: per_page 200, 2,000 records in all, 10 criteria";
        }
        OperationKind::Coql => {
            l.max_records_per_call = Some(MAX_COQL_LIMIT);
            l.max_records_total = Some(MAX_COQL_ROWS);
            l.max_fields = Some(MAX_COQL_FIELDS);
            l.max_criteria = Some(MAX_COQL_CRITERIA);
            l.source =
                "v8 COQL-Limitations: 2,000 per call, 100,000 in all, 50 columns, 25 criteria";
        }
        OperationKind::Composite => {
            l.max_sub_requests = Some(MAX_COMPOSITE_SUB_REQUESTS);
            l.source = "V7DOC composite: 5 sub-requests, 5 concurrency slots";
        }
        OperationKind::ConvertLead => {
            l.max_records_per_call = Some(1);
            l.source = "V7DOC convert lead: one lead per call";
        }
        OperationKind::MassUpdate => {
            l.max_records_per_call = Some(MAX_MASS_UPDATE_RECORDS);
            l.source = "V7DOC mass update: 500 record ids per call";
        }
        OperationKind::BulkWrite => {
            l.max_records_per_call = Some(MAX_BULK_WRITE_RECORDS);
            l.source = "Bulk Write limitations: 25,000 records and 25 MB per file";
        }
        OperationKind::BulkRead => {
            l.max_records_per_call = Some(MAX_BULK_READ_RECORDS);
            l.source = "V7DOC bulk read: 200,000 records per job page";
        }
        OperationKind::Graphql => {
            l.max_records_per_call = Some(100);
            l.source = "GQL-L: 100 records at the root, 10 below; 5 concurrent calls per org";
        }
        OperationKind::SendMail
        | OperationKind::Metadata
        | OperationKind::Token
        | OperationKind::Other => {}
    }
    l
}
