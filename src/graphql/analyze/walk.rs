//! The walk: one iterative pass over the merged selection tree, on an explicit task
//! stack. Each task is a collected selection in a place of Zoho's shape ([`Ctx`]);
//! its visitor charges the resources found there, runs the checks that apply and
//! queues the selections below. The walk stops when the expansion budget is spent.

use super::super::limits;
use super::super::syntax::ast::Item;
use super::super::{DepthConvention, ResourceKind};
use super::collect::{Group, Spent};
use super::{Analyzer, NO_PARENT};

/// Where a selection set sits in Zoho's shape.
#[derive(Clone, Copy)]
pub(super) enum Ctx {
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

/// A collected selection waiting to be visited.
pub(super) struct Task<'a> {
    ctx: Ctx,
    groups: Vec<Group<'a>>,
    /// The selection's field in the path arena.
    path: usize,
}

/// What a visitor returns: `Err` when the expansion budget is spent.
type Visit = Result<(), Spent>;

impl<'a> Analyzer<'a> {
    /// Walks the operation's selection tree in document order.
    pub(super) fn walk(&mut self) {
        if self.walk_tasks().is_err() {
            self.budget_spent();
        }
    }

    fn walk_tasks(&mut self) -> Visit {
        let Some(op_set) = self.op.set else {
            return Ok(());
        };
        let groups = self.collect(&[op_set])?;
        let mut tasks = vec![Task {
            ctx: Ctx::Operation,
            groups,
            path: NO_PARENT,
        }];
        while let Some(task) = tasks.pop() {
            match task.ctx {
                Ctx::Operation => self.visit_operation(&task),
                Ctx::Records => self.visit_records(&task),
                Ctx::Connection { depth, root } => self.visit_connection(&task, depth, root),
                Ctx::Record { depth, root } => self.visit_record(&task, depth, root),
                Ctx::Meta { level, top } => self.visit_meta(&task, level, top),
            }?;
            // Children in reverse, so that they are visited in document order.
            tasks.extend(self.children.drain(..).rev());
        }
        Ok(())
    }

    /// Queues the selection of a group, collected now (the budget counts as the
    /// query is read, so that the walk stops where the budget runs out).
    fn child(&mut self, ctx: Ctx, group: &Group<'a>, path: usize) -> Visit {
        let sets = group.sets();
        if !sets.is_empty() {
            let groups = self.collect(&sets)?;
            self.children.push(Task { ctx, groups, path });
        }
        Ok(())
    }

    fn visit_operation(&mut self, task: &Task<'a>) -> Visit {
        for g in &task.groups {
            let path = self.add_path(task.path, g.key);
            match g.name() {
                "Records" => self.child(Ctx::Records, g, path)?,
                "Meta" => self.child(
                    Ctx::Meta {
                        level: 1,
                        top: true,
                    },
                    g,
                    path,
                )?,
                "__typename" | "__schema" | "__type" => {}
                _ => {
                    // Not in Zoho's documented shape: charge it as a root resource.
                    let (q, c) = limits::UNKNOWN_META_COST;
                    self.charge(path, ResourceKind::Other, q, c);
                }
            }
        }
        Ok(())
    }

    fn visit_records(&mut self, task: &Task<'a>) -> Visit {
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
            self.child(Ctx::Connection { depth, root: true }, g, path)?;
        }
        Ok(())
    }

    fn visit_connection(&mut self, task: &Task<'a>, depth: u32, root: bool) -> Visit {
        for g in task.groups.iter().filter(|g| g.name() == "_data") {
            let path = self.add_path(task.path, g.key);
            self.child(Ctx::Record { depth, root }, g, path)?;
        }
        Ok(())
    }

    /// The fields of one record: the relations among them are charged and walked,
    /// plain fields only count against the fields limit.
    fn visit_record(&mut self, task: &Task<'a>, depth: u32, root: bool) -> Visit {
        self.check_fields(&task.groups, task.path);
        let mut relations: u32 = 0;
        let mut first_excess = None;
        for g in task.groups.iter().filter(|g| g.has_selection()) {
            let Some(kind) = self.classify(g) else {
                continue;
            };
            relations = relations.saturating_add(1);
            let path = self.add_path(task.path, g.key);
            if relations == self.options.max_relations_per_resource.saturating_add(1) {
                first_excess = Some(g.offset());
            }
            let depth = depth.saturating_add(1);
            self.charge_relation(g, kind, path);
            if kind != ResourceKind::Lookup && !root {
                self.child_not_at_root(g, path);
            }
            self.record_depth(depth, path, g.offset());
            let ctx = if kind == ResourceKind::ChildRelation {
                self.check_limit(g, path, self.options.max_sub_records, false);
                self.check_filter(g, path);
                Ctx::Connection { depth, root: false }
            } else {
                Ctx::Record { depth, root: false }
            };
            self.child(ctx, g, path)?;
        }
        self.check_relations(relations, task.path, first_excess);
        Ok(())
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
        let mut spreads = Vec::new();
        let mut steps = 0u32;
        while let Some(id) = stack.pop() {
            steps = steps.saturating_add(1);
            if steps > limits::MAX_NESTING_CEILING {
                break;
            }
            for item in self.doc.items(id) {
                match item {
                    Item::Field(f) if f.name == "_data" => {
                        return Some(ResourceKind::ChildRelation);
                    }
                    Item::Field(f) => lookup |= f.set.is_some(),
                    Item::Inline { set } => stack.push(*set),
                    Item::Spread { name, .. } => {
                        if let Some(s) = self.fragment_set(name) {
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

    fn visit_meta(&mut self, task: &Task<'a>, level: u32, top: bool) -> Visit {
        let lenient = self.options.depth_convention == DepthConvention::Lenient;
        for g in task.groups.iter().filter(|g| g.name() != "__typename") {
            let name = g.name();
            let path = self.add_path(task.path, g.key);
            // Lenient depth skips the `_data`/`_info` wrappers of a metadata list.
            let wrapper = lenient && (name == "_data" || name == "_info");
            if !wrapper {
                self.meta_depth(level, path, g.offset());
            }
            let cost = match limits::meta_cost(name) {
                Some(c) => Some(c),
                None if top => Some(limits::UNKNOWN_META_COST),
                None => None,
            };
            if let Some((q, c)) = cost {
                self.charge(path, ResourceKind::Meta, q, c);
            }
            let level = if wrapper {
                level
            } else {
                level.saturating_add(1)
            };
            self.child(Ctx::Meta { level, top: false }, g, path)?;
        }
        Ok(())
    }
}
