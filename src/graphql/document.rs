//! Lowering of apollo-parser's lossless syntax tree into a small arena: only what the
//! Zoho rules need (response keys, names, `limit` and `where` arguments, fragments,
//! variable defaults, byte offsets), with selection sets addressed by index so that
//! fragment expansion and field merging can run iteratively.
//!
//! The walk reads rowan's *green* tree (kinds, lengths, children) rather than the
//! typed CST: the typed accessors allocate a cursor node per child visited, which
//! made lowering cost as much as parsing. Names are slices of the query itself (the
//! tree is lossless, so offsets computed from lengths index the query exactly).
//!
//! Lowering is only done on a tree without syntax errors, whose nesting the parser
//! already capped (`Parser::recursion_limit`). Selection sets are lowered iteratively;
//! values recursively under an explicit depth cap.

use apollo_parser::SyntaxKind as K;
use rowan::{GreenNodeData, NodeOrToken};

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
pub(crate) enum Val<'q> {
    Int(i64),
    /// Float, string, boolean, enum: values whose content the rules never need.
    Other,
    Null,
    Var(&'q str),
    List(Vec<Val<'q>>),
    Object(Vec<(&'q str, Val<'q>)>),
}

/// A field selection.
#[derive(Debug, Clone)]
pub(crate) struct FieldNode<'q> {
    /// Response key: the alias, or the name.
    pub key: &'q str,
    pub name: &'q str,
    /// Byte offset of the field in the query.
    pub offset: u32,
    /// The `limit` argument.
    pub limit: Option<Val<'q>>,
    /// The `where` argument (record filters).
    pub filter: Option<Val<'q>>,
    pub set: Option<SetId>,
}

/// One entry of a selection set.
#[derive(Debug, Clone)]
pub(crate) enum Item<'q> {
    Field(FieldNode<'q>),
    Spread { name: &'q str, offset: u32 },
    Inline { set: SetId },
}

/// An operation definition.
#[derive(Debug, Clone)]
pub(crate) struct OpDef<'q> {
    pub name: Option<&'q str>,
    pub kind: OpKind,
    pub offset: u32,
    pub set: Option<SetId>,
    /// Declared variables with their default values.
    pub variables: Vec<(&'q str, Option<Val<'q>>)>,
}

/// A fragment definition.
#[derive(Debug, Clone)]
pub(crate) struct FragDef<'q> {
    pub name: &'q str,
    pub set: Option<SetId>,
}

/// The lowered document.
#[derive(Debug, Default)]
pub(crate) struct Doc<'q> {
    pub sets: Vec<Vec<Item<'q>>>,
    pub operations: Vec<OpDef<'q>>,
    pub fragments: Vec<FragDef<'q>>,
}

/// Deepest argument value lowered; deeper parts become `Null` (the parser's own
/// recursion limit, at most 256, stops well before).
const MAX_VALUE_DEPTH: u32 = 300;

/// A green node with the byte offset where it starts in the query.
#[derive(Clone, Copy)]
struct At<'g> {
    node: &'g GreenNodeData,
    offset: u32,
}

fn is(kind: rowan::SyntaxKind, k: K) -> bool {
    kind.0 == k as u16
}

impl<'g> At<'g> {
    fn kind(self) -> rowan::SyntaxKind {
        self.node.kind()
    }

    /// Child nodes with their offsets (tokens skipped).
    fn nodes(self) -> impl Iterator<Item = At<'g>> {
        let mut offset = self.offset;
        self.node.children().filter_map(move |child| {
            let start = offset;
            offset = offset.saturating_add(u32::from(child.text_len()));
            child.into_node().map(|node| At {
                node,
                offset: start,
            })
        })
    }

    /// The first child node of a kind.
    fn child(self, k: K) -> Option<At<'g>> {
        self.nodes().find(|n| is(n.kind(), k))
    }

    /// Whether a token of a kind is a direct child.
    fn has_token(self, k: K) -> bool {
        self.node
            .children()
            .any(|c| matches!(c, NodeOrToken::Token(t) if is(t.kind(), k)))
    }

    /// Offset and length of the first token of a kind among the direct children.
    fn token(self, k: K) -> Option<(u32, u32)> {
        let mut offset = self.offset;
        for child in self.node.children() {
            let len = u32::from(child.text_len());
            if let NodeOrToken::Token(t) = child {
                if is(t.kind(), k) {
                    return Some((offset, len));
                }
            }
            offset = offset.saturating_add(len);
        }
        None
    }
}

struct Lowering<'q, 'g> {
    query: &'q str,
    doc: Doc<'q>,
    pending: Vec<(At<'g>, SetId)>,
}

impl<'q, 'g> Lowering<'q, 'g> {
    fn text(&self, (offset, len): (u32, u32)) -> &'q str {
        let start = offset as usize;
        self.query
            .get(start..start.saturating_add(len as usize))
            .unwrap_or_default()
    }

