// The details of a `ZcrmGuardError` and the catalog of codes (core and client).
// Generated from the Rust types by ts-rs (tests/ts_types/): do not edit.
// `bash scripts/gen-types.sh` rewrites it; the test `ts_types` fails when it is stale.

/** Codes of the errors the core (wasm) throws. */
export type CoreErrorCode = 'UNKNOWN_EDITION'
  | 'UNKNOWN_OPERATION_KIND'
  | 'INVALID_ARGUMENT'
  | 'BODY_TOO_LARGE'
  | 'QUERY_TOO_LARGE'
  | 'INVALID_UTF8'
  | 'UNKNOWN_TICKET'
  | 'TICKET_ALREADY_SETTLED'
  | 'RETRY_NOT_ALLOWED'
  | 'INVALID_MODULE'
  | 'RECORD_TOO_LARGE';

/** Codes of the errors the JavaScript client throws. */
export type ClientErrorCode = 'TOKEN_REFRESH_FAILED'
  | 'GRAPHQL_REJECTED'
  | 'ABORTED'
  | 'ZOHO_ERROR'
  | 'NO_RESPONSE'
  | 'CLIENT_ERROR';

/** Codes the client writes into a write job's per-record results (never thrown). */
export type ClientResultCode = 'AMBIGUOUS_WRITE' | 'NOT_SENT' | 'NO_RESULT';

/** Every code of the catalog (`errorCodes()`). */
export type ErrorCode = 'UNKNOWN_EDITION'
  | 'UNKNOWN_OPERATION_KIND'
  | 'INVALID_ARGUMENT'
  | 'BODY_TOO_LARGE'
  | 'QUERY_TOO_LARGE'
  | 'INVALID_UTF8'
  | 'UNKNOWN_TICKET'
  | 'TICKET_ALREADY_SETTLED'
  | 'RETRY_NOT_ALLOWED'
  | 'INVALID_MODULE'
  | 'RECORD_TOO_LARGE'
  | 'TOKEN_REFRESH_FAILED'
  | 'GRAPHQL_REJECTED'
  | 'ABORTED'
  | 'ZOHO_ERROR'
  | 'NO_RESPONSE'
  | 'CLIENT_ERROR'
  | 'AMBIGUOUS_WRITE'
  | 'NOT_SENT'
  | 'NO_RESULT';

/** Who raises a code. */
export type ErrorCodeSource = 'core' | 'client';

/** How a code reaches the caller. */
export type ErrorCodeRaised = 'thrown' | 'result';

/** One code of the catalog. */
export type ErrorCodeInfo = {
  /** The stable code. */
  code: ErrorCode,
  /** What it means, in one line. */
  meaning: string,
  /** Who raises it. */
  source: ErrorCodeSource,
  /** Thrown, or written into a per-record result. */
  raised: ErrorCodeRaised,
};

/** The `details` object of a `ZcrmGuardError`; absent facts are `null`. */
export type ZcrmGuardErrorDetails = {
  /** The argument at fault, as a dotted path. */
  field: string | null,
  /** The offending value, clipped. */
  value: string | null,
  /** A size that exceeded its limit. */
  size: number | null,
  /** The limit it exceeded. */
  limit: number | null,
  /** The closest valid value (INVALID_MODULE, an unknown key), when there is one. */
  suggestion: string | null,
  /** The key at fault, as Zoho names a field in its errors (an unknown key). */
  api_name: string | null,
  /** Where the value at fault is in its argument, as Zoho's `json_path` (`$.retry.maxAttemps`). */
  json_path: string | null,
};
