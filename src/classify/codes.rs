//! The deliberate table of Zoho codes: every `code` value in Zoho's OpenAPI specs
//! (OAS, `zoho/crm-oas` v8.0, copied to `tests/fixtures/zoho-error-codes.txt`) plus the
//! codes Zoho's pages name outside the specs (V7DOC, K203, STAT), each mapped to a
//! [`Category`] and a [`RetryHint`].
//!
//! A code missing from the table falls back to [`pattern`] (Zoho's naming families:
//! `*_LIMIT_EXCEEDED`, `ALREADY_*`, `CANNOT_*`, `INVALID_*`, ...) and then to the
//! HTTP status; an unknown code never becomes success.

use super::verdict::{Category, RetryHint};

use Category as C;
use RetryHint as R;

/// `(code, category, retry)`, sorted by code (byte order) for binary search.
/// Sources: STAT and sources §5 for the documented meanings; OAS for the list.
pub const CODE_TABLE: &[(&str, Category, RetryHint)] = &[
    ("ACTIVE_STATE_LIMIT_EXCEEDED", C::Limit, R::None),
    ("ADDED_SUCCESSFULLY", C::Ok, R::None),
    ("ALREADY_CANCELLED", C::Duplicate, R::None),
    ("ALREADY_ENABLED", C::Duplicate, R::None),
    // Facts §5: a 412 precondition failure (If-Unmodified-Since): re-read, re-apply.
    ("ALREADY_MODIFIED", C::Conflict, R::Conditional),
    ("ALREADY_SCHEDULED", C::Duplicate, R::None),
    ("ALREADY_SHARED", C::Duplicate, R::None),
    ("ALREADY_USED", C::Duplicate, R::None),
    ("AMBIGUITY_DURING_PROCESSING", C::Validation, R::None),
    ("AMBIGUOUS_CRITERIA", C::Validation, R::None),
    ("AMBIGUOUS_GROUP_IN_CRITERIA", C::Validation, R::None),
    ("API_NOT_SUPPORTED", C::Validation, R::None),
    // K203 spells it AUTHENTICATION_FAILED; OAS AUTHENTICATION_FAILURE. Refresh once.
    ("AUTHENTICATION_FAILED", C::Auth, R::RefreshToken),
    ("AUTHENTICATION_FAILURE", C::Auth, R::RefreshToken),
    ("AUTHORIZATION_FAILED", C::Permission, R::None),
    ("BACKUP_ALREADY_SCHEDULED", C::Duplicate, R::None),
    ("BAD_REQUEST", C::Validation, R::None),
    ("BLOCKED_RECORD", C::Locked, R::None),
    // A bulk job's callback could not be delivered to the caller's URL: fix the URL.
    ("CALLBACK_FAILURE", C::Validation, R::None),
    ("CANNOT_BE_UPDATED", C::Permission, R::None),
    ("CANNOT_DELETE", C::Permission, R::None),
    ("CANNOT_PERFORM_ACTION", C::Permission, R::None),
    ("CANNOT_PROCESS", C::Permission, R::None),
    ("CANNOT_RESTORE_WITHOUT_PARENT", C::Permission, R::None),
    ("CANNOT_UPDATE", C::Permission, R::None),
    ("CANNOT_UPDATE_DELETED_USER", C::Permission, R::None),
    ("COEXISTENCE_NOT_ALLOWED", C::Permission, R::None),
    ("COLUMN_INDEX_NOT_FOUND", C::Validation, R::None),
    (
        "COMPARATOR_AND_ENCRYPTED_VALUE_IN_CRITERIA_NOT_COMPATIBLE",
        C::Validation,
        R::None,
    ),
    (
        "COMPARATOR_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE",
        C::Validation,
        R::None,
    ),
    // Async job status words are not errors (sources §5).
    ("COMPLETED", C::Ok, R::None),
    // The lead was converted already: the same family as ID_ALREADY_CONVERTED.
    ("CONVERTED_RECORD", C::Duplicate, R::None),
    ("CRITERIA_LIMIT_EXCEEDED", C::Limit, R::None),
    ("CRITERIA_NOT_SUPPORTED", C::Validation, R::None),
    ("CURRENCIES_NOT_ENABLED", C::Permission, R::None),
    ("CVID_NOT_SUPPORTED", C::Validation, R::None),
    ("DATA_MISMATCH", C::Validation, R::None),
    ("DEPENDENT_FIELD_MISMATCH", C::Validation, R::None),
    ("DEPENDENT_FIELD_MISSING", C::Validation, R::None),
    ("DEPENDENT_MISMATCH", C::Validation, R::None),
    // Facts §5: conditional (Campaigns integration; inner cause in details).
    ("DEPENDENT_SERVICE_ERROR", C::Conflict, R::Conditional),
    ("DISCRETE_PAGINATION_LIMIT_EXCEEDED", C::Limit, R::None),
    ("DUPLICATE_ALIAS", C::Validation, R::None),
    ("DUPLICATE_DATA", C::Duplicate, R::None),
    ("EMAIL_UPDATE_NOT_ALLOWED", C::Permission, R::None),
    ("EMAIL_UPDATE_NOT_ALOWED", C::Permission, R::None),
    ("ENTITY_ID_INVALID", C::Validation, R::None),
    ("EXPECTED_DEPENDENT_FIELD_MISSING", C::Validation, R::None),
    ("EXPECTED_FIELD_MISSING", C::Validation, R::None),
    ("EXPECTED_PARAM_MISSING", C::Validation, R::None),
    // page_token expired after 24 h: restart pagination (sources §3, §5).
    ("EXPIRED_VALUE", C::Conflict, R::Conditional),
    // An async job's terminal failure, with no cause given: never success, never retried blindly.
    ("FAILED", C::Unknown, R::None),
    ("FEATURE_NOT_ENABLED", C::Permission, R::None),
    ("FEATURE_NOT_SUPPORTED", C::Permission, R::None),
    ("FEATURE_PERMISSION", C::Permission, R::None),
    (
        "FIELD_AND_COMPARATOR_IN_CRITERIA_NOT_COMPATIBLE",
        C::Validation,
        R::None,
    ),
    (
        "FIELD_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE",
        C::Validation,
        R::None,
    ),
    (
        "FIELD_COMPARATOR_IN_CRITERIA_NOT_SUPPORTED",
        C::Validation,
        R::None,
    ),
    ("FIELD_IN_CRITERIA_NOT_AVAILABLE", C::Validation, R::None),
    ("FIELD_IN_CRITERIA_NOT_SUPPORTED", C::Validation, R::None),
    ("FIELD_NOT_AVAILABLE", C::Validation, R::None),
    ("FIELD_NOT_SUPPORTED", C::Validation, R::None),
    ("FILE_NOT_SUPPORTED", C::Validation, R::None),
    ("FILE_SIZE_MORE_THAN_ALLOWED_SIZE", C::Limit, R::None),
    ("FILE_TOO_LARGE", C::Limit, R::None),
    ("FILE_UPLOAD_SUCCESS", C::Ok, R::None),
    ("FILTER_CRITERIA_NOT_SATISFIED", C::Validation, R::None),
    ("GROUP_OPERATOR_NOT_SUPPORTED", C::Validation, R::None),
    ("HEADER_LIMIT_EXCEEDED", C::Limit, R::None),
    ("ID_ALREADY_ACTIVE", C::Duplicate, R::None),
    ("ID_ALREADY_CONVERTED", C::Duplicate, R::None),
    ("ID_ALREADY_DEACTIVATED", C::Duplicate, R::None),
    ("ID_ALREADY_DELETED", C::Duplicate, R::None),
    ("INPROGRESS", C::Ok, R::None),
    ("INTERNAL_ERROR", C::Server, R::Backoff),
    ("INTERNAL_SERVER_ERROR", C::Server, R::Backoff),
    ("INVALID_ALIAS", C::Validation, R::None),
    ("INVALID_BULK_OPERATION", C::Validation, R::None),
    ("INVALID_CALLBACK_METHOD", C::Validation, R::None),
    ("INVALID_CALLBACK_URL", C::Validation, R::None),
    ("INVALID_CRITERIA", C::Validation, R::None),
    ("INVALID_DATA", C::Validation, R::None),
    ("INVALID_FIELD", C::Validation, R::None),
    ("INVALID_FIELD_NAME", C::Validation, R::None),
    ("INVALID_FILE_FORMAT", C::Validation, R::None),
    ("INVALID_FILE_ID", C::Validation, R::None),
    ("INVALID_FORMAT", C::Validation, R::None),
    ("INVALID_MODULE", C::Validation, R::None),
    ("INVALID_QUERY", C::Validation, R::None),
    ("INVALID_REFERENCE", C::Validation, R::None),
    ("INVALID_REQUEST", C::Validation, R::None),
    ("INVALID_REQUEST_METHOD", C::Validation, R::None),
    ("INVALID_SERVICE_NAME", C::Validation, R::None),
    ("INVALID_TOKEN", C::Auth, R::RefreshToken),
    ("INVALID_URL_PATTERN", C::NotFound, R::None),
    ("InvalidModule", C::Validation, R::None),
    ("JOB_NOT_SUPPORTED", C::Validation, R::None),
    ("JOIN_LIMIT_EXCEEDED", C::Limit, R::None),
    ("JSON_PARSE_ERROR", C::Validation, R::None),
    ("LICENSE_LIMIT_EXCEEDED", C::Limit, R::None),
    ("LIMIT_EXCEEDED", C::Limit, R::None),
    ("LIMIT_REACHED", C::Limit, R::None),
    // A composite sub-request references itself in a loop.
    ("LOOPING_FOUND", C::Validation, R::None),
    ("MANDATORY_FIELDS_NOT_MAPPED", C::Validation, R::None),
    ("MANDATORY_NOT_FOUND", C::Validation, R::None),
    ("MAPPING_MISMATCH", C::Validation, R::None),
    ("MEDIA_TYPE_NOT_SUPPORTED", C::Validation, R::None),
    ("MISSING_REQUIRED_KEY", C::Validation, R::None),
    // The module is not enabled for this org or edition.
    ("MODULE_NOT_AVAILABLE", C::Permission, R::None),
    // The API does not take this module: the request is wrong (as INVALID_MODULE).
    ("MODULE_NOT_SUPPORTED", C::Validation, R::None),
    ("MULTIPLE_OR_MULTI_ERRORS", C::Duplicate, R::None),
    ("NOT_ALLOWED", C::Permission, R::None),
    ("NOT_APPROVED", C::Locked, R::None),
    ("NOT_FOUND", C::NotFound, R::None),
    // The record awaits review (like NOT_APPROVED): locked until a human acts.
    ("NOT_REVIEWED", C::Locked, R::None),
    ("NOT_SHARED", C::Permission, R::None),
    ("NOT_SUBSCRIBED", C::Permission, R::None),
    ("NOT_SUPPORTED", C::Permission, R::None),
    ("NOT_SUPPORTED_FEATURE", C::Permission, R::None),
    ("NO_CONTENT", C::Ok, R::None),
    ("NO_PERMISSION", C::Permission, R::None),
    ("NO_RECORDS_FOUND", C::NotFound, R::None),
    ("No Content", C::Ok, R::None),
    ("Not Modified", C::Ok, R::None),
    ("OAUTH_SCOPE_MISMATCH", C::Auth, R::None),
    ("PAGE_NOT_SUPPORTED", C::Validation, R::None),
    ("PAGE_RANGE_EXCEEDED", C::Limit, R::None),
    ("PAGINATION_LIMIT_EXCEEDED", C::Limit, R::None),
    ("PATTERN_NOT_MATCHED", C::Validation, R::None),
    // Composite: another sub-request failed; resend after fixing that one.
    ("PROCESSING_STOPPED", C::Conflict, R::Conditional),
    ("QUERY_NOT_SUPPORTED", C::Validation, R::None),
    ("QUEUED", C::Ok, R::None),
    ("RECORD_IN_BLUEPRINT", C::Locked, R::None),
    // Facts §5: locked for minutes (approval, merge, Zia image): bounded backoff.
    ("RECORD_LOCKED", C::Locked, R::Backoff),
    // AEV's name for ALREADY_MODIFIED.
    ("RECORD_MODIFIED", C::Conflict, R::Conditional),
    // The record is not in the approval/blueprint process the call acts on.
    ("RECORD_NOT_IN_PROCESS", C::Validation, R::None),
    ("REQUEST_BODY_IS_EMPTY", C::Validation, R::None),
    ("REQUEST_BODY_NOT_READABLE", C::Validation, R::None),
    ("REQUEST_BODY_NOT_SUPPORTED", C::Validation, R::None),
    // Composite over 5 minutes: sub-requests may have committed (sources §3).
    ("REQUEST_TIMEOUT", C::Conflict, R::Conditional),
    ("REQUIRED_DATA_NOT_FOUND", C::Validation, R::None),
    ("REQUIRED_PARAM_MISSING", C::Validation, R::None),
    ("RESERVED_KEYWORD_NOT_ALLOWED", C::Validation, R::None),
    ("RESOURCE_NOT_FOUND", C::NotFound, R::None),
    ("ROLLBACK_PERFORMED", C::Conflict, R::Conditional),
    ("RUNNING", C::Ok, R::None),
    ("SCHEDULED", C::Ok, R::None),
    ("SHARE_LIMIT_EXCEEDED", C::Limit, R::None),
    ("STORAGE_SPACE_EXCEEDED", C::Limit, R::None),
    ("SUCCESS", C::Ok, R::None),
    ("SYNTAX_ERROR", C::Validation, R::None),
    ("TERRITORY_NOT_ENABLED", C::Permission, R::None),
    // page_token used with other parameters: restart pagination.
    ("TOKEN_BOUND_DATA_MISMATCH", C::Conflict, R::Conditional),
    ("TOO_MANY_REQUESTS", C::RateLimit, R::Backoff),
    ("UNABLE_TO_PARSE_DATA_TYPE", C::Validation, R::None),
    // The current user may not approve this record.
    ("UNAPPROVABLE", C::Permission, R::None),
    ("VALUE_IN_CRITERIA_NOT_SUPPORTED", C::Validation, R::None),
    ("VALUE_LIMIT_EXCEEDED_IN_CRITERIA", C::Limit, R::None),
    ("VALUE_TYPE_NOT_SUPPORTED", C::Validation, R::None),
    ("VERSION_NOT_SUPPORTED", C::Validation, R::None),
    // The uploaded file is refused: the data is wrong, not the server.
    ("VIRUS_DETECTED", C::Validation, R::None),
    // Attachments: Zoho's side failed to handle the file.
    ("failure_in_attachment_handling", C::Server, R::Backoff),
];

