//! Operations: what one API call is. Its costs are in [`super::cost`], the per-call
//! limits that bind it in [`super::limits`].
//!
//! An operation is the one plain object every function of the package takes:
//! `{ kind, module?, recordCount?, coqlLimit?, sorted?, rollbackOnFail?, credits?,
//! maxAttempts?, patient? }`.
//!
//! Sources (keys as in `shared/zoho-api-facts.md`): SUBC/K203 and third-party lists
//! (complex APIs), V7DOC (composite slots).

use serde::{Deserialize, Serialize};

use super::limits::{
    COMPLEX_WRITE_THRESHOLD, COMPOSITE_CONCURRENCY_SLOTS, MAX_COQL_LIMIT, MAX_RECORD_COUNT,
};
use crate::error::{clip, Error, Result};

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
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
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
    /// Attempts for this call, overriding the Guard's `retry.maxAttempts` (and a
    /// patient call's "no cap").
    pub max_attempts: Option<u32>,
    /// A patient call: never ends on a transient outcome (no attempts cap unless
    /// `maxAttempts` is set; an open breaker or a spent retry budget is waited out).
    /// Default `false`: the Guard's call-by-call rules.
    pub patient: Option<bool>,
    /// Which attempt this call is for the records it carries (1 = their first try),
    /// for the backoff of a record-level retry (RECORD_LOCKED): a write job resending
    /// records merged from several batches says how often they were locked, and that
    /// backoff grows with it instead of with the call's lineage. Other retries (5xx,
    /// 429, network) keep the lineage's count.
    pub attempt: Option<u32>,
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
    /// A patient call (a write job's): retried after the delay the rules give for as
    /// long as its caller lets it, never ended by a transient outcome. Without its own
    /// `max_attempts` it has no attempts cap; an open breaker and a spent retry budget
    /// become waits (basis `breaker`, `budget`); only permanent errors, a Retry-After
    /// above the ceiling and the credits end it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub patient: bool,
    /// Which attempt this call is for its records (1..=[`MAX_ATTEMPT_NUMBER`]): the
    /// backoff exponent of a record-level retry. A merged resend's lineage counts calls,
    /// not the tries of the records it carries (measured: a record locked once waited
    /// 3 s, the ceiling of the fifth call of its merged lineage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempt: Option<u32>,
}

/// Most attempts one call may ask for (the Guard's configuration has the same bound).
pub const MAX_ATTEMPTS_PER_CALL: u32 = 100;

/// Largest `attempt` a call may say it is (a job without a cap may try a record for
/// hours; the backoff ceiling stops growing long before).
pub const MAX_ATTEMPT_NUMBER: u32 = 1_000_000;

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
        if let Some(n) = raw.attempt {
            if n == 0 || n > MAX_ATTEMPT_NUMBER {
                return Err(Error::invalid(
                    "operation.attempt",
                    format!("{n} is outside 1..={MAX_ATTEMPT_NUMBER}"),
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
            patient: raw.patient.unwrap_or(false),
            attempt: raw.attempt,
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
            patient: false,
            attempt: None,
        }
    }

    /// Builder: a patient call.
    pub fn patient(mut self) -> Self {
        self.patient = true;
        self
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
