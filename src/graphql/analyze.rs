//! The analysis: operation selection, fragment checks, then one iterative walk of the
//! merged selection tree (GraphQL's CollectFields: fragments and inline fragments
//! expanded, fields merged by response key) that charges each resource.
//!
//! Nothing here recurses on the input: the walk runs on an explicit task stack, and
//! fragment expansion is bounded by a budget of visited fields.

use std::collections::HashMap;

use apollo_parser::Parser;
use serde_json::{Map, Value as Json};

use super::document::{Doc, FieldNode, Item, OpDef, OpKind, SetId, Val};
use super::limits::{self, MAX_VIOLATIONS, QUARTERS_PER_CREDIT};
use super::{
    Analysis, Depth, DepthConvention, GraphqlOptions, Resource, ResourceKind, Violation,
    ViolationCode,
};
use crate::error::clip;

type Vars = Map<String, Json>;

/// Selections wider than this get a hash index of their response keys.
const WIDE_SELECTION: usize = 16;

/// No parent in the path arena.
const NO_PARENT: usize = usize::MAX;

/// A violation before its offset is turned into line and column.
struct Found {
    code: ViolationCode,
    message: String,
    limit: Option<u64>,
    actual: Option<u64>,
    path: Vec<String>,
    offset: Option<u32>,
}

/// Fields of one selection merged under one response key.
struct Group<'a> {
    key: &'a str,
    fields: Vec<&'a FieldNode<'a>>,
}

impl<'a> Group<'a> {
    fn name(&self) -> &'a str {
        self.fields.first().map_or("", |f| f.name)
    }
    fn offset(&self) -> u32 {
        self.fields.first().map_or(0, |f| f.offset)
    }
    fn has_selection(&self) -> bool {
        self.fields.iter().any(|f| f.set.is_some())
    }
    fn sets(&self) -> Vec<SetId> {
        self.fields.iter().filter_map(|f| f.set).collect()
    }
    fn limit(&self) -> Option<&'a Val<'a>> {
        self.fields.iter().find_map(|f| f.limit.as_ref())
    }
    fn filter(&self) -> Option<&'a Val<'a>> {
        self.fields.iter().find_map(|f| f.filter.as_ref())
    }
}

/// Where a selection set sits in Zoho's shape.
#[derive(Clone, Copy)]
enum Ctx {
    /// The operation's selection set.
    Operation,
    /// The fields of `Records`: module resources.
    Records,
    /// The selection of a module or child relation connection: `_data`, `_info`.
    Connection { depth: u32, root: bool },
    /// The fields of one record resource.
    Record { depth: u32, root: bool },
    /// Fields below `Meta` at `level` (`top`: direct children of `Meta`).
    Meta { level: u32, top: bool },
}

struct Task<'a> {
    ctx: Ctx,
    groups: Vec<Group<'a>>,
    path: usize,
}

