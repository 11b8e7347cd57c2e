//! The parsed document, reduced to what the Zoho rules need (response keys, names,
//! `limit` and `where` arguments, fragments, variable defaults, byte offsets), with
//! selection sets addressed by index so that fragment expansion and field merging can
//! run iteratively. Names are slices of the query itself.

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
    /// Byte offset of the field (its alias or name) in the query.
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

/// The parsed document. The items of every selection set are in one arena, each set
/// a contiguous range of it (one allocation for the whole document, not one per set).
#[derive(Debug, Default)]
pub(crate) struct Doc<'q> {
    pub items: Vec<Item<'q>>,
    /// Start and end of each selection set in `items`.
    pub sets: Vec<(u32, u32)>,
    pub operations: Vec<OpDef<'q>>,
    pub fragments: Vec<FragDef<'q>>,
}

impl<'q> Doc<'q> {
    /// The items of a selection set (none for an unknown id).
    pub(crate) fn items(&self, set: SetId) -> &[Item<'q>] {
        self.sets
            .get(set)
            .and_then(|&(start, end)| self.items.get(start as usize..end as usize))
            .unwrap_or_default()
    }
}
