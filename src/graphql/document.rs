//! Lowering of apollo-parser's lossless syntax tree into a small arena: only what the
//! Zoho rules need (response keys, names, `limit` and `where` arguments, fragments,
//! variable defaults, byte offsets), with selection sets addressed by index so that
//! fragment expansion and field merging can run iteratively.
//!
//! Lowering is only done on a tree without syntax errors, whose nesting the parser
//! already capped (`Parser::recursion_limit`). Values are lowered recursively with an
//! explicit depth cap all the same.

use apollo_parser::cst::{self, CstNode};

/// Index of a selection set in [`Doc::sets`].
pub(crate) type SetId = usize;

/// The kind of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpKind {
    Query,
    Mutation,
    Subscription,
}

/// An argument value, reduced to what the rules read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Int(i64),
    /// Float, string, boolean, enum: values whose content the rules never need.
    Other,
    Null,
    Var(String),
    List(Vec<Val>),
    Object(Vec<(String, Val)>),
}

/// A field selection.
#[derive(Debug, Clone)]
pub(crate) struct FieldNode {
    /// Response key: the alias, or the name.
    pub key: String,
    pub name: String,
    /// Byte offset of the field in the query.
    pub offset: u32,
    /// The `limit` argument.
    pub limit: Option<Val>,
    /// The `where` argument (record filters).
    pub filter: Option<Val>,
    pub set: Option<SetId>,
}

/// One entry of a selection set.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    Field(FieldNode),
    Spread { name: String, offset: u32 },
    Inline { set: SetId },
}

/// An operation definition.
#[derive(Debug, Clone)]
pub(crate) struct OpDef {
    pub name: Option<String>,
    pub kind: OpKind,
    pub offset: u32,
    pub set: Option<SetId>,
    /// Declared variables with their default values.
    pub variables: Vec<(String, Option<Val>)>,
}

/// A fragment definition.
#[derive(Debug, Clone)]
pub(crate) struct FragDef {
    pub name: String,
    pub set: Option<SetId>,
}

/// The lowered document.
#[derive(Debug, Default)]
pub(crate) struct Doc {
    pub sets: Vec<Vec<Item>>,
    pub operations: Vec<OpDef>,
    pub fragments: Vec<FragDef>,
}

/// Deepest argument value lowered; deeper parts become `Null` (the parser's own
/// recursion limit is lower by default).
const MAX_VALUE_DEPTH: u32 = 300;

fn offset_of<N: CstNode>(node: &N) -> u32 {
    u32::from(node.syntax().text_range().start())
}

fn name_text(name: Option<cst::Name>) -> String {
    name.and_then(|n| n.ident_token())
        .map(|t| t.text().to_owned())
        .unwrap_or_default()
}

fn lower_value(value: &cst::Value, depth: u32) -> Val {
    if depth > MAX_VALUE_DEPTH {
        return Val::Null;
    }
    match value {
        cst::Value::Variable(v) => Val::Var(name_text(v.name())),
        cst::Value::IntValue(i) => i
            .int_token()
            .and_then(|t| t.text().parse::<i64>().ok())
            .map_or(Val::Other, Val::Int),
        cst::Value::NullValue(_) => Val::Null,
        cst::Value::ListValue(l) => Val::List(
            l.values()
                .map(|v| lower_value(&v, depth.saturating_add(1)))
                .collect(),
        ),
        cst::Value::ObjectValue(o) => Val::Object(
            o.object_fields()
                .map(|f| {
                    let v = f
                        .value()
                        .map_or(Val::Null, |v| lower_value(&v, depth.saturating_add(1)));
                    (name_text(f.name()), v)
                })
                .collect(),
        ),
        cst::Value::StringValue(_)
        | cst::Value::FloatValue(_)
        | cst::Value::BooleanValue(_)
        | cst::Value::EnumValue(_) => Val::Other,
    }
}

impl Doc {
    /// Lowers a parsed document. Type-system definitions are ignored (Zoho takes
    /// executable documents only; the parser accepts both).
    pub(crate) fn lower(document: &cst::Document) -> Doc {
        let mut doc = Doc::default();
        let mut pending: Vec<(cst::SelectionSet, SetId)> = Vec::new();
        for def in document.definitions() {
            match def {
                cst::Definition::OperationDefinition(op) => {
                    let kind = match op.operation_type() {
                        Some(t) if t.mutation_token().is_some() => OpKind::Mutation,
                        Some(t) if t.subscription_token().is_some() => OpKind::Subscription,
                        _ => OpKind::Query,
                    };
                    let variables = op
                        .variable_definitions()
                        .map(|defs| {
                            defs.variable_definitions()
                                .map(|d| {
                                    let name = name_text(d.variable().and_then(|v| v.name()));
                                    let default = d
                                        .default_value()
                                        .and_then(|dv| dv.value())
                                        .map(|v| lower_value(&v, 0));
                                    (name, default)
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    let set = op.selection_set().map(|s| doc.push_set(s, &mut pending));
                    doc.operations.push(OpDef {
                        name: op.name().map(|n| name_text(Some(n))),
                        kind,
                        offset: offset_of(&op),
                        set,
                        variables,
                    });
                }
                cst::Definition::FragmentDefinition(frag) => {
                    let set = frag.selection_set().map(|s| doc.push_set(s, &mut pending));
                    doc.fragments.push(FragDef {
                        name: name_text(frag.fragment_name().and_then(|n| n.name())),
                        set,
                    });
                }
                _ => {}
            }
            // Fill the selection sets iteratively: each set pushes its children.
            while let Some((set, id)) = pending.pop() {
                let items = set
                    .selections()
                    .map(|sel| doc.lower_selection(sel, &mut pending))
                    .collect();
                if let Some(slot) = doc.sets.get_mut(id) {
                    *slot = items;
                }
            }
        }
        doc
    }

    fn push_set(
        &mut self,
        set: cst::SelectionSet,
        pending: &mut Vec<(cst::SelectionSet, SetId)>,
    ) -> SetId {
        let id = self.sets.len();
        self.sets.push(Vec::new());
        pending.push((set, id));
        id
    }

    fn lower_selection(
        &mut self,
        sel: cst::Selection,
        pending: &mut Vec<(cst::SelectionSet, SetId)>,
    ) -> Item {
        match sel {
            cst::Selection::Field(field) => {
                let name = name_text(field.name());
                let key = field
                    .alias()
                    .and_then(|a| a.name())
                    .map_or_else(|| name.clone(), |n| name_text(Some(n)));
                let mut limit = None;
                let mut filter = None;
                if let Some(args) = field.arguments() {
                    for arg in args.arguments() {
                        let arg_name = name_text(arg.name());
                        let value = arg.value().map_or(Val::Null, |v| lower_value(&v, 0));
                        match arg_name.as_str() {
                            "limit" => limit = Some(value),
                            "where" => filter = Some(value),
                            _ => {}
                        }
                    }
                }
                let offset = offset_of(&field);
                let set = field.selection_set().map(|s| self.push_set(s, pending));
                Item::Field(FieldNode {
                    key,
                    name,
                    offset,
                    limit,
                    filter,
                    set,
                })
            }
            cst::Selection::FragmentSpread(spread) => Item::Spread {
                name: name_text(spread.fragment_name().and_then(|n| n.name())),
                offset: offset_of(&spread),
            },
            cst::Selection::InlineFragment(inline) => {
                let set = match inline.selection_set() {
                    Some(s) => self.push_set(s, pending),
                    None => {
                        self.sets.push(Vec::new());
                        self.sets.len().saturating_sub(1)
                    }
                };
                Item::Inline { set }
            }
        }
    }
}
