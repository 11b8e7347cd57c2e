//! Per-call limits: the figures Zoho enforces on one call (records, pages, COQL rows,
//! fields, criteria, sub-requests) and [`operation_limits`], which gathers the ones
//! binding an operation.
//!
//! Sources (keys as in `shared/zoho-api-facts.md`): V7DOC (per-call record limits,
//! paging, composite slots), v8 COQL-Limitations, GQL-L, and third-party notes for the
//! complex-write threshold.

use serde::Serialize;

use super::operation::{Operation, OperationKind, Pool};

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
