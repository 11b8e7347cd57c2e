//! The one error type of the core.
//!
//! Every variant has a stable, SCREAMING_SNAKE `code` that JavaScript sees as
//! `error.code` on a `ZcrmGuardError`. Codes are part of the public API: never
//! rename one, only add. Messages are for humans and may change.
//!
//! Input echoed into a message is clipped (see [`clip`]) so that a 100 MB string
//! passed by mistake never becomes a 100 MB error message.

use serde::Serialize;

pub mod catalog;
pub mod suggest;

/// The core's error. `code()` is the stable identifier.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// An edition name that is neither an edition nor a known alias.
    #[error("unknown edition {name:?}; expected one of free, standard, professional, enterprise, ultimate (aliases: starter, zoho_one, crm_plus)")]
    UnknownEdition {
        /// The name given, clipped.
        name: String,
    },

    /// An operation `kind` that the catalog does not know.
    #[error("unknown operation kind {kind:?}; expected one of {expected}")]
    UnknownOperationKind {
        /// The kind given, clipped.
        kind: String,
        /// The accepted kinds, comma separated.
        expected: &'static str,
    },

    /// A value of the wrong type, out of range or missing.
    #[error("invalid argument `{field}`: {reason}")]
    InvalidArgument {
        /// Where the bad value is, as a dotted path (`options.licenses`).
        field: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A key no options or operation object of that place knows (code
    /// `INVALID_ARGUMENT`): refused rather than ignored, with the key most likely meant.
    #[error("unknown key `{key}` in `{object}`{}{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default(), hint.map(|h| format!(": {h}")).unwrap_or_default())]
    UnknownKey {
        /// The object holding the key, as a dotted path (`operation`, `config.retry`).
        object: String,
        /// The key given, clipped.
        key: String,
        /// Where the key is in the argument, as a JSON path (`$.retry.maxAttemps`).
        json_path: String,
        /// The known key most likely meant (see [`suggest::closest_key`]).
        suggestion: Option<String>,
        /// Why the key is not accepted here, when there is more to say.
        hint: Option<&'static str>,
    },

    /// A response body larger than the configured maximum.
    #[error("body of {size} bytes exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// Size of the body in bytes.
        size: usize,
        /// The configured maximum.
        limit: usize,
    },

    /// A GraphQL query larger than the configured maximum (`options.maxQueryBytes`).
    #[error("query of {size} bytes exceeds the limit of {limit} bytes")]
    QueryTooLarge {
        /// Size of the query in bytes (in UTF-16 units when refused before copying).
        size: usize,
        /// The configured maximum.
        limit: usize,
    },

    /// Bytes that are not valid UTF-8.
    #[error("`{field}` is not valid UTF-8 (first bad byte at offset {offset})")]
    InvalidUtf8 {
        /// The argument at fault.
        field: String,
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },

    /// A Guard ticket that was never issued.
    #[error("unknown ticket {ticket}")]
    UnknownTicket {
        /// The ticket given.
        ticket: u64,
    },

    /// A Guard ticket that was already settled (each ticket settles exactly once).
    #[error("ticket {ticket} was already settled")]
    TicketAlreadySettled {
        /// The ticket given.
        ticket: u64,
    },

    /// `retryOf` names a request whose last decision allows no further attempt.
    #[error("request {ticket} may not be retried: {reason}")]
    RetryNotAllowed {
        /// The ticket given as `retryOf`.
        ticket: u64,
        /// Why not.
        reason: String,
    },

    /// A module API name that is not a module (Zoho's INVALID_MODULE), with the
    /// closest known name when there is one.
    #[error("the module name given seems to be invalid: {name:?}{}", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default())]
    InvalidModule {
        /// The name given, clipped.
        name: String,
        /// The closest known module API name.
        suggestion: Option<String>,
    },

    /// One record whose JSON alone exceeds the maximum body size of a call, so it can
    /// never be sent in any batch.
    #[error("record {index} is {size} bytes; a body may not exceed {limit} bytes")]
    RecordTooLarge {
        /// The caller's index of the record.
        index: usize,
        /// Size of the record's JSON in bytes.
        size: usize,
        /// The configured maximum body size.
        limit: usize,
    },
}