struct Analyzer<'a> {
    doc: &'a Doc<'a>,
    op: &'a OpDef<'a>,
    vars: Option<&'a Vars>,
    options: &'a GraphqlOptions,
    root_quarters: u32,
    fragments: HashMap<&'a str, usize>,
    paths: Vec<(usize, &'a str)>,
    visited: u32,
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
    let tree = Parser::new(query)
        .recursion_limit(options.max_nesting as usize)
        .parse();
    let mut found = Vec::new();
    for e in tree.errors().take(MAX_VIOLATIONS) {
        found.push(if e.is_limit() {
            Found {
                code: ViolationCode::NestingLimitExceeded,
                message: format!(
                    "selections, lists or objects nest deeper than {} levels; parsing stopped",
                    options.max_nesting
                ),
                limit: Some(u64::from(options.max_nesting)),
                actual: None,
                path: Vec::new(),
                offset: u32::try_from(e.index()).ok(),
            }
        } else {
            Found {
                code: ViolationCode::SyntaxError,
                message: if e.data().is_empty() || e.is_eof() {
                    e.message().to_owned()
                } else {
                    format!("{} (at {:?})", e.message(), clip(e.data()))
                },
                limit: None,
                actual: None,
                path: Vec::new(),
                offset: u32::try_from(e.index()).ok(),
            }
        });
    }
    if !found.is_empty() {
        return finish(query, None, found, Totals::default());
    }
    let doc = Doc::lower(query, &tree.green());
    drop(tree);

    let op = match pick_operation(&doc, options) {
        Ok(op) => op,
        Err(f) => return finish(query, None, vec![f], Totals::default()),
    };
    let name = op.name.map(str::to_owned);
    if op.kind != OpKind::Query {
        let f = Found {
            code: ViolationCode::UnsupportedOperation,
            message: "Zoho CRM's GraphQL API is read-only: only queries are accepted".into(),
            limit: None,
            actual: None,
            path: Vec::new(),
            offset: Some(op.offset),
        };
        return finish(query, name, vec![f], Totals::default());
    }

    let mut fragments = HashMap::new();
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

fn pick_operation<'d>(doc: &'d Doc<'d>, options: &GraphqlOptions) -> Result<&'d OpDef<'d>, Found> {
    let fail = |code, message: String| Found {
        code,
        message,
        limit: None,
        actual: None,
        path: Vec::new(),
        offset: None,
    };
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
                fail(
                    ViolationCode::UnknownOperation,
                    format!(
                        "no operation named {:?}; the document has: {}",
                        clip(wanted),
                        names()
                    ),
                )
            }),
        None => match doc.operations.as_slice() {
            [] => Err(fail(
                ViolationCode::NoOperation,
                "the document has no operation".into(),
            )),
            [only] => Ok(only),
            _ => Err(fail(
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

#[derive(Default)]
struct Totals {
    depth: Depth,
    complexity: u32,
    quarters: u32,
    root_records: u32,
    criteria: u32,
    resources: Vec<Resource>,
}

fn finish(query: &str, operation: Option<String>, found: Vec<Found>, t: Totals) -> Analysis {
    let lines = LineIndex::new(query);
    let violations: Vec<Violation> = found
        .into_iter()
        .map(|f| {
            let (line, column) = match f.offset {
                Some(o) => {
                    let (l, c) = lines.locate(query, o as usize);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            Violation {
                code: f.code,
                message: f.message,
                limit: f.limit,
                actual: f.actual,
                path: f.path,
                line,
                column,
            }
        })
        .collect();
    Analysis {
        ok: violations.is_empty(),
        operation,
        depth: t.depth,
        complexity: t.complexity,
        credits: t.quarters.div_ceil(QUARTERS_PER_CREDIT),
        credits_exact: f64::from(t.quarters) / f64::from(QUARTERS_PER_CREDIT),
        root_records: t.root_records,
        criteria: t.criteria,
        resources: t.resources,
        violations,
    }
}

/// Byte offsets of line starts (GraphQL line terminators: `\n`, `\r\n`, `\r`).
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            i += 1;
            if b == b'\n' || (b == b'\r' && bytes.get(i) != Some(&b'\n')) {
                starts.push(i);
            }
        }
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn locate(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = text
            .get(start..offset.min(text.len()))
            .map_or(0, |s| s.chars().count());
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column.saturating_add(1)).unwrap_or(u32::MAX),
        )
    }
}

/// What a variable resolves to.
enum Resolved<'a> {
    Json(&'a Json),
    Default(&'a Val<'a>),
    Missing,
    Undeclared,
}

impl<'a> Analyzer<'a> {
    fn push(&mut self, f: Found) {
        if self.found.len() < MAX_VIOLATIONS {
            self.found.push(f);
        } else if !self.truncated {
            self.truncated = true;
            self.found.push(Found {
                code: ViolationCode::AnalysisLimitExceeded,
                message: format!("more than {MAX_VIOLATIONS} violations; the rest are not listed"),
                limit: Some(MAX_VIOLATIONS as u64),
                actual: None,
                path: Vec::new(),
                offset: None,
            });
        }
    }

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

    // ------------------------------------------------------------ fragments

    /// Spreads found in a selection set and its nested fields (not following spreads).
    fn spreads_in(&self, set: SetId) -> Vec<(&'a str, u32)> {
        let doc: &'a Doc<'a> = self.doc;
        let mut out = Vec::new();
        let mut stack = vec![set];
        while let Some(id) = stack.pop() {
            for item in doc.sets.get(id).map_or(&[][..], Vec::as_slice) {
                match item {
                    Item::Field(f) => stack.extend(f.set),
                    Item::Spread { name, offset } => out.push((*name, *offset)),
                    Item::Inline { set } => stack.push(*set),
                }
            }
        }
        out
    }

    /// Reports unknown fragments and cycles among the fragments the operation reaches;
    /// returns whether the walk can proceed (no cycle).
    fn check_fragments(&mut self) -> bool {
        let doc: &'a Doc<'a> = self.doc;
        let Some(op_set) = self.op.set else {
            return true;
        };
        // Edges of each reached fragment, computed once.
        let mut edges: Vec<Option<Vec<(&'a str, u32)>>> = vec![None; doc.fragments.len()];
        let mut unknown: Vec<&'a str> = Vec::new();
        // 0 = unseen, 1 = on the DFS stack, 2 = done.
        let mut state = vec![0u8; doc.fragments.len()];
        let mut acyclic = true;
        let roots = self.spreads_in(op_set);
        for (name, offset) in roots {
            let Some(&start) = self.fragments.get(name) else {
                self.unknown_fragment(&mut unknown, name, offset);
                continue;
            };
            if state.get(start) != Some(&0) {
                continue;
            }
            // Iterative DFS: (fragment, index of the next edge).
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            if let Some(s) = state.get_mut(start) {
                *s = 1;
            }
            while let Some(&mut (frag, ref mut next)) = stack.last_mut() {
                if edges.get(frag).is_some_and(Option::is_none) {
                    let list = doc
                        .fragments
                        .get(frag)
                        .and_then(|f| f.set)
                        .map(|s| self.spreads_in(s))
                        .unwrap_or_default();
                    if let Some(e) = edges.get_mut(frag) {
                        *e = Some(list);
                    }
                }
                let edge = edges
                    .get(frag)
                    .and_then(|e| e.as_ref())
                    .and_then(|e| e.get(*next))
                    .copied();
                *next += 1;
                let Some((child_name, offset)) = edge else {
                    if let Some(s) = state.get_mut(frag) {
                        *s = 2;
                    }
                    stack.pop();
                    continue;
                };
                let Some(&child) = self.fragments.get(child_name) else {
                    self.unknown_fragment(&mut unknown, child_name, offset);
                    continue;
                };
                match state.get(child) {
                    Some(0) => {
                        if let Some(s) = state.get_mut(child) {
                            *s = 1;
                        }
                        stack.push((child, 0));
                    }
                    Some(1) => {
                        acyclic = false;
                        let from = stack.iter().position(|&(f, _)| f == child).unwrap_or(0);
                        let mut cycle: Vec<String> = stack
                            .get(from..)
                            .unwrap_or_default()
                            .iter()
                            .filter_map(|&(f, _)| doc.fragments.get(f).map(|d| d.name.to_owned()))
                            .collect();
                        cycle.push(child_name.to_owned());
                        self.push(Found {
                            code: ViolationCode::FragmentCycle,
                            message: format!(
                                "fragments spread each other: {}",
                                clip(&cycle.join(" → "))
                            ),
                            limit: None,
                            actual: None,
                            path: cycle,
                            offset: Some(offset),
                        });
                    }
                    _ => {}
                }
            }
        }
        acyclic
    }

    fn unknown_fragment(&mut self, seen: &mut Vec<&'a str>, name: &'a str, offset: u32) {
        if seen.contains(&name) {
            return;
        }
        seen.push(name);
        self.push(Found {
            code: ViolationCode::UnknownFragment,
            message: format!("unknown fragment {:?}", clip(name)),
            limit: None,
            actual: None,
            path: Vec::new(),
            offset: Some(offset),
        });
    }

    // ------------------------------------------------------------ collection

    /// CollectFields over several selection sets: fields grouped by response key in
    /// document order. `None` when the expansion budget is spent.
    fn collect(&mut self, sets: &[SetId]) -> Option<Vec<Group<'a>>> {
        let doc: &'a Doc<'a> = self.doc;
        let mut groups: Vec<Group<'a>> = Vec::new();
        // Response key → group; built only for wide selections, where a linear
        // search would be quadratic.
        let mut index: Option<HashMap<&'a str, usize>> = None;
        let mut expanded: Vec<usize> = Vec::new();
        let mut stack: Vec<(SetId, usize)> = sets.iter().rev().map(|&s| (s, 0)).collect();
        while let Some(top) = stack.last_mut() {
            let (set, pos) = *top;
            let Some(item) = doc.sets.get(set).and_then(|items| items.get(pos)) else {
                stack.pop();
                continue;
            };
            top.1 += 1;
            self.visited = self.visited.saturating_add(1);
            if self.visited > self.options.max_expanded_fields {
                return None;
            }
            match item {
                Item::Field(f) => {
                    let found = match &index {
                        Some(map) => map.get(f.key).copied(),
                        None => groups.iter().position(|g| g.key == f.key),
                    };
                    match found.and_then(|g| groups.get_mut(g)) {
                        Some(group) => group.fields.push(f),
                        None => {
                            if let Some(map) = &mut index {
                                map.insert(f.key, groups.len());
                            }
                            groups.push(Group {
                                key: f.key,
                                fields: vec![f],
                            });
                            if index.is_none() && groups.len() > WIDE_SELECTION {
                                index = Some(
                                    groups.iter().enumerate().map(|(i, g)| (g.key, i)).collect(),
                                );
                            }
                        }
                    }
                }
                Item::Spread { name, .. } => {
                    if let Some(&frag) = self.fragments.get(name) {
                        if !expanded.contains(&frag) {
                            expanded.push(frag);
                            if let Some(s) = doc.fragments.get(frag).and_then(|f| f.set) {
                                stack.push((s, 0));
                            }
                        }
                    }
                }
                Item::Inline { set } => stack.push((*set, 0)),
            }
        }
        Some(groups)
    }

    fn budget_spent(&mut self) {
        let limit = self.options.max_expanded_fields;
        self.push(Found {
            code: ViolationCode::AnalysisLimitExceeded,
            message: format!(
                "fragment expansion visits more than {limit} fields; analysis stopped"
            ),
            limit: Some(u64::from(limit)),
            actual: None,
            path: Vec::new(),
            offset: None,
        });
    }

    // ------------------------------------------------------------ the walk

    fn walk(&mut self) {
        let Some(op_set) = self.op.set else { return };
        let Some(groups) = self.collect(&[op_set]) else {
            return self.budget_spent();
        };
        let mut tasks = vec![Task {
            ctx: Ctx::Operation,
            groups,
            path: NO_PARENT,
        }];
        while let Some(task) = tasks.pop() {
            let mut children = Vec::new();
            let ok = match task.ctx {
                Ctx::Operation => self.visit_operation(&task, &mut children),
                Ctx::Records => self.visit_records(&task, &mut children),
                Ctx::Connection { depth, root } => {
                    self.visit_connection(&task, depth, root, &mut children)
                }
                Ctx::Record { depth, root } => self.visit_record(&task, depth, root, &mut children),
                Ctx::Meta { level, top } => self.visit_meta(&task, level, top, &mut children),
            };
            if !ok {
                return self.budget_spent();
            }
            // Children in reverse, so that they are visited in document order.
            tasks.extend(children.into_iter().rev());
        }
    }

    /// Adds a child task for a group's selection; false when the budget is spent.
    fn child(&mut self, out: &mut Vec<Task<'a>>, ctx: Ctx, group: &Group<'a>, path: usize) -> bool {
        let sets = group.sets();
        if sets.is_empty() {
            return true;
        }
        let Some(groups) = self.collect(&sets) else {
            return false;
        };
        out.push(Task { ctx, groups, path });
        true
    }

    fn charge(&mut self, path: usize, kind: ResourceKind, quarters: u32, complexity: u32) {
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

    fn visit_operation(&mut self, task: &Task<'a>, out: &mut Vec<Task<'a>>) -> bool {
        for g in &task.groups {
            let path = self.add_path(task.path, g.key);
            let ok = match g.name() {
                "Records" => self.child(out, Ctx::Records, g, path),
                "Meta" => self.child(
                    out,
                    Ctx::Meta {
                        level: 1,
                        top: true,
                    },
                    g,
                    path,
                ),
                "__typename" | "__schema" | "__type" => true,
                _ => {
                    // Not in Zoho's documented shape: charge it as a root resource.
                    let (q, c) = limits::UNKNOWN_META_COST;
                    self.charge(path, ResourceKind::Other, q, c);
                    true
                }
            };
            if !ok {
                return false;
            }
        }
        true
    }

    fn visit_records(&mut self, task: &Task<'a>, out: &mut Vec<Task<'a>>) -> bool {
        let depth = match self.options.depth_convention {
            DepthConvention::Strict => 1,
            DepthConvention::Lenient => 0,
        };
        for g in &task.groups {
            if g.name() == "__typename" {
                continue;
            }
            let path = self.add_path(task.path, g.key);
            self.charge(
                path,
                ResourceKind::Module,
                self.root_quarters,
                self.options.root_record_complexity,
            );
            let records = self.check_limit(g, path, self.options.max_root_records, true);
            self.root_records = self
                .root_records
                .saturating_add(records.unwrap_or(limits::DEFAULT_ROOT_LIMIT));
            self.check_filter(g, path);
            self.record_depth(depth, path, g.offset());
            if !self.child(out, Ctx::Connection { depth, root: true }, g, path) {
                return false;
            }
        }
        true
    }

    fn visit_connection(
        &mut self,
        task: &Task<'a>,
        depth: u32,
        root: bool,
        out: &mut Vec<Task<'a>>,
    ) -> bool {
        for g in &task.groups {
            if g.name() == "_data" {
                let path = self.add_path(task.path, g.key);
                if !self.child(out, Ctx::Record { depth, root }, g, path) {
                    return false;
                }
            }
        }
        true
    }

    fn visit_record(
        &mut self,
        task: &Task<'a>,
        depth: u32,
        root: bool,
        out: &mut Vec<Task<'a>>,
    ) -> bool {
        let fields = task
            .groups
            .iter()
            .filter(|g| g.name() != "__typename")
            .count();
        let fields = u32::try_from(fields).unwrap_or(u32::MAX);
        let max_fields = self.options.max_fields_per_resource;
        if fields > max_fields {
            self.violation(
                ViolationCode::FieldsLimitExceeded,
                format!("{fields} fields in one resource; Zoho allows {max_fields}"),
                Some(u64::from(max_fields)),
                Some(u64::from(fields)),
                task.path,
                task.groups.get(max_fields as usize).map(Group::offset),
            );
        }
        let mut relations: u32 = 0;
        let mut first_excess = None;
        for g in &task.groups {
            if !g.has_selection() {
                continue;
            }
            let Some(kind) = self.classify(g) else {
                continue;
            };
            relations = relations.saturating_add(1);
            let path = self.add_path(task.path, g.key);
            if relations == self.options.max_relations_per_resource.saturating_add(1) {
                first_excess = Some(g.offset());
            }
            let nd = depth.saturating_add(1);
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
            if kind != ResourceKind::Lookup && !root {
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
            self.record_depth(nd, path, g.offset());
            let ok = if kind == ResourceKind::ChildRelation {
                self.check_limit(g, path, self.options.max_sub_records, false);
                self.check_filter(g, path);
                self.child(
                    out,
                    Ctx::Connection {
                        depth: nd,
                        root: false,
                    },
                    g,
                    path,
                )
            } else {
                self.child(
                    out,
                    Ctx::Record {
                        depth: nd,
                        root: false,
                    },
                    g,
                    path,
                )
            };
            if !ok {
                return false;
            }
        }
        let max = self.options.max_relations_per_resource;
        if relations > max {
            self.violation(
                ViolationCode::LookupLimitExceeded,
                format!("{relations} lookup or child fields in one resource; Zoho allows {max}"),
                Some(u64::from(max)),
                Some(u64::from(relations)),
                task.path,
                first_excess,
            );
        }
        true
    }

    /// Lookup, child relation or multi-module lookup; `None` for a plain field, whose
    /// selection only unwraps its value (`Full_Name { value }`).
    fn classify(&self, g: &Group<'a>) -> Option<ResourceKind> {
        let name = g.name();
        let o = self.options;
        let named = |list: &[String]| list.iter().any(|n| n == name);
        if named(&o.subforms) {
            return Some(ResourceKind::ChildRelation);
        }
        if limits::KNOWN_MULTI_MODULE_LOOKUPS.contains(&name) || named(&o.multi_module_lookups) {
            return Some(ResourceKind::MultiModuleLookup);
        }
        if named(&o.lookups) || named(&o.free_lookups) {
            return Some(ResourceKind::Lookup);
        }
        // Look one level down, through fragments, without charging the budget twice:
        // direct items and inline fragments only (a spread is resolved when visited).
        let mut lookup = false;
        let mut stack = g.sets();
        let mut spreads: Vec<SetId> = Vec::new();
        let mut steps = 0u32;
        while let Some(id) = stack.pop() {
            steps = steps.saturating_add(1);
            if steps > limits::MAX_NESTING_CEILING {
                break;
            }
            for item in self.doc.sets.get(id).map_or(&[][..], Vec::as_slice) {
                match item {
                    Item::Field(f) if f.name == "_data" => {
                        return Some(ResourceKind::ChildRelation);
                    }
                    Item::Field(f) => lookup |= f.set.is_some(),
                    Item::Inline { set } => stack.push(*set),
                    Item::Spread { name, .. } => {
                        let set = self
                            .fragments
                            .get(name)
                            .and_then(|&i| self.doc.fragments.get(i))
                            .and_then(|f| f.set);
                        if let Some(s) = set {
                            if !spreads.contains(&s) {
                                spreads.push(s);
                                stack.push(s);
                            }
                        }
                    }
                }
            }
        }
        lookup.then_some(ResourceKind::Lookup)
    }

    fn record_depth(&mut self, depth: u32, path: usize, offset: u32) {
        self.depth.records = self.depth.records.max(depth);
        let max = self.options.max_depth_records;
        // Report where the limit is first crossed, not at every deeper level.
        if depth == max.saturating_add(1) {
            self.violation(
                ViolationCode::DepthExceeded,
                format!("record depth {depth} exceeds Zoho's limit of {max}"),
                Some(u64::from(max)),
                Some(u64::from(depth)),
                path,
                Some(offset),
            );
        }
    }

    fn visit_meta(
        &mut self,
        task: &Task<'a>,
        level: u32,
        top: bool,
        out: &mut Vec<Task<'a>>,
    ) -> bool {
        let lenient = self.options.depth_convention == DepthConvention::Lenient;
        for g in &task.groups {
            let name = g.name();
            if name == "__typename" {
                continue;
            }
            let path = self.add_path(task.path, g.key);
            let wrapper = lenient && (name == "_data" || name == "_info");
            if !wrapper {
                self.depth.meta = self.depth.meta.max(level);
                let max = self.options.max_depth_meta;
                if level == max.saturating_add(1) {
                    self.violation(
                        ViolationCode::DepthExceeded,
                        format!("metadata depth {level} exceeds Zoho's limit of {max}"),
                        Some(u64::from(max)),
                        Some(u64::from(level)),
                        path,
                        Some(g.offset()),
                    );
                }
            }
            let cost = match limits::meta_cost(name) {
                Some(c) => Some(c),
                None if top => Some(limits::UNKNOWN_META_COST),
                None => None,
            };
            if let Some((q, c)) = cost {
                self.charge(path, ResourceKind::Meta, q, c);
            }
            let next = if wrapper {
                level
            } else {
                level.saturating_add(1)
            };
            if !self.child(
                out,
                Ctx::Meta {
                    level: next,
                    top: false,
                },
                g,
                path,
            ) {
                return false;
            }
        }
        true
    }

    // ------------------------------------------------------------ arguments

    fn resolve(&self, name: &str) -> Resolved<'a> {
        let op: &'a OpDef<'a> = self.op;
        let Some((_, default)) = op.variables.iter().find(|(n, _)| *n == name) else {
            return Resolved::Undeclared;
        };
        if let Some(v) = self.vars.and_then(|vars| vars.get(name)) {
            return Resolved::Json(v);
        }
        match default {
            Some(d) => Resolved::Default(d),
            None => Resolved::Missing,
        }
    }

    fn undeclared(&mut self, name: &str, path: usize, offset: u32) {
        self.violation(
            ViolationCode::UndefinedVariable,
            format!("variable ${} is not declared by the operation", clip(name)),
            None,
            None,
            path,
            Some(offset),
        );
    }

    /// Checks a `limit` argument; returns the records it asks for.
    fn check_limit(&mut self, g: &Group<'a>, path: usize, max: u32, root: bool) -> Option<u32> {
        let value = g.limit()?;
        let offset = g.offset();
        let records: u64 = match value {
            Val::Int(i) => u64::try_from(*i).ok()?,
            Val::Var(name) => match self.resolve(name) {
                Resolved::Json(Json::Null) | Resolved::Missing => return None,
                Resolved::Json(j) => match j.as_u64() {
                    Some(n) => n,
                    None => {
                        self.violation(
                            ViolationCode::InvalidVariable,
                            format!(
                                "variable ${} used as `limit` is {}, expected a non-negative Int",
                                clip(name),
                                clip(&j.to_string())
                            ),
                            None,
                            None,
                            path,
                            Some(offset),
                        );
                        return None;
                    }
                },
                Resolved::Default(Val::Int(i)) => u64::try_from(*i).ok()?,
                Resolved::Default(_) => return None,
                Resolved::Undeclared => {
                    self.undeclared(name, path, offset);
                    return None;
                }
            },
            _ => return None,
        };
        if records > u64::from(max) {
            let level = if root { "root level" } else { "sub level" };
            self.violation(
                ViolationCode::RecordsLimitExceeded,
                format!("limit {records} exceeds Zoho's maximum of {max} records at {level}"),
                Some(u64::from(max)),
                Some(records),
                path,
                Some(offset),
            );
        }
        Some(u32::try_from(records).unwrap_or(u32::MAX))
    }

    /// Counts the criteria of a `where` argument (one per field operator; `and`/`or`
    /// lists opened), through variables, without recursion.
    fn check_filter(&mut self, g: &Group<'a>, path: usize) {
        let Some(filter) = g.filter() else { return };
        let offset = g.offset();
        enum Node<'v> {
            Gql(&'v Val<'v>),
            Json(&'v Json),
        }
        let mut count: u64 = 0;
        let mut stack = vec![Node::Gql(filter)];
        let mut undeclared: Vec<&'a str> = Vec::new();
        // Operators of one field: the keys of its object, at least one.
        let operators_gql = |v: &Val| -> u64 {
            match v {
                Val::Object(ops) => ops.len().max(1) as u64,
                _ => 1,
            }
        };
        while let Some(node) = stack.pop() {
            match node {
                Node::Gql(Val::Object(fields)) => {
                    for (k, v) in fields {
                        if *k == "and" || *k == "or" {
                            stack.push(Node::Gql(v));
                        } else if let Val::Var(name) = v {
                            match self.resolve(name) {
                                Resolved::Json(Json::Object(ops)) => {
                                    count += ops.len().max(1) as u64
                                }
                                Resolved::Undeclared => {
                                    undeclared.push(name);
                                    count += 1;
                                }
                                Resolved::Default(d) => count += operators_gql(d),
                                _ => count += 1,
                            }
                        } else {
                            count += operators_gql(v);
                        }
                    }
                }
                Node::Gql(Val::List(items)) => stack.extend(items.iter().map(Node::Gql)),
                Node::Gql(Val::Var(name)) => match self.resolve(name) {
                    Resolved::Json(j) => stack.push(Node::Json(j)),
                    Resolved::Default(d) => stack.push(Node::Gql(d)),
                    Resolved::Undeclared => undeclared.push(name),
                    Resolved::Missing => {}
                },
                Node::Gql(_) => {}
                Node::Json(Json::Object(fields)) => {
                    for (k, v) in fields {
                        if k == "and" || k == "or" {
                            stack.push(Node::Json(v));
                        } else {
                            count += match v {
                                Json::Object(ops) => ops.len().max(1) as u64,
                                _ => 1,
                            };
                        }
                    }
                }
                Node::Json(Json::Array(items)) => stack.extend(items.iter().map(Node::Json)),
                Node::Json(_) => {}
            }
        }
        for name in undeclared {
            self.undeclared(name, path, offset);
        }
        let count32 = u32::try_from(count).unwrap_or(u32::MAX);
        self.criteria = self.criteria.saturating_add(count32);
        let max = self.options.max_criteria;
        if count > u64::from(max) {
            self.violation(
                ViolationCode::CriteriaLimitExceeded,
                format!("{count} filter criteria; Zoho allows {max}"),
                Some(u64::from(max)),
                Some(count),
                path,
                Some(offset),
            );
        }
    }

    // ------------------------------------------------------------ totals

    fn totals_violations(&mut self) {
        let max = self.options.max_complexity;
        if self.complexity > max {
            let actual = self.complexity;
            self.push(Found {
                code: ViolationCode::ComplexityExceeded,
                message: format!(
                    "query complexity {actual} exceeds Zoho's limit of {max} (Zoho answers ExecutionAborted)"
                ),
                limit: Some(u64::from(max)),
                actual: Some(u64::from(actual)),
                path: Vec::new(),
                offset: None,
            });
        }
        let credits = self.quarters.div_ceil(QUARTERS_PER_CREDIT);
        let max = self.options.max_credits;
        if credits > max {
            self.push(Found {
                code: ViolationCode::CreditsExceeded,
                message: format!("the query costs {credits} credits; Zoho allows {max} per call"),
                limit: Some(u64::from(max)),
                actual: Some(u64::from(credits)),
                path: Vec::new(),
                offset: None,
            });
        }
    }
}
