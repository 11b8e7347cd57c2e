// The details of a `ZcrmGuardError` and the codes the core raises.
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
  /** The closest valid value (INVALID_MODULE), when there is one. */
  suggestion: string | null,
};
