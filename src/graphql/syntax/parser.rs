//! Recursive-descent parser of GraphQL's executable documents (October 2021 spec,
//! §2.2-2.12): operations, variable definitions, selection sets, fields with aliases,
//! arguments and directives, fragment spreads, inline fragments, fragment definitions,
//! values. It builds the [`Doc`] directly: only `limit` and `where` argument values and
//! variable defaults are kept; every other value is checked and dropped.
//!
//! Bounds on hostile input:
//! - nesting: selection sets, list and object values and list types share one depth
//!   counter, capped by `maxNesting` (at most 256). Past it, parsing stops with one
//!   limit error, so recursion never goes deeper than the cap;
//! - work: one token of lookahead, every step consumes a token or stops, so the cost is
//!   linear in the query (itself capped by `maxQueryBytes`);
//! - errors: after a syntax error the parser skips to the next definition (the braces
//!   of the broken one balanced) and carries on, up to `MAX_VIOLATIONS` errors.

use super::ast::{Doc, FieldNode, FragDef, Item, OpDef, OpKind, SetId, Val};
use super::lexer::{Kind, Lexer, Token};
use super::SyntaxError;
use crate::error::clip;
use crate::graphql::limits::MAX_VIOLATIONS;

/// Why a definition stopped.
enum Stop {
    /// A syntax error, recorded: skip to the next definition.
    Syntax,
    /// Nesting over the limit, recorded: stop parsing.
    Limit,
}

type P<T> = Result<T, Stop>;

/// An arena index as u32: the query is at most 16 MiB, so never more items than that.
fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

pub(super) struct Parser<'q> {
    lex: Lexer<'q>,
    tok: Token,
    doc: Doc<'q>,
    errors: Vec<SyntaxError>,
    /// Items of the selection sets being parsed; a set moves its own into the arena
    /// when it closes (children close first, so each set's items are contiguous).
    scratch: Vec<Item<'q>>,
    depth: u32,
    max_depth: u32,
    /// `{` opened and not closed in the current definition (for error recovery).
    open: u32,
}

impl<'q> Parser<'q> {
    pub(super) fn new(query: &'q str, max_depth: u32) -> Self {
        let mut lex = Lexer::new(query);
        let tok = lex.next_token();
        // Room for a typical query's items at once (a field is ~16 bytes of text),
        // bounded so that a large query still grows as it goes.
        let items = (query.len() / 16).min(1024);
        Parser {
            lex,
            tok,
            doc: Doc {
                items: Vec::with_capacity(items),
                sets: Vec::with_capacity(items / 4),
                ..Doc::default()
            },
            errors: Vec::new(),
            scratch: Vec::with_capacity(64),
            depth: 0,
            max_depth,
            open: 0,
        }
    }

