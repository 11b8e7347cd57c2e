//! The one catalog of error codes: every code a `ZcrmGuardError` thrown by any export
//! can carry (the core's and the JavaScript client's), and the codes the client
//! itself writes into per-record results, each with its meaning. `errorCodes()` hands
//! it to JavaScript; the TypeScript unions are generated from it (tests/ts_types), and
//! a package test checks the client's source raises nothing outside it.

use serde::Serialize;

/// Who raises a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ErrorCodeSource"))]
pub enum Source {
    /// The wasm core (every export of it).
    Core,
    /// The JavaScript client (`createClient`) and transports.
    Client,
}

/// How a code reaches the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ErrorCodeRaised"))]
pub enum Raised {
    /// Thrown as a `ZcrmGuardError`.
    Thrown,
    /// Written as the `code` of a write job's per-record result (never thrown).
    Result,
}

/// One code of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ErrorCodeInfo"))]
pub struct CodeInfo {
    /// The stable code.
    #[cfg_attr(feature = "ts", ts(type = "ErrorCode"))]
    pub code: &'static str,
    /// What it means, in one line.
    pub meaning: &'static str,
    /// Who raises it.
    pub source: Source,
    /// Thrown, or written into a per-record result.
    pub raised: Raised,
}

const fn core(code: &'static str, meaning: &'static str) -> CodeInfo {
    CodeInfo {
        code,
        meaning,
        source: Source::Core,
        raised: Raised::Thrown,
    }
}

const fn client(code: &'static str, meaning: &'static str) -> CodeInfo {
    CodeInfo {
        code,
        meaning,
        source: Source::Client,
        raised: Raised::Thrown,
    }
}

const fn result(code: &'static str, meaning: &'static str) -> CodeInfo {
    CodeInfo {
        code,
        meaning,
        source: Source::Client,
        raised: Raised::Result,
    }
}

/// Every code, core first (in [`Error::ALL_CODES`] order), then the client's.
pub const CATALOG: &[CodeInfo] = &[
    core("UNKNOWN_EDITION", "An edition name that is neither an edition nor a known alias."),
    core("UNKNOWN_OPERATION_KIND", "An operation `kind` the catalog does not know."),
    core("INVALID_ARGUMENT", "A value of the wrong type, out of range, missing, or an unknown key (`details.suggestion`: the key meant)."),
    core("BODY_TOO_LARGE", "A response body larger than the configured maximum."),
    core("QUERY_TOO_LARGE", "A GraphQL query larger than `maxQueryBytes`."),
    core("INVALID_UTF8", "Bytes that are not valid UTF-8."),
    core("UNKNOWN_TICKET", "A Guard ticket that was never issued."),
    core("TICKET_ALREADY_SETTLED", "A Guard ticket settled a second time."),
    core("RETRY_NOT_ALLOWED", "`retryOf` names a request whose last decision allows no further attempt."),
    core("INVALID_MODULE", "A module API name that is not a module (`details.suggestion`: the closest one)."),
    core("RECORD_TOO_LARGE", "One record larger than a whole call's body may be."),
    client("TOKEN_REFRESH_FAILED", "The access token expired and could not be refreshed (no `refreshAccessToken`, or it kept failing)."),
    client("GRAPHQL_REJECTED", "A GraphQL query refused before sending: it breaks Zoho's limits (`details.violations`)."),
    client("ABORTED", "The caller's signal aborted the request before it completed."),
    client("ZOHO_ERROR", "Zoho's final answer to a read was an error: Zoho's own code, status and message in `details.zoho`."),
    client("NO_RESPONSE", "No answer from Zoho (network error, timeout) after every attempt the Guard allowed; the cause in `details.zoho`."),
    client("CLIENT_ERROR", "A failure of the caller's own code during a request (a transport or listener that threw)."),
    result("AMBIGUOUS_WRITE", "An insert whose reply was lost and that no lookup could settle: it may or may not exist (resume the job)."),
    result("NOT_SENT", "A record the job never sent (aborted, or the credits ran out); `resume` sends it."),
    result("NO_RESULT", "Zoho's reply held no result for this record."),
];

/// Every code of the catalog, in order.
pub fn codes() -> impl Iterator<Item = &'static str> {
    CATALOG.iter().map(|c| c.code)
}

/// The codes of the catalog from `source` raised as `raised`.
pub fn codes_of(source: Source, raised: Raised) -> impl Iterator<Item = &'static str> {
    CATALOG
        .iter()
        .filter(move |c| c.source == source && c.raised == raised)
        .map(|c| c.code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn the_core_codes_are_the_errors_codes_in_order() {
        let core: Vec<&str> = codes_of(Source::Core, Raised::Thrown).collect();
        assert_eq!(core, Error::ALL_CODES);
        assert_eq!(codes_of(Source::Core, Raised::Result).count(), 0);
    }

    #[test]
    fn codes_are_unique_screaming_snake_with_one_line_meanings() {
        let mut seen = std::collections::BTreeSet::new();
        for c in CATALOG {
            assert!(seen.insert(c.code), "{} twice", c.code);
            assert!(
                c.code
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'),
                "{}",
                c.code
            );
            assert!(
                !c.meaning.is_empty() && !c.meaning.contains('\n'),
                "{}",
                c.code
            );
            assert!(c.meaning.ends_with('.'), "{}", c.code);
        }
    }
}
