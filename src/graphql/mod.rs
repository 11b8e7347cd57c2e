//! GraphQL pre-flight: Zoho CRM's GraphQL limits checked before the query is sent.
//!
//! Zoho answers a query over its depth, complexity or credit limits with a 200 whose
//! body holds `errors` ("ExecutionAborted"), after the call has taken one of the five
//! GraphQL concurrency slots. [`analyze_graphql`] finds the same faults locally, with
//! the path and line/column of the field at fault, and computes the call's credits
//! so that the Guard can reserve them (`{ kind: "graphql", credits }`).
//!
//! # Parser
//!
//! Our own lexer and recursive-descent parser (`syntax`), for the executable documents
//! Zoho takes: operations, variable definitions, selection sets, fields with aliases,
//! arguments and directives, fragments, inline fragments, every value form (block
//! strings included). It replaced apollo-parser 0.8 + rowan, whose lossless CST the
//! analysis never needed: the analysis of the 150-line query of `bench/fixtures` runs
//! about a third fewer native instructions than the first version of this parser
//! (itself faster than apollo-parser's), analyzeGraphql went from 4.4x to about
//! 1.2-1.45x graphql-js `parse` + a depth visitor in Node, and the wasm lost 25 KiB gzip.
//! What it keeps from apollo-parser:
//! - every syntax error with its byte offset (after an error the parser skips to the
//!   next definition and carries on, up to `MAX_VIOLATIONS`);
//! - a nesting cap (`maxNesting`, at most 256) shared by selection sets, list and
//!   object values and list types, so recursion stays far from the ~1 MiB wasm stack;
//! - linear work: one token of lookahead, tokens made on demand.
//!
//! # How the query is read without Zoho's schema
//!
//! Zoho publishes no schema file, so resources are recognised from the query's shape,
//! which Zoho's examples fix (query-records-examples.html):
//! - `Records { Leads(limit:, where:) { _data { … } _info { … } } }`: each field of
//!   `Records` is a root module resource (1 credit, 100 points by default);
//! - in a record's `_data`, every field is wrapped (`Full_Name { value }`); a field
//!   whose selection holds `_data` is a child relation (subform, related list:
//!   .5 credit, 50 points), a field named in `multiModuleLookups` (default `What_Id`,
//!   `Appointments_For`) is a multi-module lookup (.5, 50), a field whose selection
//!   holds a field with its own selection (`Vendor_Name { Vendor_Name { value } }`) is
//!   a lookup (.25, 25); `options.subforms`, `options.lookups` and
//!   `options.multiModuleLookups` override the shape;
//! - `Meta { Modules { _data { … } } }`: each field named in Zoho's `_Meta` table costs
//!   what the table says; an unlisted root `_Meta` resource costs the table's maximum.
//!
//! # Conventions Zoho leaves open
//!
//! - Depth (`depthConvention`): `"strict"` (default) counts the module as record level
//!   1 and each nested lookup or child relation as one more (Zoho's own subform
//!   example, Leads → Subform_1__r → Parent_Id, is then exactly 3), and every field
//!   level below `Meta`, `_data` included, for metadata. `"lenient"` starts records at
//!   the first relation (module = 0) and skips `_data`/`_info` in metadata.
//! - Root record cost (`rootRecordCredits`, `rootRecordComplexity`): 1 credit and
//!   100 points, the published root figure.
//! - Records of a root query without `limit`: counted as 100 in `rootRecords`.

mod analyze;
pub mod limits;
mod options;
mod syntax;

use serde::Serialize;

use crate::error::{Error, Result};

pub use analyze::analyze_document;
pub use options::{DepthConvention, GraphqlOptions};

/// Depth found, per kind of resource.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Depth {
    /// Deepest record level.
    pub records: u32,
    /// Deepest metadata level.
    pub meta: u32,
}

/// What a resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "GraphqlResourceKind"))]
pub enum ResourceKind {
    /// A module under `Records`.
    Module,
    /// A lookup (parent relation, user lookup).
    Lookup,
    /// A subform, related list or other child relation.
    ChildRelation,
    /// `What_Id`, `Appointments_For` and the like.
    MultiModuleLookup,
    /// A `_Meta` resource.
    Meta,
    /// A root field that is neither `Records` nor `Meta`, charged as a root resource.
    Other,
}

/// One charged resource of the query.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "GraphqlResource"))]
pub struct Resource {
    /// Response path of the field, as in a GraphQL error's `path`.
    pub path: Vec<String>,
    pub kind: ResourceKind,
    pub complexity: u32,
    /// Credits, unrounded (0, 0.25, 0.5, 1 …).
    pub credits: f64,
}