    /// Parses the whole document.
    pub(super) fn document(mut self) -> Result<Doc<'q>, Vec<SyntaxError>> {
        while self.tok.kind != Kind::Eof {
            let before = self.tok.start;
            self.open = 0;
            self.depth = 0;
            self.scratch.clear();
            match self.definition() {
                Ok(()) => {}
                Err(Stop::Limit) => break,
                Err(Stop::Syntax) => {
                    if self.errors.len() >= MAX_VIOLATIONS {
                        break;
                    }
                    self.recover(before);
                }
            }
        }
        if self.errors.is_empty() {
            Ok(self.doc)
        } else {
            Err(self.errors)
        }
    }

    /// Skips the rest of a broken definition: to the next token that can start one,
    /// outside the braces the broken definition opened.
    fn recover(&mut self, before: u32) {
        if self.tok.start == before && self.tok.kind != Kind::Eof {
            self.bump();
        }
        while self.tok.kind != Kind::Eof && !(self.open == 0 && self.starts_definition()) {
            self.bump();
        }
    }

    fn starts_definition(&self) -> bool {
        match self.tok.kind {
            Kind::LBrace => true,
            Kind::Name => matches!(
                self.lex.text(self.tok),
                "query" | "mutation" | "subscription" | "fragment"
            ),
            _ => false,
        }
    }

    // ------------------------------------------------------------ tokens

    #[inline]
    fn bump(&mut self) -> Token {
        let t = self.tok;
        match t.kind {
            Kind::LBrace => self.open = self.open.saturating_add(1),
            Kind::RBrace => self.open = self.open.saturating_sub(1),
            _ => {}
        }
        self.tok = self.lex.next_token();
        t
    }

    #[inline]
    fn at(&self, kind: Kind) -> bool {
        self.tok.kind == kind
    }

    #[inline]
    fn at_name(&self, name: &str) -> bool {
        self.tok.kind == Kind::Name && self.lex.text(self.tok) == name
    }

    /// Records a syntax error at the current token.
    #[cold]
    #[inline(never)]
    fn error(&mut self, expected: &str) -> Stop {
        let t = self.tok;
        let message = match t.kind {
            Kind::Eof => format!("expected {expected}, found the end of the query"),
            Kind::Error => format!("{} (at {:?})", self.lex.error, clip(self.lex.text(t))),
            _ => format!("expected {expected} (at {:?})", clip(self.lex.text(t))),
        };
        self.errors.push(SyntaxError {
            offset: t.start,
            message,
            limit: false,
        });
        Stop::Syntax
    }

    #[inline]
    fn expect(&mut self, kind: Kind, expected: &str) -> P<Token> {
        if self.at(kind) {
            Ok(self.bump())
        } else {
            Err(self.error(expected))
        }
    }

    #[inline]
    fn name(&mut self, expected: &str) -> P<&'q str> {
        let t = self.expect(Kind::Name, expected)?;
        Ok(self.lex.text(t))
    }

    /// One level deeper; past the limit, records it and stops.
    fn enter(&mut self) -> P<()> {
        self.depth = self.depth.saturating_add(1);
        if self.depth > self.max_depth {
            self.errors.push(SyntaxError {
                offset: self.tok.start,
                message: String::new(),
                limit: true,
            });
            return Err(Stop::Limit);
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // ------------------------------------------------------------ definitions

    fn definition(&mut self) -> P<()> {
        const WHAT: &str = "an operation or a fragment definition";
        if self.at(Kind::LBrace) {
            let offset = self.tok.start;
            let set = self.selection_set()?;
            self.doc.operations.push(OpDef {
                name: None,
                kind: OpKind::Query,
                offset,
                set: Some(set),
                variables: Vec::new(),
            });
            return Ok(());
        }
        if !self.at(Kind::Name) {
            return Err(self.error(WHAT));
        }
        let kind = match self.lex.text(self.tok) {
            "query" => OpKind::Query,
            "mutation" => OpKind::Mutation,
            "subscription" => OpKind::Subscription,
            "fragment" => return self.fragment(),
            _ => return Err(self.error(WHAT)),
        };
        let offset = self.bump().start;
        let name = if self.at(Kind::Name) {
            Some(self.name("a name")?)
        } else {
            None
        };
        let variables = if self.at(Kind::LParen) {
            self.variable_definitions()?
        } else {
            Vec::new()
        };
        self.directives()?;
        let set = self.selection_set()?;
        self.doc.operations.push(OpDef {
            name,
            kind,
            offset,
            set: Some(set),
            variables,
        });
        Ok(())
    }

    fn fragment(&mut self) -> P<()> {
        self.bump();
        if self.at_name("on") {
            return Err(self.error("a fragment name other than `on`"));
        }
        let name = self.name("a fragment name")?;
        self.type_condition()?;
        self.directives()?;
        let set = self.selection_set()?;
        self.doc.fragments.push(FragDef {
            name,
            set: Some(set),
        });
        Ok(())
    }

    fn type_condition(&mut self) -> P<()> {
        if !self.at_name("on") {
            return Err(self.error("`on` and a type name"));
        }
        self.bump();
        self.name("a type name").map(|_| ())
    }

    fn variable_definitions(&mut self) -> P<Vec<(&'q str, Option<Val<'q>>)>> {
        self.bump();
        let mut out = Vec::new();
        loop {
            self.expect(Kind::Dollar, "a variable (`$name`)")?;
            let name = self.name("a variable name")?;
            self.expect(Kind::Colon, "`:` and a type")?;
            self.type_ref()?;
            let default = if self.at(Kind::Equals) {
                self.bump();
                Some(self.value(true)?)
            } else {
                None
            };
            self.directives()?;
            out.push((name, default));
            if self.at(Kind::RParen) {
                self.bump();
                return Ok(out);
            }
        }
    }

    fn type_ref(&mut self) -> P<()> {
        if self.at(Kind::LBracket) {
            self.enter()?;
            self.bump();
            self.type_ref()?;
            self.expect(Kind::RBracket, "`]`")?;
            self.leave();
        } else {
            self.name("a type")?;
        }
        if self.at(Kind::Bang) {
            self.bump();
        }
        Ok(())
    }

    fn directives(&mut self) -> P<()> {
        while self.at(Kind::At) {
            self.bump();
            self.name("a directive name")?;
            if self.at(Kind::LParen) {
                self.arguments()?;
            }
        }
        Ok(())
    }

    /// Arguments; returns the last `limit` and `where` values.
    #[allow(clippy::type_complexity)]
    fn arguments(&mut self) -> P<(Option<Val<'q>>, Option<Val<'q>>)> {
        self.bump();
        let (mut limit, mut filter) = (None, None);
        loop {
            let name = self.name("an argument name")?;
            self.expect(Kind::Colon, "`:` and a value")?;
            match name {
                "limit" => limit = Some(self.value(true)?),
                "where" => filter = Some(self.value(true)?),
                _ => {
                    self.value(false)?;
                }
            }
            if self.at(Kind::RParen) {
                self.bump();
                return Ok((limit, filter));
            }
        }
    }

    // ------------------------------------------------------------ selections

    fn selection_set(&mut self) -> P<SetId> {
        if !self.at(Kind::LBrace) {
            return Err(self.error("a selection set (`{`)"));
        }
        self.enter()?;
        self.bump();
        let id = self.doc.sets.len();
        self.doc.sets.push((0, 0));
        let mark = self.scratch.len();
        loop {
            let item = self.selection()?;
            self.scratch.push(item);
            if self.at(Kind::RBrace) {
                self.bump();
                break;
            }
        }
        let start = self.doc.items.len();
        self.doc.items.extend(self.scratch.drain(mark..));
        let range = (index(start), index(self.doc.items.len()));
        if let Some(slot) = self.doc.sets.get_mut(id) {
            *slot = range;
        }
        self.leave();
        Ok(id)
    }

    fn selection(&mut self) -> P<Item<'q>> {
        match self.tok.kind {
            Kind::Name => self.field().map(Item::Field),
            Kind::Spread => {
                let offset = self.bump().start;
                if self.at(Kind::Name) && !self.at_name("on") {
                    let name = self.name("a fragment name")?;
                    self.directives()?;
                    return Ok(Item::Spread { name, offset });
                }
                if self.at_name("on") {
                    self.type_condition()?;
                }
                self.directives()?;
                let set = self.selection_set()?;
                Ok(Item::Inline { set })
            }
            _ => Err(self.error("a field, a fragment spread or an inline fragment")),
        }
    }

    fn field(&mut self) -> P<FieldNode<'q>> {
        let offset = self.tok.start;
        let first = self.name("a field name")?;
        let (key, name) = if self.at(Kind::Colon) {
            self.bump();
            (first, self.name("a field name")?)
        } else {
            (first, first)
        };
        let (limit, filter) = if self.at(Kind::LParen) {
            self.arguments()?
        } else {
            (None, None)
        };
        self.directives()?;
        let set = if self.at(Kind::LBrace) {
            Some(self.selection_set()?)
        } else {
            None
        };
        Ok(FieldNode {
            key,
            name,
            offset,
            limit,
            filter,
            set,
        })
    }

    // ------------------------------------------------------------ values

    /// A value; `keep` builds it (for `limit`, `where` and defaults), otherwise it is
    /// only checked.
    fn value(&mut self, keep: bool) -> P<Val<'q>> {
        match self.tok.kind {
            Kind::Dollar => {
                self.bump();
                Ok(Val::Var(self.name("a variable name")?))
            }
            Kind::Int => {
                let t = self.bump();
                let text = self.lex.text(t);
                Ok(match text.parse::<i64>() {
                    Ok(i) if keep => Val::Int(i),
                    _ => Val::Other,
                })
            }
            Kind::Float | Kind::Str | Kind::BlockStr => {
                self.bump();
                Ok(Val::Other)
            }
            Kind::Name => {
                let t = self.bump();
                Ok(match self.lex.text(t) {
                    "null" => Val::Null,
                    _ => Val::Other,
                })
            }
            Kind::LBracket => {
                self.enter()?;
                self.bump();
                let mut items = Vec::new();
                while !self.at(Kind::RBracket) {
                    let v = self.value(keep)?;
                    if keep {
                        items.push(v);
                    }
                }
                self.bump();
                self.leave();
                Ok(if keep { Val::List(items) } else { Val::Other })
            }
            Kind::LBrace => {
                self.enter()?;
                self.bump();
                let mut fields = Vec::new();
                while !self.at(Kind::RBrace) {
                    let name = self.name("an object field name")?;
                    self.expect(Kind::Colon, "`:` and a value")?;
                    let v = self.value(keep)?;
                    if keep {
                        fields.push((name, v));
                    }
                }
                self.bump();
                self.leave();
                Ok(if keep {
                    Val::Object(fields)
                } else {
                    Val::Other
                })
            }
            _ => Err(self.error("a value")),
        }
    }
}
