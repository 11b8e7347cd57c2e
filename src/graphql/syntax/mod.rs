//! GraphQL syntax: our own lexer and recursive-descent parser of the executable
//! documents Zoho accepts, building the small [`ast::Doc`] the analysis reads.
//!
//! A full CST parser (apollo-parser with rowan, used before) kept every token in a
//! lossless tree that the analysis never read; this one keeps names as slices of the
//! query and only the argument values the rules need, so it is several times faster
//! and a fraction of the wasm. Type-system definitions (`type`, `schema` …) are syntax
//! errors here: an executable document may not hold them (spec §5.1.1), and Zoho
//! takes queries only.

pub(crate) mod ast;
mod lexer;
mod parser;

#[cfg(test)]
mod tests;

/// A syntax error, or the nesting limit reached (`limit`), at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub offset: u32,
    pub message: String,
    pub limit: bool,
}

/// Parses a query; nesting (selection sets, lists, objects, list types) is capped at
/// `max_nesting`. Every syntax error is returned (up to `MAX_VIOLATIONS`), in order.
pub(crate) fn parse(query: &str, max_nesting: u32) -> Result<ast::Doc<'_>, Vec<SyntaxError>> {
    parser::Parser::new(query, max_nesting).document()
}
