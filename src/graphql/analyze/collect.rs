//! GraphQL's CollectFields: the fields of one or more selection sets, fragments and
//! inline fragments expanded, merged by response key in document order. Every item
//! visited counts against the expansion budget (`maxExpandedFields`), which bounds
//! the work a query of nested spreads can cause.

use rustc_hash::FxHashMap as HashMap;

use super::super::syntax::ast::{FieldNode, Item, SetId, Val};
use super::super::ViolationCode;
use super::report::Found;
use super::Analyzer;

/// Selections wider than this get a hash index of their response keys.
const WIDE_SELECTION: usize = 16;

/// The expansion budget is spent: the analysis stops where it is.
pub(super) struct Spent;

/// Fields of one selection merged under one response key. Most keys have one field:
/// it is held inline, so a group costs no allocation unless fields merge.
pub(super) struct Group<'a> {
    pub key: &'a str,
    first: &'a FieldNode<'a>,
    more: Vec<&'a FieldNode<'a>>,
}

impl<'a> Group<'a> {
    fn fields(&self) -> impl Iterator<Item = &'a FieldNode<'a>> + '_ {
        std::iter::once(self.first).chain(self.more.iter().copied())
    }
    pub(super) fn name(&self) -> &'a str {
        self.first.name
    }
    pub(super) fn offset(&self) -> u32 {
        self.first.offset
    }
    pub(super) fn has_selection(&self) -> bool {
        self.fields().any(|f| f.set.is_some())
    }
    pub(super) fn sets(&self) -> Vec<SetId> {
        self.fields().filter_map(|f| f.set).collect()
    }
    pub(super) fn limit(&self) -> Option<&'a Val<'a>> {
        self.fields().find_map(|f| f.limit.as_ref())
    }
    pub(super) fn filter(&self) -> Option<&'a Val<'a>> {
        self.fields().find_map(|f| f.filter.as_ref())
    }
}

impl<'a> Analyzer<'a> {
    /// The selection set of a fragment, by name; `None` when undefined or empty.
    pub(super) fn fragment_set(&self, name: &str) -> Option<SetId> {
        let doc: &'a _ = self.doc;
        self.fragments
            .get(name)
            .and_then(|&i| doc.fragments.get(i))
            .and_then(|f| f.set)
    }

    /// CollectFields over several selection sets: fields grouped by response key in
    /// document order.
    pub(super) fn collect(&mut self, sets: &[SetId]) -> Result<Vec<Group<'a>>, Spent> {
        let doc: &'a _ = self.doc;
        let direct: usize = sets.iter().map(|&s| doc.items(s).len()).sum();
        let mut groups: Vec<Group<'a>> = Vec::with_capacity(direct);
        // Response key → group; built only for wide selections, where a linear
        // search would be quadratic.
        let mut index: Option<HashMap<&'a str, usize>> = None;
        let mut expanded: Vec<usize> = Vec::new();
        let mut stack: Vec<(SetId, usize)> = sets.iter().rev().map(|&s| (s, 0)).collect();
        while let Some(top) = stack.last_mut() {
            let (set, pos) = *top;
            let Some(item) = doc.items(set).get(pos) else {
                stack.pop();
                continue;
            };
            top.1 += 1;
            self.visited = self.visited.saturating_add(1);
            if self.visited > self.options.max_expanded_fields {
                return Err(Spent);
            }
            match item {
                Item::Field(f) => {
                    let found = match &index {
                        Some(map) => map.get(f.key).copied(),
                        None => groups.iter().position(|g| g.key == f.key),
                    };
                    match found.and_then(|g| groups.get_mut(g)) {
                        Some(group) => group.more.push(f),
                        None => {
                            if let Some(map) = &mut index {
                                map.insert(f.key, groups.len());
                            }
                            groups.push(Group {
                                key: f.key,
                                first: f,
                                more: Vec::new(),
                            });
                            if index.is_none() && groups.len() > WIDE_SELECTION {
                                index = Some(
                                    groups.iter().enumerate().map(|(i, g)| (g.key, i)).collect(),
                                );
                            }
                        }
                    }
                }
                // Each fragment once per selection: a second spread adds nothing.
                Item::Spread { name, .. } => {
                    if let Some(&frag) = self.fragments.get(name) {
                        if !expanded.contains(&frag) {
                            expanded.push(frag);
                            let set = doc.fragments.get(frag).and_then(|f| f.set);
                            stack.extend(set.map(|s| (s, 0)));
                        }
                    }
                }
                Item::Inline { set } => stack.push((*set, 0)),
            }
        }
        Ok(groups)
    }

    /// Reports that the expansion budget is spent.
    pub(super) fn budget_spent(&mut self) {
        let limit = self.options.max_expanded_fields;
        self.push(Found {
            limit: Some(u64::from(limit)),
            ..Found::new(
                ViolationCode::AnalysisLimitExceeded,
                format!("fragment expansion visits more than {limit} fields; analysis stopped"),
            )
        });
    }
}
