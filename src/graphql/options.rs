//! Options of the analysis: Zoho's limits, which callers may lower or raise within
//! bounds, and the conventions Zoho leaves open (see the module docs of `graphql`).

use serde::{Deserialize, Serialize};

use super::limits;
use crate::error::{Error, Result};

/// How depth is counted where Zoho leaves it open (see the module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(rename = "GraphqlDepthConvention")
)]
pub enum DepthConvention {
    /// The module counts as record level 1; every metadata field level counts.
    #[default]
    Strict,
    /// Record levels start at the first relation; `_data`/`_info` do not count in metadata.
    Lenient,
}

/// Options of [`analyze_graphql`](super::analyze_graphql); every limit defaults to
/// Zoho's figure.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct GraphqlOptions {
    /// The operation to analyse when the document has several.
    pub operation_name: Option<String>,
    /// Largest query in bytes (default 256 KiB, at most 16 MiB).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_query_bytes: u32,
    /// Parser recursion limit (default 64, 1 to 256).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_nesting: u32,
    /// Field selections visited after fragment expansion (default 100,000).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_expanded_fields: u32,
    /// Record depth limit (default 3).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_depth_records: u32,
    /// Metadata depth limit (default 7).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_depth_meta: u32,
    /// Complexity limit (default 1,000).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_complexity: u32,
    /// Credit limit per call (default 10).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_credits: u32,
    /// Records per root module query (default 100).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_root_records: u32,
    /// Records per sub-level query (default 10).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_sub_records: u32,
    /// Fields per record resource (default 50).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_fields_per_resource: u32,
    /// Lookup and child fields per record resource (default 5).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_relations_per_resource: u32,
    /// Filter criteria per query (default 25).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_criteria: u32,
    /// Credits of a root module query (default 1; Zoho's figure is unverified).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub root_record_credits: f64,
    /// Complexity of a root module query (default 100).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub root_record_complexity: u32,
    /// How depth is counted (default strict).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub depth_convention: DepthConvention,
    /// Field API names that are subforms or other child relations.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub subforms: Vec<String>,
    /// Field API names that are multi-module lookups, in addition to `What_Id` and
    /// `Appointments_For`.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub multi_module_lookups: Vec<String>,
    /// Field API names that are lookups even when the selection does not show it.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub lookups: Vec<String>,
    /// Lookup fields Zoho does not charge (e.g. `["Created_By", "Modified_By"]`, which
    /// GQL-C hints are free; unverified, so the default charges every lookup).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub free_lookups: Vec<String>,
}

impl Default for GraphqlOptions {
    fn default() -> Self {
        use limits::*;
        GraphqlOptions {
            operation_name: None,
            max_query_bytes: DEFAULT_MAX_QUERY_BYTES,
            max_nesting: DEFAULT_MAX_NESTING,
            max_expanded_fields: DEFAULT_MAX_EXPANDED_FIELDS,
            max_depth_records: MAX_DEPTH_RECORDS,
            max_depth_meta: MAX_DEPTH_META,
            max_complexity: MAX_COMPLEXITY,
            max_credits: MAX_CREDITS,
            max_root_records: MAX_ROOT_RECORDS,
            max_sub_records: MAX_SUB_RECORDS,
            max_fields_per_resource: MAX_FIELDS_PER_RESOURCE,
            max_relations_per_resource: MAX_RELATIONS_PER_RESOURCE,
            max_criteria: MAX_FILTER_CRITERIA,
            root_record_credits: 1.0,
            root_record_complexity: ROOT_RESOURCE_COMPLEXITY,
            depth_convention: DepthConvention::Strict,
            subforms: Vec::new(),
            multi_module_lookups: Vec::new(),
            lookups: Vec::new(),
            free_lookups: Vec::new(),
        }
    }
}

impl GraphqlOptions {
    /// Checks ranges; returns the root record cost in quarter credits.
    pub(super) fn check(&self) -> Result<u32> {
        use limits::*;
        let range = |field: &str, v: u32, lo: u32, hi: u32| -> Result<()> {
            if v < lo || v > hi {
                return Err(Error::invalid(
                    format!("options.{field}"),
                    format!("{v} is outside {lo}..={hi}"),
                ));
            }
            Ok(())
        };
        range(
            "maxQueryBytes",
            self.max_query_bytes,
            1,
            MAX_QUERY_BYTES_CEILING,
        )?;
        range("maxNesting", self.max_nesting, 1, MAX_NESTING_CEILING)?;
        range(
            "maxExpandedFields",
            self.max_expanded_fields,
            1,
            MAX_EXPANDED_FIELDS_CEILING,
        )?;
        let c = self.root_record_credits;
        let quarters = c * f64::from(QUARTERS_PER_CREDIT);
        if !c.is_finite() || !(0.0..=f64::from(MAX_CREDITS)).contains(&c) || quarters.fract() != 0.0
        {
            return Err(Error::invalid(
                "options.rootRecordCredits",
                format!("expected a multiple of 0.25 between 0 and {MAX_CREDITS}, got {c}"),
            ));
        }
        // In range and whole: the cast is exact.
        Ok(quarters as u32)
    }
}