impl Error {
    /// The stable code of this error, as JavaScript sees it in `error.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::UnknownEdition { .. } => "UNKNOWN_EDITION",
            Error::UnknownOperationKind { .. } => "UNKNOWN_OPERATION_KIND",
            Error::InvalidArgument { .. } | Error::UnknownKey { .. } => "INVALID_ARGUMENT",
            Error::BodyTooLarge { .. } => "BODY_TOO_LARGE",
            Error::QueryTooLarge { .. } => "QUERY_TOO_LARGE",
            Error::InvalidUtf8 { .. } => "INVALID_UTF8",
            Error::UnknownTicket { .. } => "UNKNOWN_TICKET",
            Error::TicketAlreadySettled { .. } => "TICKET_ALREADY_SETTLED",
            Error::RetryNotAllowed { .. } => "RETRY_NOT_ALLOWED",
            Error::InvalidModule { .. } => "INVALID_MODULE",
            Error::RecordTooLarge { .. } => "RECORD_TOO_LARGE",
        }
    }

    /// Shorthand for [`Error::InvalidArgument`].
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// [`Error::UnknownKey`] for `key` in `object` (a dotted path), at `json_path`,
    /// with the nearest of `known` as the suggestion.
    pub fn unknown_key(
        object: impl Into<String>,
        json_path: impl Into<String>,
        key: &str,
        known: &[&str],
        hint: Option<&'static str>,
    ) -> Self {
        Error::UnknownKey {
            object: object.into(),
            key: clip(key),
            json_path: json_path.into(),
            suggestion: suggest::closest_key(key, known),
            hint,
        }
    }

    /// Machine-readable details, in Zoho's `details` spirit: the fields of the variant.
    pub fn details(&self) -> ErrorDetails {
        match self {
            Error::UnknownEdition { name } => ErrorDetails {
                value: Some(name.clone()),
                ..ErrorDetails::default()
            },
            Error::UnknownOperationKind { kind, .. } => ErrorDetails {
                field: Some("kind".into()),
                value: Some(kind.clone()),
                ..ErrorDetails::default()
            },
            Error::InvalidArgument { field, .. } => ErrorDetails {
                field: Some(field.clone()),
                ..ErrorDetails::default()
            },
            Error::UnknownKey {
                object,
                key,
                json_path,
                suggestion,
                ..
            } => ErrorDetails {
                field: Some(format!("{object}.{key}")),
                value: Some(key.clone()),
                suggestion: suggestion.clone(),
                api_name: Some(key.clone()),
                json_path: Some(json_path.clone()),
                ..ErrorDetails::default()
            },
            Error::BodyTooLarge { size, limit } => ErrorDetails {
                size: Some(*size),
                limit: Some(*limit),
                ..ErrorDetails::default()
            },
            Error::QueryTooLarge { size, limit } => ErrorDetails {
                field: Some("query".into()),
                size: Some(*size),
                limit: Some(*limit),
                ..ErrorDetails::default()
            },
            Error::InvalidUtf8 { field, offset } => ErrorDetails {
                field: Some(field.clone()),
                size: Some(*offset),
                ..ErrorDetails::default()
            },
            Error::UnknownTicket { ticket } | Error::TicketAlreadySettled { ticket } => {
                ErrorDetails {
                    field: Some("ticket".into()),
                    value: Some(ticket.to_string()),
                    ..ErrorDetails::default()
                }
            }
            Error::RetryNotAllowed { ticket, .. } => ErrorDetails {
                field: Some("retryOf".into()),
                value: Some(ticket.to_string()),
                ..ErrorDetails::default()
            },
            Error::InvalidModule { name, suggestion } => ErrorDetails {
                field: Some("module".into()),
                value: Some(name.clone()),
                suggestion: suggestion.clone(),
                ..ErrorDetails::default()
            },
            Error::RecordTooLarge { index, size, limit } => ErrorDetails {
                field: Some(format!("records[{index}]")),
                size: Some(*size),
                limit: Some(*limit),
                ..ErrorDetails::default()
            },
        }
    }

    /// Every code this type can produce, for documentation and tests.
    pub const ALL_CODES: &'static [&'static str] = &[
        "UNKNOWN_EDITION",
        "UNKNOWN_OPERATION_KIND",
        "INVALID_ARGUMENT",
        "BODY_TOO_LARGE",
        "QUERY_TOO_LARGE",
        "INVALID_UTF8",
        "UNKNOWN_TICKET",
        "TICKET_ALREADY_SETTLED",
        "RETRY_NOT_ALLOWED",
        "INVALID_MODULE",
        "RECORD_TOO_LARGE",
    ];
}

