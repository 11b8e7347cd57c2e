//! The charges and the limit checks of the walk: credits and complexity of each
//! resource, record and metadata depth, fields and relations per record resource,
//! child relations below the root, and the totals of the whole query.

use super::super::limits::{self, QUARTERS_PER_CREDIT};
use super::super::{Resource, ResourceKind, ViolationCode};
use super::collect::Group;
use super::report::Found;
use super::Analyzer;
use crate::error::clip;

impl<'a> Analyzer<'a> {
    /// Adds a resource to the totals and to the list of resources.
    pub(super) fn charge(
        &mut self,
        path: usize,
        kind: ResourceKind,
        quarters: u32,
        complexity: u32,
    ) {
        self.quarters = self.quarters.saturating_add(quarters);
        self.complexity = self.complexity.saturating_add(complexity);
        let path = self.path(path);
        self.resources.push(Resource {
            path,
            kind,
            complexity,
            credits: f64::from(quarters) / f64::from(QUARTERS_PER_CREDIT),
        });
    }

    /// Charges a lookup, child relation or multi-module lookup.
    pub(super) fn charge_relation(&mut self, g: &Group<'a>, kind: ResourceKind, path: usize) {
        let (q, c) = match kind {
            ResourceKind::ChildRelation => (
                limits::CHILD_RELATION_QUARTERS,
                limits::CHILD_RELATION_COMPLEXITY,
            ),
            ResourceKind::MultiModuleLookup => (
                limits::MULTI_MODULE_LOOKUP_QUARTERS,
                limits::MULTI_MODULE_LOOKUP_COMPLEXITY,
            ),
            _ if self.options.free_lookups.iter().any(|n| n == g.name()) => (0, 0),
            _ => (limits::LOOKUP_QUARTERS, limits::LOOKUP_COMPLEXITY),
        };
        self.charge(path, kind, q, c);
    }

    /// A child relation or multi-module lookup below a root resource (GQL-L).
    pub(super) fn child_not_at_root(&mut self, g: &Group<'a>, path: usize) {
        self.violation(
            ViolationCode::ChildFieldNotAtRoot,
            format!(
                "{:?} is a child relation or multi-module lookup below a root resource; Zoho allows them on root-level resources only",
                clip(g.name())
            ),
            None,
            None,
            path,
            Some(g.offset()),
        );
    }

    pub(super) fn record_depth(&mut self, depth: u32, path: usize, offset: u32) {
        self.depth.records = self.depth.records.max(depth);
        let max = self.options.max_depth_records;
        self.depth_limit("record", depth, max, path, offset);
    }

    pub(super) fn meta_depth(&mut self, level: u32, path: usize, offset: u32) {
        self.depth.meta = self.depth.meta.max(level);
        let max = self.options.max_depth_meta;
        self.depth_limit("metadata", level, max, path, offset);
    }

    fn depth_limit(&mut self, what: &str, depth: u32, max: u32, path: usize, offset: u32) {
        // Report where the limit is first crossed, not at every deeper level.
        if depth == max.saturating_add(1) {
            self.exceeded(
                ViolationCode::DepthExceeded,
                format!("{what} depth {depth} exceeds Zoho's limit of {max}"),
                max,
                u64::from(depth),
                path,
                Some(offset),
            );
        }
    }

    /// Fields of one record resource (`__typename` is free), located at the first
    /// field over the limit.
    pub(super) fn check_fields(&mut self, groups: &[Group<'a>], path: usize) {
        let fields = groups.iter().filter(|g| g.name() != "__typename").count();
        let fields = u32::try_from(fields).unwrap_or(u32::MAX);
        let max = self.options.max_fields_per_resource;
        let at = groups.get(max as usize).map(Group::offset);
        let code = ViolationCode::FieldsLimitExceeded;
        self.per_resource(code, "fields", fields, max, path, at);
    }

    /// Lookup and child fields of one record resource; `first_excess` is the offset
    /// of the first one over the limit.
    pub(super) fn check_relations(
        &mut self,
        relations: u32,
        path: usize,
        first_excess: Option<u32>,
    ) {
        let max = self.options.max_relations_per_resource;
        let code = ViolationCode::LookupLimitExceeded;
        let what = "lookup or child fields";
        self.per_resource(code, what, relations, max, path, first_excess);
    }

    fn per_resource(
        &mut self,
        code: ViolationCode,
        what: &str,
        count: u32,
        max: u32,
        path: usize,
        offset: Option<u32>,
    ) {
        if count > max {
            let message = format!("{count} {what} in one resource; Zoho allows {max}");
            self.exceeded(code, message, max, u64::from(count), path, offset);
        }
    }

    /// Complexity and credits of the whole query.
    pub(super) fn totals_violations(&mut self) {
        let max = self.options.max_complexity;
        if self.complexity > max {
            let actual = self.complexity;
            self.push(Found {
                limit: Some(u64::from(max)),
                actual: Some(u64::from(actual)),
                ..Found::new(
                    ViolationCode::ComplexityExceeded,
                    format!(
                        "query complexity {actual} exceeds Zoho's limit of {max} (Zoho answers ExecutionAborted)"
                    ),
                )
            });
        }
        let credits = self.quarters.div_ceil(QUARTERS_PER_CREDIT);
        let max = self.options.max_credits;
        if credits > max {
            self.push(Found {
                limit: Some(u64::from(max)),
                actual: Some(u64::from(credits)),
                ..Found::new(
                    ViolationCode::CreditsExceeded,
                    format!("the query costs {credits} credits; Zoho allows {max} per call"),
                )
            });
        }
    }
}
