//! Arguments Zoho limits: `limit` (records per query) and `where` (filter criteria),
//! read through the operation's variables and their defaults, without recursion.

use serde_json::Value as Json;

use super::super::syntax::ast::{OpDef, Val};
use super::super::ViolationCode;
use super::collect::Group;
use super::Analyzer;
use crate::error::clip;

/// What a variable resolves to.
enum Resolved<'a> {
    Json(&'a Json),
    Default(&'a Val<'a>),
    Missing,
    Undeclared,
}

impl<'a> Analyzer<'a> {
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
    pub(super) fn check_limit(
        &mut self,
        g: &Group<'a>,
        path: usize,
        max: u32,
        root: bool,
    ) -> Option<u32> {
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
            self.exceeded(
                ViolationCode::RecordsLimitExceeded,
                format!("limit {records} exceeds Zoho's maximum of {max} records at {level}"),
                max,
                records,
                path,
                Some(offset),
            );
        }
        Some(u32::try_from(records).unwrap_or(u32::MAX))
    }

    /// Counts the criteria of a `where` argument and checks them against the limit.
    pub(super) fn check_filter(&mut self, g: &Group<'a>, path: usize) {
        let Some(filter) = g.filter() else { return };
        let offset = g.offset();
        let Criteria { count, undeclared } = self.count_criteria(filter);
        for name in undeclared {
            self.undeclared(name, path, offset);
        }
        let count32 = u32::try_from(count).unwrap_or(u32::MAX);
        self.criteria = self.criteria.saturating_add(count32);
        let max = self.options.max_criteria;
        if count > u64::from(max) {
            self.exceeded(
                ViolationCode::CriteriaLimitExceeded,
                format!("{count} filter criteria; Zoho allows {max}"),
                max,
                count,
                path,
                Some(offset),
            );
        }
    }

    /// The criteria of a `where` value: one per field operator, `and`/`or` lists
    /// opened, variables followed into the request's JSON or their defaults.
    fn count_criteria(&self, filter: &'a Val<'a>) -> Criteria<'a> {
        enum Node<'v> {
            Gql(&'v Val<'v>),
            Json(&'v Json),
        }
        let mut count: u64 = 0;
        let mut stack = vec![Node::Gql(filter)];
        let mut undeclared: Vec<&'a str> = Vec::new();
        while let Some(node) = stack.pop() {
            match node {
                Node::Gql(Val::Object(fields)) => {
                    for (k, v) in fields {
                        if *k == "and" || *k == "or" {
                            stack.push(Node::Gql(v));
                        } else if let Val::Var(name) = v {
                            match self.resolve(name) {
                                Resolved::Json(j) => count += operators_json(j),
                                Resolved::Undeclared => {
                                    undeclared.push(name);
                                    count += 1;
                                }
                                Resolved::Default(d) => count += operators_gql(d),
                                Resolved::Missing => count += 1,
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
                            count += operators_json(v);
                        }
                    }
                }
                Node::Json(Json::Array(items)) => stack.extend(items.iter().map(Node::Json)),
                Node::Json(_) => {}
            }
        }
        Criteria { count, undeclared }
    }
}

/// Criteria counted in a `where` value, and the undeclared variables met on the way.
struct Criteria<'a> {
    count: u64,
    undeclared: Vec<&'a str>,
}

/// Operators of one field: the keys of its object, at least one.
fn operators_gql(v: &Val) -> u64 {
    match v {
        Val::Object(ops) => ops.len().max(1) as u64,
        _ => 1,
    }
}

fn operators_json(v: &Json) -> u64 {
    match v {
        Json::Object(ops) => ops.len().max(1) as u64,
        _ => 1,
    }
}