/// The HTTP status Zoho sends with a top-level `code`, sorted by code (byte order).
/// Callers that only see the body (the widget SDK's wrappers hide the status, widget
/// SDK sources §9) derive the status from it; a code missing here is 400 with
/// `status: "error"`.
/// Sources per status: STAT (the v8 status-codes page), K203, OAS, V7DOC, and the
/// widget SDK sources §9.5 for the codes only the SDK's parent page sends.
pub const CODE_STATUS: &[(&str, u16)] = &[
    // V7DOC update/upsert: the If-Unmodified-Since precondition failed.
    ("ALREADY_MODIFIED", 412),
    // OAS (common.json 401 responses); STAT's 401 AUTHORIZATION ERROR.
    ("AUTHENTICATION_FAILURE", 401),
    // STAT: 500 INTERNAL SERVER ERROR.
    ("INTERNAL_ERROR", 500),
    // OAS spells the 500 code this way too.
    ("INTERNAL_SERVER_ERROR", 500),
    // Widget SDK sources §9.5 lists it with the 401 codes.
    ("INVALID_OAUTHTOKEN", 401),
    // STAT: 405 METHOD NOT ALLOWED; widget SDK sources §9.5.
    ("INVALID_REQUEST_METHOD", 405),
    // K203 and OAS: an expired or invalid access token.
    ("INVALID_TOKEN", 401),
    // STAT: 404 NOT FOUND, "check if the URL ... is a correct one".
    ("INVALID_URL_PATTERN", 404),
    // K203: 403, the user lacks permission.
    ("NO_PERMISSION", 403),
    // V7DOC per-endpoint pages: 401 Unauthorized (AEV's 403 is third-party).
    ("OAUTH_SCOPE_MISMATCH", 401),
    // Widget SDK sources §9.5 lists it with the 403 codes.
    ("PERMISSION_DENIED", 403),
    // STAT: 200 OK.
    ("SUCCESS", 200),
    // STAT and K203: credits or concurrency exceeded.
    ("TOO_MANY_REQUESTS", 429),
];

