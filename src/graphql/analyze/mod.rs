//! The analysis: operation selection, fragment checks, then one iterative walk of the
//! merged selection tree (GraphQL's CollectFields: fragments and inline fragments
//! expanded, fields merged by response key) that charges each resource.
//!
//! Nothing here recurses on the input: the walk runs on an explicit task stack, and
//! fragment expansion is bounded by a budget of visited fields.
//!
//! - `fragments`: unknown fragments and cycles, before the walk;
//! - `collect`: CollectFields and its budget;
//! - `walk`: the visitors of each place of Zoho's shape;
//! - `checks` and `arguments`: the charges and the limits the visitors apply;
//! - `report`: violations located by line and column in the [`Analysis`].

mod arguments;
mod checks;
mod collect;
mod fragments;
mod report;
mod walk;

use rustc_hash::FxHashMap as HashMap;

use serde_json::{Map, Value as Json};

use super::limits::MAX_VIOLATIONS;
use super::syntax::ast::{Doc, OpDef, OpKind};
use super::syntax::{self, SyntaxError};
use super::{Analysis, Depth, GraphqlOptions, Resource, ViolationCode};
use crate::error::clip;
use report::{finish, Found, Totals};
use walk::Task;

type Vars = Map<String, Json>;

/// No parent in the path arena.
const NO_PARENT: usize = usize::MAX;

/// The state of one analysis.
struct Analyzer<'a> {
    doc: &'a Doc<'a>,
    op: &'a OpDef<'a>,
    vars: Option<&'a Vars>,
    options: &'a GraphqlOptions,
    root_quarters: u32,
    /// Fragment name → its first definition.
    fragments: HashMap<&'a str, usize>,
    /// Response paths as (parent, key), so that a field's path is built only when
    /// a violation or a resource names it.
    paths: Vec<(usize, &'a str)>,
    /// Items visited by CollectFields, against `maxExpandedFields`.
    visited: u32,
    /// Selections queued by the task being visited.
    children: Vec<Task<'a>>,
    found: Vec<Found>,
    truncated: bool,
    resources: Vec<Resource>,
    complexity: u32,
    quarters: u32,
    depth: Depth,
    root_records: u32,
    criteria: u32,
}

/// Runs the analysis on a query already checked for size.
pub fn analyze_document(
    query: &str,
    variables: Option<&Vars>,
    options: &GraphqlOptions,
    root_quarters: u32,
) -> Analysis {
    let doc = match syntax::parse(query, options.max_nesting) {
        Ok(doc) => doc,
        Err(errors) => {
            let found = errors
                .into_iter()
                .take(MAX_VIOLATIONS)
                .map(|e| syntax_violation(e, options))
                .collect();
            return finish(query, None, found, Totals::default());
        }
    };

    let op = match pick_operation(&doc, options) {
        Ok(op) => op,
        Err(f) => return finish(query, None, vec![f], Totals::default()),
    };
    let name = op.name.map(str::to_owned);
    if op.kind != OpKind::Query {
        let f = Found {
            offset: Some(op.offset),
            ..Found::new(
                ViolationCode::UnsupportedOperation,
                "Zoho CRM's GraphQL API is read-only: only queries are accepted".into(),
            )
        };
        return finish(query, name, vec![f], Totals::default());
    }

    let mut fragments = HashMap::default();
    for (i, frag) in doc.fragments.iter().enumerate() {
        fragments.entry(frag.name).or_insert(i);
    }
    let mut a = Analyzer {
        doc: &doc,
        op,
        vars: variables,
        options,
        root_quarters,
        fragments,
        paths: Vec::new(),
        visited: 0,
        children: Vec::new(),
        found: Vec::new(),
        truncated: false,
        resources: Vec::new(),
        complexity: 0,
        quarters: 0,
        depth: Depth::default(),
        root_records: 0,
        criteria: 0,
    };
    if a.check_fragments() {
        a.walk();
    }
    a.totals_violations();
    let totals = Totals {
        depth: a.depth,
        complexity: a.complexity,
        quarters: a.quarters,
        root_records: a.root_records,
        criteria: a.criteria,
        resources: std::mem::take(&mut a.resources),
    };
    let found = std::mem::take(&mut a.found);
    finish(query, name, found, totals)
}

/// A parser error: nesting over the limit, or a syntax error.
fn syntax_violation(e: SyntaxError, options: &GraphqlOptions) -> Found {
    let offset = Some(e.offset);
    if e.limit {
        return Found {
            limit: Some(u64::from(options.max_nesting)),
            offset,
            ..Found::new(
                ViolationCode::NestingLimitExceeded,
                format!(
                    "selections, lists or objects nest deeper than {} levels; parsing stopped",
                    options.max_nesting
                ),
            )
        };
    }
    Found {
        offset,
        ..Found::new(ViolationCode::SyntaxError, e.message)
    }
}

fn pick_operation<'d>(doc: &'d Doc<'d>, options: &GraphqlOptions) -> Result<&'d OpDef<'d>, Found> {
    let names = || {
        let list: Vec<&str> = doc.operations.iter().filter_map(|o| o.name).collect();
        clip(&list.join(", "))
    };
    match &options.operation_name {
        Some(wanted) => doc
            .operations
            .iter()
            .find(|o| o.name == Some(wanted.as_str()))
            .ok_or_else(|| {
                Found::new(
                    ViolationCode::UnknownOperation,
                    format!(
                        "no operation named {:?}; the document has: {}",
                        clip(wanted),
                        names()
                    ),
                )
            }),
        None => match doc.operations.as_slice() {
            [] => Err(Found::new(
                ViolationCode::NoOperation,
                "the document has no operation".into(),
            )),
            [only] => Ok(only),
            _ => Err(Found::new(
                ViolationCode::OperationNameRequired,
                format!(
                    "the document has {} operations; give operationName (one of: {})",
                    doc.operations.len(),
                    names()
                ),
            )),
        },
    }
}

impl<'a> Analyzer<'a> {
    /// Records a violation; past [`MAX_VIOLATIONS`], one last violation says so.
    fn push(&mut self, f: Found) {
        if self.found.len() < MAX_VIOLATIONS {
            self.found.push(f);
        } else if !self.truncated {
            self.truncated = true;
            self.found.push(Found {
                limit: Some(MAX_VIOLATIONS as u64),
                ..Found::new(
                    ViolationCode::AnalysisLimitExceeded,
                    format!("more than {MAX_VIOLATIONS} violations; the rest are not listed"),
                )
            });
        }
    }

    /// Records a violation at a field of the path arena.
    fn violation(
        &mut self,
        code: ViolationCode,
        message: String,
        limit: Option<u64>,
        actual: Option<u64>,
        path: usize,
        offset: Option<u32>,
    ) {
        let path = self.path(path);
        self.push(Found {
            code,
            message,
            limit,
            actual,
            path,
            offset,
        });
    }

    /// Records a figure over its limit at a field of the path arena.
    fn exceeded(
        &mut self,
        code: ViolationCode,
        message: String,
        limit: u32,
        actual: u64,
        path: usize,
        offset: Option<u32>,
    ) {
        let (limit, actual) = (Some(u64::from(limit)), Some(actual));
        self.violation(code, message, limit, actual, path, offset);
    }

    fn add_path(&mut self, parent: usize, key: &'a str) -> usize {
        self.paths.push((parent, key));
        self.paths.len().saturating_sub(1)
    }

    fn path(&self, mut at: usize) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(&(parent, key)) = self.paths.get(at) {
            out.push(key.to_owned());
            at = parent;
        }
        out.reverse();
        out
    }
}
