//! Fragments the operation reaches: spreads of undefined fragments and cycles among
//! definitions, found before the walk (a cycle would expand forever). The search is
//! an iterative depth-first search over the spread graph, each fragment's spreads
//! computed once.

use super::super::syntax::ast::{Item, SetId};
use super::super::ViolationCode;
use super::report::Found;
use super::Analyzer;
use crate::error::clip;

/// A spread: the fragment's name and the byte offset of the spread.
type Spread<'a> = (&'a str, u32);

/// Where a fragment stands in the depth-first search.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Unseen,
    /// On the search stack: a spread of it closes a cycle.
    Open,
    Done,
}

/// The state of the search over every fragment definition.
struct Search<'a> {
    /// Spreads of each reached fragment, computed once.
    edges: Vec<Option<Vec<Spread<'a>>>>,
    mark: Vec<Mark>,
    /// Unknown names already reported.
    unknown: Vec<&'a str>,
    acyclic: bool,
}

impl<'a> Analyzer<'a> {
    /// Spreads found in a selection set and its nested fields (not following spreads).
    fn spreads_in(&self, set: SetId) -> Vec<Spread<'a>> {
        let mut out = Vec::new();
        let mut stack = vec![set];
        while let Some(id) = stack.pop() {
            for item in self.doc.items(id) {
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
    pub(super) fn check_fragments(&mut self) -> bool {
        let Some(op_set) = self.op.set else {
            return true;
        };
        let n = self.doc.fragments.len();
        let mut search = Search {
            edges: vec![None; n],
            mark: vec![Mark::Unseen; n],
            unknown: Vec::new(),
            acyclic: true,
        };
        for (name, offset) in self.spreads_in(op_set) {
            let Some(&start) = self.fragments.get(name) else {
                self.unknown_fragment(&mut search.unknown, name, offset);
                continue;
            };
            if search.mark.get(start) == Some(&Mark::Unseen) {
                self.search_from(start, &mut search);
            }
        }
        search.acyclic
    }

    /// Depth-first search from one fragment: (fragment, index of its next spread).
    fn search_from(&mut self, start: usize, search: &mut Search<'a>) {
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        set_mark(&mut search.mark, start, Mark::Open);
        while let Some(&mut (frag, ref mut next)) = stack.last_mut() {
            if search.edges.get(frag).is_some_and(Option::is_none) {
                let list = self
                    .doc
                    .fragments
                    .get(frag)
                    .and_then(|f| f.set)
                    .map(|s| self.spreads_in(s))
                    .unwrap_or_default();
                if let Some(e) = search.edges.get_mut(frag) {
                    *e = Some(list);
                }
            }
            let edge = search
                .edges
                .get(frag)
                .and_then(|e| e.as_ref())
                .and_then(|e| e.get(*next))
                .copied();
            *next += 1;
            let Some((child_name, offset)) = edge else {
                set_mark(&mut search.mark, frag, Mark::Done);
                stack.pop();
                continue;
            };
            let Some(&child) = self.fragments.get(child_name) else {
                self.unknown_fragment(&mut search.unknown, child_name, offset);
                continue;
            };
            match search.mark.get(child) {
                Some(Mark::Unseen) => {
                    set_mark(&mut search.mark, child, Mark::Open);
                    stack.push((child, 0));
                }
                Some(Mark::Open) => {
                    search.acyclic = false;
                    self.cycle(&stack, child, child_name, offset);
                }
                _ => {}
            }
        }
    }

    /// Reports the cycle closed by a spread of `child`, which is on the stack.
    fn cycle(&mut self, stack: &[(usize, usize)], child: usize, child_name: &str, offset: u32) {
        let from = stack.iter().position(|&(f, _)| f == child).unwrap_or(0);
        let mut cycle: Vec<String> = stack
            .get(from..)
            .unwrap_or_default()
            .iter()
            .filter_map(|&(f, _)| self.doc.fragments.get(f).map(|d| d.name.to_owned()))
            .collect();
        cycle.push(child_name.to_owned());
        let message = format!("fragments spread each other: {}", clip(&cycle.join(" → ")));
        self.push(Found {
            path: cycle,
            offset: Some(offset),
            ..Found::new(ViolationCode::FragmentCycle, message)
        });
    }

    fn unknown_fragment(&mut self, seen: &mut Vec<&'a str>, name: &'a str, offset: u32) {
        if seen.contains(&name) {
            return;
        }
        seen.push(name);
        self.push(Found {
            offset: Some(offset),
            ..Found::new(
                ViolationCode::UnknownFragment,
                format!("unknown fragment {:?}", clip(name)),
            )
        });
    }
}

fn set_mark(marks: &mut [Mark], frag: usize, mark: Mark) {
    if let Some(m) = marks.get_mut(frag) {
        *m = mark;
    }
}