/// The table entry for a code, if the code is in the table.
pub fn lookup(code: &str) -> Option<(Category, RetryHint)> {
    CODE_TABLE
        .binary_search_by(|(c, _, _)| c.cmp(&code))
        .ok()
        .and_then(|i| CODE_TABLE.get(i))
        .map(|&(_, c, r)| (c, r))
}

/// Zoho's naming families, for a code not in the table.
pub fn pattern(code: &str) -> Option<(Category, RetryHint)> {
    let has = |s: &str| code.contains(s);
    if code.eq_ignore_ascii_case("success") {
        Some((C::Ok, R::None))
    } else if has("LIMIT_EXCEEDED") || has("LIMIT_REACHED") || has("TOO_LARGE") {
        Some((C::Limit, R::None))
    } else if code.starts_with("ALREADY_") || code.starts_with("DUPLICATE_") {
        Some((C::Duplicate, R::None))
    } else if code.starts_with("CANNOT_")
        || code.starts_with("NO_PERMISSION")
        || has("NOT_ALLOWED")
        || has("NOT_ENABLED")
        || code.ends_with("NOT_SUPPORTED")
    {
        Some((C::Permission, R::None))
    } else if code.ends_with("_NOT_FOUND") {
        Some((C::NotFound, R::None))
    } else if code.starts_with("INVALID_")
        || code.starts_with("MANDATORY_")
        || code.starts_with("REQUIRED_")
        || code.ends_with("_MISSING")
        || code.ends_with("_MISMATCH")
    {
        Some((C::Validation, R::None))
    } else {
        None
    }
}