    /// The text of a `NAME` node (its identifier).
    fn name(&self, name: Option<At<'g>>) -> &'q str {
        name.and_then(|n| n.token(K::IDENT))
            .map_or("", |t| self.text(t))
    }

    fn push_set(&mut self, set: At<'g>) -> SetId {
        let id = self.doc.sets.len();
        self.doc.sets.push(Vec::new());
        self.pending.push((set, id));
        id
    }

    fn value(&self, value: At<'g>, depth: u32) -> Val<'q> {
        if depth > MAX_VALUE_DEPTH {
            return Val::Null;
        }
        let kind = value.kind();
        if is(kind, K::VARIABLE) {
            Val::Var(self.name(value.child(K::NAME)))
        } else if is(kind, K::INT_VALUE) {
            value
                .token(K::INT)
                .and_then(|t| self.text(t).parse::<i64>().ok())
                .map_or(Val::Other, Val::Int)
        } else if is(kind, K::NULL_VALUE) {
            Val::Null
        } else if is(kind, K::LIST_VALUE) {
            Val::List(
                value
                    .nodes()
                    .map(|v| self.value(v, depth.saturating_add(1)))
                    .collect(),
            )
        } else if is(kind, K::OBJECT_VALUE) {
            Val::Object(
                value
                    .nodes()
                    .filter(|f| is(f.kind(), K::OBJECT_FIELD))
                    .map(|f| {
                        let name = self.name(f.child(K::NAME));
                        let v = f
                            .nodes()
                            .find(|n| !is(n.kind(), K::NAME))
                            .map_or(Val::Null, |v| self.value(v, depth.saturating_add(1)));
                        (name, v)
                    })
                    .collect(),
            )
        } else {
            Val::Other
        }
    }

    fn operation(&mut self, op: At<'g>) {
        let kind = match op.child(K::OPERATION_TYPE) {
            Some(t) if t.has_token(K::mutation_KW) => OpKind::Mutation,
            Some(t) if t.has_token(K::subscription_KW) => OpKind::Subscription,
            _ => OpKind::Query,
        };
        let variables = op
            .child(K::VARIABLE_DEFINITIONS)
            .map(|defs| {
                defs.nodes()
                    .filter(|d| is(d.kind(), K::VARIABLE_DEFINITION))
                    .map(|d| {
                        let name = self.name(d.child(K::VARIABLE).and_then(|v| v.child(K::NAME)));
                        let default = d
                            .child(K::DEFAULT_VALUE)
                            .and_then(|dv| dv.nodes().next())
                            .map(|v| self.value(v, 0));
                        (name, default)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let name = op.child(K::NAME).map(|n| self.name(Some(n)));
        let set = op.child(K::SELECTION_SET).map(|s| self.push_set(s));
        self.doc.operations.push(OpDef {
            name,
            kind,
            offset: op.offset,
            set,
            variables,
        });
    }

    fn selection(&mut self, sel: At<'g>) -> Option<Item<'q>> {
        let kind = sel.kind();
        if is(kind, K::FIELD) {
            let name = self.name(sel.child(K::NAME));
            let key = match sel.child(K::ALIAS) {
                Some(alias) => self.name(alias.child(K::NAME)),
                None => name,
            };
            let mut limit = None;
            let mut filter = None;
            if let Some(args) = sel.child(K::ARGUMENTS) {
                for arg in args.nodes().filter(|a| is(a.kind(), K::ARGUMENT)) {
                    let arg_name = self.name(arg.child(K::NAME));
                    if arg_name != "limit" && arg_name != "where" {
                        continue;
                    }
                    let value = arg
                        .nodes()
                        .find(|n| !is(n.kind(), K::NAME))
                        .map_or(Val::Null, |v| self.value(v, 0));
                    if arg_name == "limit" {
                        limit = Some(value);
                    } else {
                        filter = Some(value);
                    }
                }
            }
            let set = sel.child(K::SELECTION_SET).map(|s| self.push_set(s));
            Some(Item::Field(FieldNode {
                key,
                name,
                offset: sel.offset,
                limit,
                filter,
                set,
            }))
        } else if is(kind, K::FRAGMENT_SPREAD) {
            let name = self.name(sel.child(K::FRAGMENT_NAME).and_then(|f| f.child(K::NAME)));
            Some(Item::Spread {
                name,
                offset: sel.offset,
            })
        } else if is(kind, K::INLINE_FRAGMENT) {
            let set = match sel.child(K::SELECTION_SET) {
                Some(s) => self.push_set(s),
                None => {
                    self.doc.sets.push(Vec::new());
                    self.doc.sets.len().saturating_sub(1)
                }
            };
            Some(Item::Inline { set })
        } else {
            None
        }
    }
}

impl<'q> Doc<'q> {
    /// The items of a selection set (none for an unknown id).
    pub(crate) fn items(&self, set: SetId) -> &[Item<'q>] {
        self.sets.get(set).map_or(&[], Vec::as_slice)
    }

    /// Lowers a parsed document; `query` is the text it was parsed from. Type-system
    /// definitions are ignored (Zoho takes executable documents only).
    pub(crate) fn lower(query: &'q str, root: &GreenNodeData) -> Doc<'q> {
        let mut l = Lowering {
            query,
            doc: Doc::default(),
            pending: Vec::new(),
        };
        let document = At {
            node: root,
            offset: 0,
        };
        for def in document.nodes() {
            let kind = def.kind();
            if is(kind, K::OPERATION_DEFINITION) {
                l.operation(def);
            } else if is(kind, K::FRAGMENT_DEFINITION) {
                let name = l.name(def.child(K::FRAGMENT_NAME).and_then(|f| f.child(K::NAME)));
                let set = def.child(K::SELECTION_SET).map(|s| l.push_set(s));
                l.doc.fragments.push(FragDef { name, set });
            }
            // Fill the selection sets iteratively: each set queues its children.
            while let Some((set, id)) = l.pending.pop() {
                let items: Vec<Item<'q>> = set.nodes().filter_map(|s| l.selection(s)).collect();
                if let Some(slot) = l.doc.sets.get_mut(id) {
                    *slot = items;
                }
            }
        }
        l.doc
    }
}