/// The `details` object of a `ZcrmGuardError`; absent facts are `null`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(rename = "ZcrmGuardErrorDetails")
)]
pub struct ErrorDetails {
    /// The argument at fault, as a dotted path.
    pub field: Option<String>,
    /// The offending value, clipped.
    pub value: Option<String>,
    /// A size that exceeded its limit.
    pub size: Option<usize>,
    /// The limit it exceeded.
    pub limit: Option<usize>,
    /// The closest valid value (INVALID_MODULE, an unknown key), when there is one.
    pub suggestion: Option<String>,
    /// The key at fault, as Zoho names a field in its errors (an unknown key).
    #[serde(rename = "api_name")]
    pub api_name: Option<String>,
    /// Where the value at fault is in its argument, as Zoho's `json_path` (`$.retry.maxAttemps`).
    #[serde(rename = "json_path")]
    pub json_path: Option<String>,
}

/// Result alias of the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Longest piece of caller input echoed into an error message, in characters.
pub const MAX_ECHO_CHARS: usize = 64;

/// Clips caller input for an error message: at most [`MAX_ECHO_CHARS`] characters,
/// with an ellipsis and the full length when cut.
pub fn clip(input: &str) -> String {
    let mut chars = input.char_indices();
    match chars.nth(MAX_ECHO_CHARS) {
        None => input.to_owned(),
        Some((cut, _)) => {
            let head = input.get(..cut).unwrap_or_default();
            format!("{head}… ({} bytes)", input.len())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_keeps_short_input_and_cuts_long_input_on_a_char_boundary() {
        assert_eq!(clip("Leads"), "Leads");
        let long = "é".repeat(100);
        let clipped = clip(&long);
        assert!(clipped.starts_with(&"é".repeat(MAX_ECHO_CHARS)));
        assert!(clipped.ends_with("(200 bytes)"));
    }

    #[test]
    fn every_variant_has_a_listed_code() {
        let samples = [
            Error::UnknownEdition { name: "x".into() },
            Error::UnknownOperationKind {
                kind: "x".into(),
                expected: "",
            },
            Error::invalid("a", "b"),
            Error::UnknownKey {
                object: "operation".into(),
                key: "recordcount".into(),
                json_path: "$.recordcount".into(),
                suggestion: Some("recordCount".into()),
                hint: None,
            },
            Error::BodyTooLarge { size: 2, limit: 1 },
            Error::QueryTooLarge { size: 2, limit: 1 },
            Error::InvalidUtf8 {
                field: "query".into(),
                offset: 0,
            },
            Error::UnknownTicket { ticket: 1 },
            Error::TicketAlreadySettled { ticket: 1 },
            Error::RetryNotAllowed {
                ticket: 1,
                reason: "x".into(),
            },
            Error::InvalidModule {
                name: "Lead".into(),
                suggestion: Some("Leads".into()),
            },
            Error::RecordTooLarge {
                index: 0,
                size: 2,
                limit: 1,
            },
        ];
        for e in &samples {
            assert!(Error::ALL_CODES.contains(&e.code()), "{}", e.code());
        }
        let distinct: std::collections::BTreeSet<&str> = samples.iter().map(Error::code).collect();
        assert_eq!(distinct.len(), Error::ALL_CODES.len());
    }
}