/// Table, then naming family.
pub fn code_rule(code: &str) -> Option<(Category, RetryHint)> {
    lookup(code).or_else(|| pattern(code))
}

/// What an HTTP status alone says, for a failure without a recognised code.
pub fn status_rule(status: u16) -> (Category, RetryHint) {
    match status {
        401 => (C::Auth, R::RefreshToken),
        403 => (C::Permission, R::None),
        404 => (C::NotFound, R::None),
        412 => (C::Conflict, R::Conditional),
        413 => (C::Limit, R::None),
        429 => (C::RateLimit, R::Backoff),
        500..=599 => (C::Server, R::Backoff),
        _ => (C::Unknown, R::None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_without_duplicates() {
        for pair in CODE_TABLE.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
    }

    #[test]
    fn code_status_is_sorted_and_names_error_statuses() {
        for pair in CODE_STATUS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        for (code, status) in CODE_STATUS {
            let ok = lookup(code).is_some_and(|(c, _)| c == C::Ok);
            assert_eq!(ok, *status == 200, "{code} {status}");
            assert!((200..=599).contains(status), "{code} {status}");
        }
    }

    #[test]
    fn families_fall_back_sensibly() {
        assert_eq!(pattern("FOO_LIMIT_EXCEEDED"), Some((C::Limit, R::None)));
        assert_eq!(pattern("ALREADY_DONE"), Some((C::Duplicate, R::None)));
        assert_eq!(pattern("CANNOT_FLY"), Some((C::Permission, R::None)));
        assert_eq!(pattern("INVALID_THING"), Some((C::Validation, R::None)));
        assert_eq!(pattern("THING_NOT_FOUND"), Some((C::NotFound, R::None)));
        assert_eq!(pattern("WHATEVER"), None);
        assert_eq!(lookup("whatever"), None);
    }
}