/// The code of a violation: the limit that the query breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "GraphqlViolationCode"))]
pub enum ViolationCode {
    /// The query does not parse (one violation per syntax error).
    SyntaxError,
    /// Nesting beyond `maxNesting`: parsing was stopped.
    NestingLimitExceeded,
    /// Record or metadata depth over Zoho's limit.
    DepthExceeded,
    /// Complexity over 1,000.
    ComplexityExceeded,
    /// Credits over 10.
    CreditsExceeded,
    /// A `limit` over 100 at root or 10 below.
    RecordsLimitExceeded,
    /// More than 50 fields in one record resource.
    FieldsLimitExceeded,
    /// More than 5 lookup or child fields in one record resource.
    LookupLimitExceeded,
    /// More than 25 filter criteria.
    CriteriaLimitExceeded,
    /// A child relation or multi-module lookup below a root resource (GQL-L: "Child
    /// fields are only allowed at Root level resources").
    ChildFieldNotAtRoot,
    /// Fragments that spread each other.
    FragmentCycle,
    /// A spread of a fragment the document does not define.
    UnknownFragment,
    /// `operationName` names no operation of the document.
    UnknownOperation,
    /// Several operations and no `operationName`.
    OperationNameRequired,
    /// The document has no operation.
    NoOperation,
    /// A mutation or subscription (Zoho's GraphQL API is read-only).
    UnsupportedOperation,
    /// A variable used for `limit` whose value is not a non-negative integer.
    InvalidVariable,
    /// A variable used but not declared by the operation.
    UndefinedVariable,
    /// Fragment expansion visited more than `maxExpandedFields` fields, or the list
    /// of violations was cut at 100: the analysis stopped there.
    AnalysisLimitExceeded,
}

impl ViolationCode {
    /// Every code, for documentation and tests.
    pub const ALL: [ViolationCode; 19] = [
        ViolationCode::SyntaxError,
        ViolationCode::NestingLimitExceeded,
        ViolationCode::DepthExceeded,
        ViolationCode::ComplexityExceeded,
        ViolationCode::CreditsExceeded,
        ViolationCode::RecordsLimitExceeded,
        ViolationCode::FieldsLimitExceeded,
        ViolationCode::LookupLimitExceeded,
        ViolationCode::CriteriaLimitExceeded,
        ViolationCode::ChildFieldNotAtRoot,
        ViolationCode::FragmentCycle,
        ViolationCode::UnknownFragment,
        ViolationCode::UnknownOperation,
        ViolationCode::OperationNameRequired,
        ViolationCode::NoOperation,
        ViolationCode::UnsupportedOperation,
        ViolationCode::InvalidVariable,
        ViolationCode::UndefinedVariable,
        ViolationCode::AnalysisLimitExceeded,
    ];
}

/// A limit the query breaks, located like a GraphQL error (`path`, line, column).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "GraphqlViolation"))]
pub struct Violation {
    pub code: ViolationCode,
    pub message: String,
    /// The limit broken, when it is a number.
    pub limit: Option<u64>,
    /// The figure found.
    pub actual: Option<u64>,
    /// Response path of the field at fault; empty for the whole query.
    pub path: Vec<String>,
    /// 1-based line of the field at fault.
    pub line: Option<u32>,
    /// 1-based column (in characters) of the field at fault.
    pub column: Option<u32>,
}

/// The result of [`analyze_graphql`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "GraphqlAnalysis"))]
pub struct Analysis {
    /// No violation: Zoho should accept the query's shape.
    pub ok: bool,
    /// Name of the analysed operation (`null` when anonymous or none).
    pub operation: Option<String>,
    #[cfg_attr(feature = "ts", ts(inline))]
    pub depth: Depth,
    pub complexity: u32,
    /// Credits the call consumes: the sum of the resources, rounded up. Pass it as
    /// `operation.credits` of a `{ kind: "graphql" }` operation.
    pub credits: u32,
    /// The sum before rounding.
    pub credits_exact: f64,
    /// Records the root module queries may return (their `limit`s, 100 when absent).
    pub root_records: u32,
    /// Filter criteria counted over the whole operation.
    pub criteria: u32,
    /// Every charged resource, in query order.
    pub resources: Vec<Resource>,
    pub violations: Vec<Violation>,
}

/// Analyses a query. `variables` is the request's `variables` object, if any.
/// Throws only for bad arguments (`QUERY_TOO_LARGE`, `INVALID_ARGUMENT`); every fault
/// of the query itself is a violation.
pub fn analyze_graphql(
    query: &str,
    variables: Option<&serde_json::Map<String, serde_json::Value>>,
    options: &GraphqlOptions,
) -> Result<Analysis> {
    let root_quarters = options.check()?;
    let size = query.len();
    let limit = options.max_query_bytes as usize;
    if size > limit {
        return Err(Error::QueryTooLarge { size, limit });
    }
    Ok(analyze_document(query, variables, options, root_quarters))
}

/// [`analyze_graphql`] on raw bytes, which must be UTF-8 (`INVALID_UTF8` otherwise).
/// The size is checked before decoding.
pub fn analyze_graphql_bytes(
    query: &[u8],
    variables: Option<&serde_json::Map<String, serde_json::Value>>,
    options: &GraphqlOptions,
) -> Result<Analysis> {
    options.check()?;
    let limit = options.max_query_bytes as usize;
    if query.len() > limit {
        return Err(Error::QueryTooLarge {
            size: query.len(),
            limit,
        });
    }
    let text = std::str::from_utf8(query).map_err(|e| Error::InvalidUtf8 {
        field: "query".into(),
        offset: e.valid_up_to(),
    })?;
    analyze_graphql(text, variables, options)
}

/// Reads a `variables` argument: an object, or absent (`null`).
pub fn variables_from_json(
    value: serde_json::Value,
) -> Result<Option<serde_json::Map<String, serde_json::Value>>> {
    match value {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Object(map) => Ok(Some(map)),
        other => Err(Error::invalid(
            "variables",
            format!("expected an object, got {}", json_type(&other)),
        )),
    }
}

fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}
